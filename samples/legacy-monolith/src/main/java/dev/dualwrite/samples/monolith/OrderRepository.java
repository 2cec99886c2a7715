package dev.dualwrite.samples.monolith;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** The monolith's orders, in its own database. */
public interface OrderRepository extends JpaRepository<Order, Long> {

  /** The orders a user placed. */
  List<Order> findByUser(User user);
}
