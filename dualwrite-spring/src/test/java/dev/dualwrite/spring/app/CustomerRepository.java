package dev.dualwrite.spring.app;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

/** Spring Data access to customers. */
public interface CustomerRepository extends JpaRepository<Customer, Long> {

  /** A bulk JPQL update: it bypasses entity events, so dualwrite's guard refuses it while customers are mirrored. */
  @Modifying
  @Transactional
  @Query("update Customer c set c.tier = :tier")
  int setEveryTier(Tier tier);
}
