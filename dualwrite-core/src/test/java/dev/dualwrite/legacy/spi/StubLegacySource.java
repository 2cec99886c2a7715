package dev.dualwrite.legacy;

import java.sql.SQLException;

/**
 * A legacy source for tests that never reach a database: it names an entity, and each transaction runs {@code
 * attempt} first, which may throw to stand for a failing database.
 */
public final class StubLegacySource implements LegacySource {
  /** What a transaction does before its work; may throw. */
  @FunctionalInterface
  public interface Attempt {
    void run() throws SQLException;
  }

  private final String entity;
  private final Attempt attempt;

  public StubLegacySource(String entity, Attempt attempt) {
    this.entity = entity;
    this.attempt = attempt;
  }

  /** A source of {@code entity} whose transactions run their work with no database. */
  public static StubLegacySource of(String entity) {
    return new StubLegacySource(entity, () -> {});
  }

  @Override
  public String entity() {
    return entity;
  }

  @Override
  public <T> T inTransaction(LegacyWork<T> work) throws SQLException {
    attempt.run();
    return work.run(null);
  }
}
