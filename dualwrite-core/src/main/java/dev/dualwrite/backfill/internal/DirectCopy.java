package dev.dualwrite.backfill.internal;

import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.internal.NodeServices;
import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.ChangeOrigin;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.target.DeliveryOutcome;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.TargetException;
import dev.dualwrite.target.spi.TargetClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a page of backfilled rows to the new service, straight or through the outbox. Called inside the chunk's
 * transaction while the rows' shared locks are held.
 *
 * <p>Straight: the page takes one version from the change sequence (reserved now, while the locks are held, it is
 * above every change the snapshots include and below every change they do not, as the ids of appended outbox rows
 * would be) and goes to the new service in batches, under the version rule like any change. A snapshot the service
 * does not acknowledge (refused, to be retried, or the service unreachable) is appended to the outbox in the same
 * transaction, still under the locks, so the relay's retries and dead letters take it over; nothing is lost, and a
 * copy the service applied before the transaction failed is only overwritten by the next copy or a live change, both
 * newer. Through the outbox: when this node does not deliver the entity (no target, relay disabled, delivery paused),
 * and for {@value #FALLBACK_SECONDS} seconds after the service could not be reached. Thread-safe.
 */
final class DirectCopy {
  private static final Logger log = LoggerFactory.getLogger(DirectCopy.class);
  /** The protocol's largest batch. */
  private static final int BATCH = 1000;
  private static final long FALLBACK_SECONDS = 30;

  private final String entity;
  private final String resource;
  private final NodeServices node;
  private final ChangeCapture capture;
  private final Clock clock;
  private volatile Instant outboxOnlyUntil = Instant.MIN;

  DirectCopy(String entity, String resource, NodeServices node, ChangeCapture capture, Clock clock) {
    this.entity = entity;
    this.resource = resource;
    this.node = node;
    this.capture = capture;
    this.clock = clock;
  }

  /**
   * Copies {@code rows}; returns the changes appended to the outbox, for {@link ChangeCapture#committed} once the
   * transaction has committed.
   */
  List<Change> copy(Connection connection, List<LegacyRow> rows) throws SQLException {
    List<Change> changes = new ArrayList<>(rows.size());
    for (LegacyRow row : rows) {
      changes.add(Change.of(entity, resource, row.id(), ChangeOperation.UPSERT, row.payload(), ChangeOrigin.BACKFILL));
    }
    Instant now = clock.instant();
    Optional<TargetClient> client = now.isBefore(outboxOnlyUntil) ? Optional.empty() : node.deliveringTo(entity);
    if (client.isEmpty()) {
      return capture.append(connection, changes);
    }
    long version = node.reserveVersion();
    List<Change> unacknowledged = new ArrayList<>();
    for (int from = 0; from < changes.size(); from += BATCH) {
      List<Change> batch = changes.subList(from, Math.min(changes.size(), from + BATCH));
      List<OutboxEntry> entries = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        Change change = batch.get(i);
        entries.add(new OutboxEntry(version, entity, resource, change.entityId(), ChangeOperation.UPSERT, version,
            "dualwrite-backfill-" + version + "-" + (from + i), change.payload(), 0, now));
      }
      List<DeliveryResult> results;
      try {
        results = client.get().deliver(entries);
      } catch (RuntimeException e) {
        outboxOnlyUntil = clock.instant().plusSeconds(FALLBACK_SECONDS);
        // the service's answer is not logged: it may quote the batch's values
        log.warn("backfill {}: the new service did not take a batch of copies ({}); this and the next {} s of"
            + " copies go through the outbox, whose relay retries them", entity, failure(e), FALLBACK_SECONDS);
        unacknowledged.addAll(changes.subList(from, changes.size()));
        break;
      }
      for (int i = 0; i < batch.size(); i++) {
        DeliveryOutcome outcome = results.get(i).outcome();
        if (outcome != DeliveryOutcome.APPLIED && outcome != DeliveryOutcome.STALE) {
          unacknowledged.add(batch.get(i));
        }
      }
    }
    if (unacknowledged.isEmpty()) {
      return List.of();
    }
    log.debug("backfill {}: {} copies not acknowledged by the new service go through the outbox", entity,
        unacknowledged.size());
    return capture.append(connection, unacknowledged);
  }

  /** What failed, without the service's answer: the exception's type and, for an HTTP answer, its status. */
  private static String failure(RuntimeException e) {
    return e instanceof TargetException target && target.status() != null
        ? "HTTP " + target.status() : e.getClass().getSimpleName();
  }
}
