package dev.dualwrite.storage.internal;

import dev.dualwrite.jdbc.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table {@code dualwrite_legacy_versions}: the version of the change each legacy row last took since its entity
 * entered {@code NEW_WRITES}, and whose write it was. Every method works on the caller's connection, inside its
 * transaction: the write-through and the reverse sync read and write it in the transaction that writes the row.
 * Stateless and thread-safe.
 */
public final class LegacyVersionsTable {
  /** Whose write left a legacy row's version. */
  public enum Writer { MONOLITH, SERVICE }

  private static final String READ = "SELECT version FROM dualwrite_legacy_versions WHERE entity = ? AND entity_id = ?";
  private static final String LOCK = READ + " FOR UPDATE";
  private static final String UPDATE = "UPDATE dualwrite_legacy_versions SET version = ?, written_by = ?,"
      + " written_at = ? WHERE entity = ? AND entity_id = ?";
  private static final String INSERT = "INSERT INTO dualwrite_legacy_versions (entity, entity_id, version, written_by,"
      + " written_at) VALUES (?, ?, ?, ?, ?)";
  private static final String LAST_WRITE =
      "SELECT MAX(written_at) AS last_write FROM dualwrite_legacy_versions WHERE entity = ? AND written_by = ?";
  private static final String CLEAR = "DELETE FROM dualwrite_legacy_versions WHERE entity = ?";

  private static final int CHUNK = 500;

  private LegacyVersionsTable() {}

  /** The version the legacy row of {@code entityId} last took, locked until the transaction ends; empty if unknown. */
  public static Optional<Long> lock(Connection connection, String entity, String entityId) throws SQLException {
    return version(connection, LOCK, entity, entityId);
  }

  /** The version the legacy row of {@code entityId} last took, without a lock; empty if unknown. */
  public static Optional<Long> read(Connection connection, String entity, String entityId) throws SQLException {
    return version(connection, READ, entity, entityId);
  }

  private static Optional<Long> version(Connection connection, String sql, String entity, String entityId)
      throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      s.setString(1, entity);
      s.setString(2, entityId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  /** Records that the legacy row of {@code entityId} took {@code version}, written by {@code writer} at {@code at}. */
  public static void put(Connection connection, String entity, String entityId, long version, Writer writer,
      Instant at) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
      update.setLong(1, version);
      update.setString(2, writer.name());
      Jdbc.setInstant(update, 3, at);
      update.setString(4, entity);
      update.setString(5, entityId);
      if (update.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      insert.setString(1, entity);
      insert.setString(2, entityId);
      insert.setLong(3, version);
      insert.setString(4, writer.name());
      Jdbc.setInstant(insert, 5, at);
      insert.executeUpdate();
    }
  }

  /**
   * The versions the legacy rows of {@code entityIds} last took, those known, locked until the transaction ends. One
   * query per 500 ids.
   */
  public static Map<String, Long> lockAll(Connection connection, String entity, Collection<String> entityIds)
      throws SQLException {
    if (connection.getMetaData().getDatabaseProductName().startsWith("PostgreSQL")) {
      // the table starts empty at each entry into NEW_WRITES and grows fast: a plan the driver's prepared statement
      // cached while it was small (a sequential scan) would stay, each page's lookup growing with the table
      try (Statement s = connection.createStatement()) {
        s.execute("SET LOCAL plan_cache_mode = force_custom_plan");
      }
    }
    Map<String, Long> versions = new HashMap<>();
    List<String> ids = List.copyOf(entityIds);
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      String sql = "SELECT entity_id, version FROM dualwrite_legacy_versions WHERE entity = ? AND entity_id IN ("
          + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ") FOR UPDATE";
      try (PreparedStatement s = connection.prepareStatement(sql)) {
        s.setString(1, entity);
        for (int i = 0; i < chunk.size(); i++) {
          s.setString(i + 2, chunk.get(i));
        }
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            versions.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
    }
    return versions;
  }

  /**
   * Records the versions legacy's rows took, in two batches: an update of the rows {@code known} lists (as
   * {@link #lockAll} answered), an insert of the others.
   */
  public static void putAll(Connection connection, String entity, Map<String, Long> versions,
      Map<String, Long> known, Writer writer, Instant at) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(UPDATE);
        PreparedStatement insert = connection.prepareStatement(INSERT)) {
      boolean updates = false;
      boolean inserts = false;
      for (Map.Entry<String, Long> version : versions.entrySet()) {
        if (known.containsKey(version.getKey())) {
          update.setLong(1, version.getValue());
          update.setString(2, writer.name());
          Jdbc.setInstant(update, 3, at);
          update.setString(4, entity);
          update.setString(5, version.getKey());
          update.addBatch();
          updates = true;
        } else {
          insert.setString(1, entity);
          insert.setString(2, version.getKey());
          insert.setLong(3, version.getValue());
          insert.setString(4, writer.name());
          Jdbc.setInstant(insert, 5, at);
          insert.addBatch();
          inserts = true;
        }
      }
      if (updates) {
        update.executeBatch();
      }
      if (inserts) {
        insert.executeBatch();
      }
    }
  }

  /** When the monolith last wrote a row of {@code entity} since it entered NEW_WRITES; empty when it has not. */
  public static Optional<Instant> lastMonolithWrite(Connection connection, String entity) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(LAST_WRITE)) {
      s.setString(1, entity);
      s.setString(2, Writer.MONOLITH.name());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return Optional.ofNullable(Jdbc.getInstant(rs, "last_write"));
      }
    }
  }

  /** Forgets every version of {@code entity}: a new NEW_WRITES period starts from what the service holds. */
  public static void clear(Connection connection, String entity) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(CLEAR)) {
      s.setString(1, entity);
      s.executeUpdate();
    }
  }
}
