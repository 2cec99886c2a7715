package dev.dualwrite.relay.internal;

import dev.dualwrite.outbox.Backlog;
import dev.dualwrite.outbox.OutboxEntry;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the relay needs from the outbox, and nothing more: the seam between {@link DefaultRelay} and its queue, so the
 * relay's decisions can be exercised without a database. Not public API. Implementations must be thread-safe: each
 * delivery loop calls them.
 */
public interface DeliveryQueue {

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
  record FailedAttempt(long id, int attempts, Instant nextAttemptAt, Integer status, String error,
      boolean dead) {}

  /**
   * Claims up to {@code max} due changes for {@code owner} until {@code leaseUntil}, oldest first; changes other
   * owners hold are skipped.
   *
   * @return the claimed changes, in id order; empty when none are due
   */
  List<OutboxEntry> claim(int max, Instant leaseUntil, String owner) throws SQLException;

  /** Marks changes delivered: kept (for the retention period) when {@code keep}, else deleted at once. */
  void markDelivered(Collection<Long> ids, boolean keep) throws SQLException;

  /** Records failed attempts: each is due again at its {@code nextAttemptAt}, or a dead letter when {@code dead}. */
  void markFailed(List<FailedAttempt> failures) throws SQLException;

  /** Hands claimed changes back without counting an attempt; they are due again at {@code at}. */
  void release(Collection<Long> ids, Instant at) throws SQLException;

  /** Deletes up to {@code max} changes delivered before {@code deliveredBefore}, oldest first; returns how many. */
  int purgeDelivered(Instant deliveredBefore, int max) throws SQLException;

  /** Undelivered changes and dead letters per entity, from every node; read by {@link DefaultRelay#drain}. */
  Map<String, Backlog> backlog();
}
