package dev.dualwrite.hibernate.entities;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Not mirrored: users refer to it, and the snapshot carries only its id. */
@Entity
@Table(name = "app_teams")
public class Team {
  @Id private Long id;
  private String title;

  protected Team() {}

  public Team(long id, String title) {
    this.id = id;
    this.title = title;
  }
}
