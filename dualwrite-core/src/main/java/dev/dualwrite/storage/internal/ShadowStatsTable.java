package dev.dualwrite.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The table {@code dualwrite_shadow_stats}: shadow comparisons counted per (entity, node, phase revision). Only one
 * node writes its rows, so {@link #add} is an update-else-insert without locking between nodes. Each method runs on a
 * connection of its own, in auto-commit. Thread-safe.
 */
public final class ShadowStatsTable {
  private static final String ADD =
      "UPDATE dualwrite_shadow_stats SET compared = compared + ?, mismatched = mismatched + ?"
          + " WHERE entity = ? AND node = ? AND revision = ?";
  private static final String INSERT =
      "INSERT INTO dualwrite_shadow_stats (entity, node, revision, compared, mismatched) VALUES (?, ?, ?, ?, ?)";
  private static final String TOTAL =
      "SELECT COALESCE(SUM(compared), 0), COALESCE(SUM(mismatched), 0) FROM dualwrite_shadow_stats"
          + " WHERE entity = ? AND revision >= ?";

  /** Comparisons counted across nodes. */
  public record Total(long compared, long mismatched) {}

  private final DataSource dataSource;

  public ShadowStatsTable(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Every node's comparisons of {@code entity} from phase revision {@code fromRevision} on. */
  public Total total(String entity, long fromRevision) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(TOTAL)) {
      s.setString(1, entity);
      s.setLong(2, fromRevision);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new Total(rs.getLong(1), rs.getLong(2));
      }
    }
  }

  /** Adds {@code compared} and {@code mismatched} to the row of ({@code entity}, {@code node}, {@code revision}). */
  public void add(String entity, String node, long revision, long compared, long mismatched) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement update = c.prepareStatement(ADD)) {
        update.setLong(1, compared);
        update.setLong(2, mismatched);
        update.setString(3, entity);
        update.setString(4, node);
        update.setLong(5, revision);
        if (update.executeUpdate() == 1) {
          return;
        }
      }
      try (PreparedStatement insert = c.prepareStatement(INSERT)) {
        insert.setString(1, entity);
        insert.setString(2, node);
        insert.setLong(3, revision);
        insert.setLong(4, compared);
        insert.setLong(5, mismatched);
        insert.executeUpdate();
      }
    }
  }
}
