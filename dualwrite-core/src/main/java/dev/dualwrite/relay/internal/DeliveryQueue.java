package dev.dualwrite.relay.internal;

import dev.dualwrite.outbox.Backlog;
import dev.dualwrite.outbox.OutboxEntry;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  /**
   * Claims up to {@code max} due changes of entities not in {@code paused} and holds them until the returned batch is
   * completed or closed. How a queue holds them is its own: {@code OutboxTable} on PostgreSQL and MariaDB/MySQL keeps
   * the rows locked ({@code FOR UPDATE SKIP LOCKED}) in a transaction that stays open while the batch is delivered,
   * so claiming writes nothing; this default leases them with {@link #claim} and records outcomes with
   * {@link #markDelivered} and {@link #markFailed}.
   *
   * @param leaseUntil when the claim ends if the relay neither completes nor closes the batch
   * @return the batch; its entries are empty when none are due
   */
  default HeldBatch hold(int max, Instant leaseUntil, String owner, Set<String> paused) throws SQLException {
    List<OutboxEntry> claimed = claim(max, leaseUntil, owner);
    List<OutboxEntry> kept = claimed;
    if (!paused.isEmpty()) {
      kept = claimed.stream().filter(e -> !paused.contains(e.entity())).toList();
      List<Long> pausedIds = claimed.stream().filter(e -> paused.contains(e.entity())).map(OutboxEntry::id).toList();
      if (!pausedIds.isEmpty()) {
        release(pausedIds, Instant.EPOCH); // due at once: the relay skips them while paused
      }
    }
    List<OutboxEntry> entries = kept;
    return new HeldBatch() {
      private boolean completed;

      @Override
      public List<OutboxEntry> entries() {
        return entries;
      }

      @Override
      public void complete(Collection<Long> delivered, boolean keep, List<FailedAttempt> failed)
          throws SQLException {
        completed = true;
        markDelivered(delivered, keep);
        markFailed(failed);
      }

      @Override
      public void release(Instant at) throws SQLException {
        completed = true;
        DeliveryQueue.this.release(entries.stream().map(OutboxEntry::id).toList(), at);
      }

      @Override
      public void close() {
        // not completed: the lease ends and the changes are claimed again
      }
    };
  }

  /**
   * Changes claimed by {@link #hold} and not yet settled. One thread uses a batch; {@link #close} always runs (in a
   * finally block) and gives back what was not settled.
   */
  interface HeldBatch extends AutoCloseable {
    /** The claimed changes, in id order. */
    List<OutboxEntry> entries();

    /**
     * Settles the batch: {@code delivered} changes are deleted (kept as delivered for the retention period when
     * {@code keep}), {@code failed} ones recorded, all at once.
     */
    void complete(Collection<Long> delivered, boolean keep, List<FailedAttempt> failed) throws SQLException;

    /** Gives the whole batch back without counting an attempt; due again at {@code at} (or at once). */
    void release(Instant at) throws SQLException;

    /** Ends the claim; changes neither completed nor released are claimable again (held rows at once). */
    @Override
    void close();
  }
}
