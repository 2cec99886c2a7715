package dev.dualwrite.spring.app;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity of the test monolith that is not mirrored. */
@Entity
public class Invoice {
  @Id private Long id;

  protected Invoice() {}
}
