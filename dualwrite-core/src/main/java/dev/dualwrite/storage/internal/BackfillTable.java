package dev.dualwrite.storage.internal;

import dev.dualwrite.backfill.BackfillCheckpoint;
import dev.dualwrite.jdbc.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The table {@code dualwrite_backfill}: one checkpoint row per entity, whose {@code last_id} says how far the key
 * range has been claimed in chunks ({@link ChunkLeasesTable#BACKFILL}) and {@code rows_done} how many rows the copied chunks
 * held. Every method works on the caller's connection
 * inside the caller's transaction and does not commit. Stateless and thread-safe.
 */
public final class BackfillTable {
  private static final String COLUMNS = "entity, last_id, rows_done, started_at, updated_at, finished_at";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM dualwrite_backfill WHERE entity = ?";
  private static final String INSERT =
      "INSERT INTO dualwrite_backfill (entity, last_id, rows_done, started_at, updated_at, finished_at)"
          + " VALUES (?, NULL, 0, ?, ?, NULL)";
  private static final String CLAIM = "UPDATE dualwrite_backfill SET last_id = ?, updated_at = ? WHERE entity = ?";
  private static final String ADD_ROWS =
      "UPDATE dualwrite_backfill SET rows_done = rows_done + ?, updated_at = ? WHERE entity = ?";
  private static final String FINISH =
      "UPDATE dualwrite_backfill SET updated_at = ?, finished_at = ? WHERE entity = ?";
  private static final String DELETE = "DELETE FROM dualwrite_backfill WHERE entity = ?";

  private BackfillTable() {}

  /** The entity's checkpoint, or empty. */
  public static Optional<BackfillCheckpoint> read(Connection connection, String entity) throws SQLException {
    return select(connection, SELECT, entity);
  }

  /**
   * The entity's checkpoint, locked ({@code FOR UPDATE}) until the transaction ends: backfills of the entity on several
   * nodes take turns to claim chunks.
   *
   * @throws IllegalStateException when the entity has no checkpoint (it was reset meanwhile)
   */
  public static BackfillCheckpoint lock(Connection connection, String entity) throws SQLException {
    return select(connection, SELECT + " FOR UPDATE", entity).orElseThrow(() -> new IllegalStateException(
        "the backfill checkpoint of '" + entity + "' disappeared while the backfill ran (reset by another node?);"
            + " run the backfill again"));
  }

  /** Creates the entity's checkpoint at the first key. Fails with a constraint violation when it exists. */
  public static void create(Connection connection, String entity, Instant now) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
      statement.setString(1, entity);
      Jdbc.setInstant(statement, 2, now);
      Jdbc.setInstant(statement, 3, now);
      statement.executeUpdate();
    }
  }

  /** Records that the key range is claimed up to {@code lastId}. */
  public static void claimTo(Connection connection, String entity, String lastId, Instant now) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(CLAIM)) {
      statement.setString(1, lastId);
      Jdbc.setInstant(statement, 2, now);
      statement.setString(3, entity);
      statement.executeUpdate();
    }
  }

  /**
   * Adds the rows of a copied chunk and returns the checkpoint after it, locked until the transaction ends (hold it as
   * briefly as possible: the claims of every node wait for it).
   */
  public static BackfillCheckpoint addRows(Connection connection, String entity, int rows, Instant now)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(ADD_ROWS)) {
      statement.setLong(1, rows);
      Jdbc.setInstant(statement, 2, now);
      statement.setString(3, entity);
      statement.executeUpdate();
    }
    return lock(connection, entity);
  }

  /** Records that no row is left to copy. */
  public static void finish(Connection connection, String entity, Instant now) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(FINISH)) {
      Jdbc.setInstant(statement, 1, now);
      Jdbc.setInstant(statement, 2, now);
      statement.setString(3, entity);
      statement.executeUpdate();
    }
  }

  /** Deletes the entity's checkpoint. */
  public static void delete(Connection connection, String entity) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
      statement.setString(1, entity);
      statement.executeUpdate();
    }
  }

  private static Optional<BackfillCheckpoint> select(Connection connection, String sql, String entity)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, entity);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new BackfillCheckpoint(
            rs.getString("entity"),
            rs.getString("last_id"),
            rs.getLong("rows_done"),
            Jdbc.getInstant(rs, "started_at"),
            Jdbc.getInstant(rs, "updated_at"),
            Jdbc.getInstant(rs, "finished_at")));
      }
    }
  }
}
