package dev.dualwrite.samples.monolith;

import org.springframework.data.jpa.repository.JpaRepository;

/** The monolith's users, in its own database. */
public interface UserRepository extends JpaRepository<User, Long> {}
