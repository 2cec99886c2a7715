package dev.dualwrite.read.internal;

import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.legacy.RowLock;
import dev.dualwrite.legacy.internal.LegacyTransactions;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.ChangeOrigin;
import dev.dualwrite.outbox.Outbox;
import java.util.List;

/**
 * Lazy migration on touch: copies one row the new service lacks from legacy, the way the backfill copies rows. The
 * row is read with a shared lock and its snapshot appended to the outbox in the same transaction, so a live write of
 * the row either committed before (and is in the snapshot) or gets a higher version; the relay delivers it. Thread-safe.
 */
final class LazyMigration {
  private final String entity;
  private final String resource;
  private final LegacyTransactions transactions;
  private final ChangeCapture capture;
  private final Outbox outbox;

  LazyMigration(String entity, String resource, LegacySource source, ChangeCapture capture, Outbox outbox) {
    this.entity = entity;
    this.resource = resource;
    this.transactions = new LegacyTransactions(source);
    this.capture = capture;
    this.outbox = outbox;
  }

  /**
   * Queues legacy's snapshot of {@code key} for the new service, unless a change of it is on its way already.
   *
   * @return whether a snapshot was queued
   */
  boolean copy(String key) {
    if (outbox.hasPending(entity, key)) {
      return false;
    }
    List<Change> appended = transactions.run("copying " + entity + " " + key + " on touch", tx -> {
      List<LegacyRow> rows = tx.read(List.of(key), RowLock.SHARED);
      if (rows.isEmpty()) {
        return List.of();
      }
      return capture.append(tx.connection(), List.of(Change.of(entity, resource, key, ChangeOperation.UPSERT,
          rows.get(0).payload(), ChangeOrigin.LAZY)));
    });
    if (appended.isEmpty()) {
      return false;
    }
    capture.committed(appended);
    return true;
  }
}
