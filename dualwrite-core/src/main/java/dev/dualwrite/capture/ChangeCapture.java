package dev.dualwrite.capture;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.internal.NodeServices;
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
   * Appends changes to the outbox on the transaction's own connection. Does not commit.
   *
   * @return the changes with their versions; hand these to {@link #committed}
   */
  List<Change> append(Connection connection, List<Change> changes) throws SQLException;

  /** Reports that appended changes (as {@link #append} returned them) committed: counts them and wakes the relay. */
  void committed(List<Change> changes);
}
