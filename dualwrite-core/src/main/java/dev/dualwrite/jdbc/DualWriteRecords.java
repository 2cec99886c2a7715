package dev.dualwrite.jdbc;

import dev.dualwrite.DualWriteStorageException;
import dev.dualwrite.backfill.BackfillCheckpoint;
import dev.dualwrite.storage.internal.BackfillTable;
import dev.dualwrite.storage.internal.Tables;
import dev.dualwrite.storage.internal.VerificationTable;
import dev.dualwrite.verify.VerificationReport;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import javax.sql.DataSource;

/**
 * A read-only view of what dualwrite's tables record, without a {@link dev.dualwrite.DualWrite}: which entities they
 * mention, where each backfill stands, the verification runs. For operators' tools such as the CLI, which needs the
 * entities before it can configure dualwrite. Never writes, never creates tables: a missing table fails the read.
 *
 * <p>Each method reads on a connection of its own and throws {@link DualWriteStorageException} when the database
 * fails. Immutable and thread-safe.
 */
public final class DualWriteRecords {
  private final DataSource dataSource;

  private DualWriteRecords(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A view of the tables in the database behind {@code dataSource}; not null. */
  public static DualWriteRecords of(DataSource dataSource) {
    return new DualWriteRecords(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /**
   * dualwrite's tables that cannot be read in the database (missing, or not readable by its user); empty when every
   * table is there. Writes nothing.
   *
   * @throws DualWriteStorageException when the database cannot be reached
   */
  public List<String> unreadableTables() {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      return Tables.unreadable(connection);
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_*", "look for dualwrite's tables", e);
    }
  }

  /** The entities the tables mention (moved, with changes, backfilled or verified), sorted. */
  public SortedSet<String> entities() {
    try (Connection connection = dataSource.getConnection()) {
      return Tables.entities(connection);
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_*", "list the entities", e);
    }
  }

  /** Where the backfill of {@code entity} stands; empty when none has run (or it was reset). */
  public Optional<BackfillCheckpoint> backfill(String entity) {
    Objects.requireNonNull(entity, "entity");
    try (Connection connection = dataSource.getConnection()) {
      return BackfillTable.read(connection, entity);
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_backfill", "read the backfill checkpoint of " + entity, e);
    }
  }

  /** The latest finished verification of {@code entity}; empty when none has finished. */
  public Optional<VerificationReport> lastFinishedVerification(String entity) {
    Objects.requireNonNull(entity, "entity");
    try (Connection connection = dataSource.getConnection()) {
      return VerificationTable.latestFinished(connection, entity).map(VerificationTable.Row::report);
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_verification", "read the last verification of " + entity, e);
    }
  }

  /**
   * The latest verification of {@code entity}, finished or not (a running one shows its counts so far); empty when
   * none has started.
   */
  public Optional<VerificationReport> latestVerification(String entity) {
    Objects.requireNonNull(entity, "entity");
    try (Connection connection = dataSource.getConnection()) {
      return VerificationTable.latest(connection, entity).map(VerificationTable.Row::report);
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_verification", "read the latest verification of " + entity, e);
    }
  }
}
