package dev.dualwrite.samples.plain;

import dev.dualwrite.hibernate.MirrorIgnore;
import dev.dualwrite.hibernate.Mirrored;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A user of the legacy monolith, being moved to the user service. */
@Entity
@Table(name = "users")
@Mirrored("users")
public class User {
  @Id private Long id;
  @Version private long version;
  private String name;
  private String email;
  @MirrorIgnore private String passwordHash;

  protected User() {}

  public User(long id, String name, String email) {
    this.id = id;
    this.name = name;
    this.email = email;
    this.passwordHash = "stays-in-the-monolith";
  }

  public void setEmail(String email) {
    this.email = email;
  }
}
