package dev.dualwrite.storage.internal;

import dev.dualwrite.cutover.LegacyWritePath;
import dev.dualwrite.jdbc.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The table {@code dualwrite_legacy_write_paths}: legacy writes counted per (entity, phase revision, node, call site).
 * Only one node writes its rows, so {@link #add} is an update-else-insert without locking between nodes. Each method
 * runs on a connection of its own, in auto-commit. Thread-safe.
 */
public final class LegacyWritePathsTable {
  /** The longest call site kept; longer ones are cut. */
  public static final int CALL_SITE_LIMIT = 400;

  private static final String ADD = "UPDATE dualwrite_legacy_write_paths SET writes = writes + ?,"
      + " last_seen = CASE WHEN last_seen < ? THEN ? ELSE last_seen END"
      + " WHERE entity = ? AND revision = ? AND node = ? AND call_site = ?";
  private static final String INSERT = "INSERT INTO dualwrite_legacy_write_paths (entity, revision, node, call_site,"
      + " writes, last_seen) VALUES (?, ?, ?, ?, ?, ?)";
  private static final String PATHS = "SELECT call_site, SUM(writes) AS writes, MAX(last_seen) AS last_seen"
      + " FROM dualwrite_legacy_write_paths WHERE entity = ? AND revision = ? GROUP BY call_site"
      + " ORDER BY SUM(writes) DESC, call_site";

  private final DataSource dataSource;

  public LegacyWritePathsTable(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Adds {@code writes} seen at {@code callSite}, the last at {@code lastSeen}, to this node's row. */
  public void add(String entity, long revision, String node, String callSite, long writes, Instant lastSeen)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement update = c.prepareStatement(ADD)) {
        update.setLong(1, writes);
        Jdbc.setInstant(update, 2, lastSeen);
        Jdbc.setInstant(update, 3, lastSeen);
        update.setString(4, entity);
        update.setLong(5, revision);
        update.setString(6, node);
        update.setString(7, callSite);
        if (update.executeUpdate() == 1) {
          return;
        }
      }
      try (PreparedStatement insert = c.prepareStatement(INSERT)) {
        insert.setString(1, entity);
        insert.setLong(2, revision);
        insert.setString(3, node);
        insert.setString(4, callSite);
        insert.setLong(5, writes);
        Jdbc.setInstant(insert, 6, lastSeen);
        insert.executeUpdate();
      }
    }
  }

  /** Up to {@code limit} call sites that wrote {@code entity} in phase revision {@code revision}, most writes first. */
  public List<LegacyWritePath> paths(String entity, long revision, int limit) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(PATHS)) {
      s.setString(1, entity);
      s.setLong(2, revision);
      try (ResultSet rs = s.executeQuery()) {
        List<LegacyWritePath> paths = new ArrayList<>();
        while (rs.next() && paths.size() < limit) {
          paths.add(new LegacyWritePath(rs.getString("call_site"), rs.getLong("writes"),
              Jdbc.getInstant(rs, "last_seen")));
        }
        return paths;
      }
    }
  }
}
