package dev.dualwrite.samples.monolith;

import dev.dualwrite.hibernate.Mirrored;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

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
  /** When the user signed up; a camelCase field, stored as {@code created_at} under Spring Boot's naming strategy. */
  private Instant createdAt;

  protected User() {}

  public User(String name, String email) {
    this.name = name;
    this.email = email;
    this.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
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
