package dev.dualwrite.outbox.internal;

import dev.dualwrite.jdbc.DatabaseDialect;
import dev.dualwrite.outbox.Backlog;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.DeadLetter;
import dev.dualwrite.outbox.Outbox;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.storage.internal.OutboxTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The {@link Outbox} in table {@code dualwrite_outbox}, plus what the relay does with it: claim, mark, release, purge.
 * The SQL, and how each database claims and purges, is in {@link OutboxTable}; this class is what the rest of
 * dualwrite holds. Operator methods throw {@link dev.dualwrite.DualWriteStorageException} when the database fails; the
 * relay's methods throw {@link SQLException}. Thread-safe.
 */
public final class JdbcOutbox implements Outbox {
  private final OutboxTable table;

  public JdbcOutbox(DataSource dataSource, DatabaseDialect dialect, Clock clock) {
    this.table = new OutboxTable(dataSource, dialect, clock);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One JDBC batch; the row ids come back as generated keys and become the changes' versions.
   */
  @Override
  public List<Change> append(Connection connection, List<Change> changes) throws SQLException {
    return table.append(connection, changes);
  }

  /**
   * Claims up to {@code max} due changes for {@code owner} until {@code leaseUntil}, oldest first.
   *
   * @return the claimed changes, in id order
   */
  public List<OutboxEntry> claim(int max, Instant leaseUntil, String owner) throws SQLException {
    return table.claim(max, leaseUntil, owner);
  }

  /** Marks changes delivered: kept (for the retention period) or deleted at once when {@code keep} is false. */
  public void markDelivered(Collection<Long> ids, boolean keep) throws SQLException {
    table.markDelivered(ids, keep);
  }

  /**
   * A failed delivery attempt to record: due again at {@code nextAttemptAt}, or a dead letter when {@code dead}.
   *
   * @param id the outbox row id
   * @param attempts the attempts made, this one included
   * @param nextAttemptAt when to try again; ignored when dead
   * @param status the service's status, or null
   * @param error why, already redacted
   * @param dead whether to give up on the change
   */
  public record FailedAttempt(long id, int attempts, Instant nextAttemptAt, Integer status, String error,
      boolean dead) {}

  /** Records failed attempts in one JDBC batch per kind. */
  public void markFailed(List<FailedAttempt> failures) throws SQLException {
    table.markFailed(failures.stream()
        .map(f -> new OutboxTable.FailedAttempt(f.id(), f.attempts(), f.nextAttemptAt(), f.status(), f.error(),
            f.dead()))
        .toList());
  }

  /** Hands claimed changes back without counting an attempt (the circuit breaker was open); due at {@code at}. */
  public void release(Collection<Long> ids, Instant at) throws SQLException {
    table.release(ids, at);
  }

  /** Deletes up to {@code max} changes delivered before {@code deliveredBefore}, oldest first; returns how many. */
  public int purgeDelivered(Instant deliveredBefore, int max) throws SQLException {
    return table.purgeDelivered(deliveredBefore, max);
  }

  @Override
  public Map<String, Backlog> backlog() {
    return table.backlog();
  }

  @Override
  public boolean hasPending(String entity, String entityId) {
    return table.hasPending(entity, entityId);
  }

  @Override
  public List<DeadLetter> deadLetters(String entity, int limit) {
    return table.deadLetters(entity, limit);
  }

  @Override
  public boolean retryDeadLetter(long id) {
    return table.retryDeadLetter(id);
  }

  @Override
  public int retryDeadLetters(String entity) {
    return table.retryDeadLetters(entity);
  }

  @Override
  public boolean discardDeadLetter(long id) {
    return table.discardDeadLetter(id);
  }
}
