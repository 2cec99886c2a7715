package dev.dualwrite.hibernate.entities;

import dev.dualwrite.hibernate.Mirrored;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Mirrored with a natural text id and no @Version. */
@Entity
@Table(name = "app_aliases")
@Mirrored("aliases")
public class Alias {
  @Id private String username;
  private String target;

  protected Alias() {}

  public Alias(String username, String target) {
    this.username = username;
    this.target = target;
  }

  public String getUsername() {
    return username;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }
}
