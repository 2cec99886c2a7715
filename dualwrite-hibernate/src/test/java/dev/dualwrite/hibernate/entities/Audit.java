package dev.dualwrite.hibernate.entities;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Not annotated: never mirrored. */
@Entity
@Table(name = "app_audit")
public class Audit {
  @Id private Long id;
  private String what;

  protected Audit() {}

  public Audit(long id, String what) {
    this.id = id;
    this.what = what;
  }
}
