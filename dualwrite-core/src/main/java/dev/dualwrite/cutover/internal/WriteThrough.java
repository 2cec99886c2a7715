package dev.dualwrite.cutover.internal;

import dev.dualwrite.cutover.WriteConflictException;
import dev.dualwrite.cutover.WriteThroughException;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.storage.internal.LegacyVersionsTable;
import dev.dualwrite.target.DeliveryOutcome;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.Precondition;
import dev.dualwrite.target.TargetException;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.trace.Traceparent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The write path of {@code NEW_WRITES}: each change a monolith transaction made to such an entity is written to the
 * new service, which is authoritative, before the transaction commits, in one request, on condition that the service
 * still holds the version legacy last took for the row (kept in {@code dualwrite_legacy_versions}; for a row not
 * written since the entity entered NEW_WRITES, whatever the service holds as long as it came from the mirror). A write the service
 * refuses, or cannot take, fails the transaction; a write based on a row the service has changed since fails as a
 * conflict. Runs on the application's thread, inside its transaction. Thread-safe.
 */
public final class WriteThrough {
  private final TargetClient target;
  private final Clock clock;

  public WriteThrough(TargetClient target, Clock clock) {
    this.target = target;
    this.clock = clock;
  }

  /**
   * Writes {@code changes} (as the outbox appended them, with their versions) to the new service, in order, and
   * records each version as the one legacy took, on {@code connection} inside the caller's transaction. Each request
   * carries {@code traceparent}, the writing transaction's trace context, when it is not null.
   *
   * @throws WriteConflictException when the service holds a change of a row that legacy has not received
   * @throws WriteThroughException when the service cannot be reached or refuses a change
   */
  public void send(Connection connection, List<Change> changes, Traceparent traceparent) {
    for (Change change : changes) {
      send(connection, change, traceparent);
    }
  }

  private void send(Connection connection, Change change, Traceparent traceparent) {
    String entity = change.entity();
    String id = change.entityId();
    try {
      // a row legacy took a version of since NEW_WRITES began: the service must still hold that version; any other
      // row: what the service holds must have come from legacy (the mirror), not from its own API
      Precondition precondition = LegacyVersionsTable.lock(connection, entity, id)
          .map(Precondition::heldVersion).orElse(Precondition.heldFromMirror());
      Instant now = clock.instant();
      DeliveryResult result = target.deliverIf(new OutboxEntry(change.version(), entity, change.resource(), id,
          change.operation(), change.version(), "write-through-" + change.version(), change.payload(), 0, now,
          traceparent), precondition);
      if (result.outcome() == DeliveryOutcome.REJECTED && Integer.valueOf(412).equals(result.status())) {
        throw conflict(change);
      }
      if (result.outcome() != DeliveryOutcome.APPLIED) {
        throw failed(change, result.outcome() == DeliveryOutcome.STALE
            ? "the new service already holds a version of the row above this write's " + change.version()
                + ", which dualwrite's change sequence should never allow; check that nothing else writes versions"
                + " to the service for this resource"
            : "the new service refused it (" + result.status() + ": " + result.error() + ")", null);
      }
      LegacyVersionsTable.put(connection, entity, id, change.version(), LegacyVersionsTable.Writer.MONOLITH, now);
    } catch (TargetException e) {
      throw failed(change, "the new service could not take it: " + e.getMessage(), e);
    } catch (SQLException e) {
      throw failed(change, "dualwrite_legacy_versions could not be read or written: " + e.getMessage(), e);
    }
  }

  private static WriteConflictException conflict(Change change) {
    return new WriteConflictException(change.entity(), change.entityId(), "write to " + change.entity() + " "
        + change.entityId() + " refused: the entity is in NEW_WRITES, where the new service is authoritative, and the"
        + " service holds a newer change of this row (made through its own API) that legacy has not received yet, so"
        + " this write was based on an older row. The transaction is rolled back; read the row again and retry.");
  }

  private static WriteThroughException failed(Change change, String why, Throwable cause) {
    return new WriteThroughException("write to " + change.entity() + " " + change.entityId() + " ("
        + change.operation() + ") failed: the entity is in NEW_WRITES, where the new service is authoritative and"
        + " every write must reach it before the legacy transaction commits, and " + why + ". The transaction is"
        + " rolled back and nothing of it was written. Retry when the service takes writes again, or move "
        + change.entity() + " back to NEW_READS (dualwrite phase " + change.entity() + " NEW_READS) to make legacy"
        + " authoritative again.", cause);
  }
}
