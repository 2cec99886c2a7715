package dev.dualwrite.samples.monolith;

import dev.dualwrite.hibernate.Mirrored;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A user of the monolith, being moved to the user service: {@code @Mirrored} is all dualwrite needs of it. */
@Entity
@Table(name = "users")
@Mirrored("users")
public class User {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Version private long version;
  private String name;
  private String email;

  protected User() {}

  public User(String name, String email) {
    this.name = name;
    this.email = email;
  }

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public String getEmail() {
    return email;
  }

  public void rename(String name, String email) {
    this.name = name;
    this.email = email;
  }
}
