package dev.dualwrite.capture;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.internal.NodeServices;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.phase.MigrationPhase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What a persistence framework integration (dualwrite-hibernate, or your own for plain JDBC) uses to record entity
 * changes: ask the phase, append changes inside the application's transaction, and report the commit. Thread-safe.
 *
 * <p>The contract: read an entity's phase once per transaction and keep it for that transaction; append in the same
 * transaction (same connection) as the entity change, before it commits; call {@link #committed} after it commits
 * (never for a rollback); never do network I/O inside the application's transaction.
 */
public interface ChangeCapture {

  /**
   * The capture of {@code dualWrite}'s node, for a persistence integration to record that node's changes through.
   *
   * @throws IllegalArgumentException when the node has no data source (its outbox lives there) or was not built by
   *     {@link DualWrite#builder()}
   */
  static ChangeCapture of(DualWrite dualWrite) {
    return NodeServices.of(dualWrite).capture().orElseThrow(() -> new IllegalArgumentException(
        "this dualwrite node has no outbox to record changes in: configure withDataSource(...) with the monolith's"
            + " database"));
  }

  /** The entity's current phase (cached; no query). */
  MigrationPhase phase(String entity);

  /** The entity's configuration; throws {@link IllegalArgumentException} naming the configured ones if unknown. */
  EntityMigration entity(String entity);

  /** Whether {@code entity} is configured. */
  boolean isConfigured(String entity);

  /**
   * Appends changes to the outbox on the transaction's own connection, with the trace context current on the calling
   * thread (see {@link dev.dualwrite.DualWriteBuilder#withTracing}): call it on the transaction's thread. Does not
   * commit.
   *
   * @return the changes with their versions; hand these to {@link #committed}
   */
  List<Change> append(Connection connection, List<Change> changes) throws SQLException;

  /**
   * Writes changes of entities whose phase in this transaction is {@code NEW_WRITES} (as {@link #append} returned
   * them) to the new service, which is authoritative in that phase, before the transaction commits. This is the one
   * network call made inside the application's transaction, and only in that phase.
   *
   * @throws dev.dualwrite.cutover.WriteConflictException when the service holds a newer change of a row than legacy
   *     (the write was based on a stale row): fail the transaction as an optimistic-lock conflict
   * @throws dev.dualwrite.cutover.WriteThroughException when the service cannot be reached or refuses a change: fail
   *     the transaction
   */
  void writeThrough(Connection connection, List<Change> changes);

  /**
   * Reports a legacy write of {@code entity} (a Hibernate write or a bulk statement) as it is made, on the thread that
   * makes it: from {@code NEW_READS} on, the node counts it by the application's call site in the inventory of legacy
   * write paths. Cheap before NEW_READS (one cached phase read).
   */
  void legacyWriteSeen(String entity);

  /**
   * Gives the node the legacy rows of {@code source}'s entity to apply the new service's changes to (the reverse sync
   * of {@code NEW_WRITES}); its {@link dev.dualwrite.legacy.LegacyTransaction} must support {@code upsert} and
   * {@code delete}, and its writes must not be captured.
   */
  void attach(LegacySource source);

  /** Takes back {@link #attach}: the source's session factory is closing. */
  void detach(LegacySource source);

  /** Reports that appended changes (as {@link #append} returned them) committed: counts them and wakes the relay. */
  void committed(List<Change> changes);
}
