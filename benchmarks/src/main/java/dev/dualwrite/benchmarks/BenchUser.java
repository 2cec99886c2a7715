package dev.dualwrite.benchmarks;

import dev.dualwrite.hibernate.Mirrored;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** The mirrored entity the benchmarks write: a typical row of a handful of columns. */
@Entity
@Table(name = "bench_users")
@Mirrored("users")
public class BenchUser {
  @Id private Long id;
  @Version private long version;
  private String name;
  private String email;
  private int score;
  private Instant createdAt;

  protected BenchUser() {}

  public BenchUser(long id) {
    this.id = id;
    this.name = "user " + id;
    this.email = "user" + id + "@example.com";
    this.createdAt = Instant.now();
  }

  public long id() {
    return id;
  }

  /** The row as a JSON snapshot of about the size dualwrite's own has, for the reference outbox. */
  public String json() {
    return "{\"id\":" + id + ",\"version\":" + version + ",\"name\":\"" + name + "\",\"email\":\"" + email
        + "\",\"score\":" + score + ",\"createdAt\":\"" + createdAt + "\"}";
  }

  public void rename(String name) {
    this.name = name;
    this.score++;
  }
}
