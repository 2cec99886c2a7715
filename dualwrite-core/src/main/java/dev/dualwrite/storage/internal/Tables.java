package dev.dualwrite.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Statements across several of dualwrite's tables. Stateless and thread-safe. */
public final class Tables {
  /** Every table of dualwrite, in the order the schema files create them. */
  public static final List<String> ALL = List.of("dualwrite_phase", "dualwrite_phase_history", "dualwrite_outbox",
      "dualwrite_backfill", "dualwrite_verification", "dualwrite_shadow_stats", "dualwrite_delivery_pause",
      "dualwrite_reverse_sync", "dualwrite_legacy_versions", "dualwrite_reverse_dead_letters",
      "dualwrite_legacy_write_paths", "dualwrite_backfill_chunks",
      "dualwrite_verification_chunks");

  private static final String ENTITIES =
      "SELECT entity FROM dualwrite_phase UNION SELECT DISTINCT entity FROM dualwrite_outbox"
          + " UNION SELECT entity FROM dualwrite_backfill UNION SELECT DISTINCT entity FROM dualwrite_verification"
          + " UNION SELECT entity FROM dualwrite_delivery_pause";

  private Tables() {}

  /** The entities the tables mention: moved, with changes, backfilled or verified; sorted. */
  public static SortedSet<String> entities(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(ENTITIES)) {
      SortedSet<String> names = new TreeSet<>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      return names;
    }
  }

  /**
   * The tables of {@link #ALL} that cannot be read on {@code connection} (missing, or not readable by its user), in
   * the order of {@link #ALL}. Reads nothing but a row count of zero; {@code connection} must be in auto-commit mode so
   * that a failed statement does not end a transaction.
   */
  public static List<String> unreadable(Connection connection) throws SQLException {
    List<String> unreadable = new ArrayList<>();
    for (String table : ALL) {
      try (Statement s = connection.createStatement()) {
        s.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
      } catch (SQLException e) {
        if (connection.isClosed()) {
          throw e;
        }
        unreadable.add(table);
      }
    }
    return unreadable;
  }

  /** Deletes every row that mentions {@code entity} from every table of dualwrite; returns how many. */
  public static int forget(Connection connection, String entity) throws SQLException {
    int deleted = 0;
    for (String table : ALL) {
      try (PreparedStatement s = connection.prepareStatement("DELETE FROM " + table + " WHERE entity = ?")) {
        s.setString(1, entity);
        deleted += s.executeUpdate();
      }
    }
    return deleted;
  }

  /** Deletes every row of every table of dualwrite ({@code TRUNCATE}: no dead rows left behind). */
  public static void empty(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      for (String table : ALL) {
        s.execute("TRUNCATE TABLE " + table);
      }
    }
  }
}
