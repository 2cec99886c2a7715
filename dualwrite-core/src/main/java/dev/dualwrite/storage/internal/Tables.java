package dev.dualwrite.storage.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Statements across several of dualwrite's tables. Stateless and thread-safe. */
public final class Tables {
  /** Every table of dualwrite, in the order the schema files create them. */
  public static final List<String> ALL = List.of("dualwrite_phase", "dualwrite_phase_history", "dualwrite_outbox",
      "dualwrite_backfill", "dualwrite_verification", "dualwrite_shadow_stats");

  private static final String ENTITIES =
      "SELECT entity FROM dualwrite_phase UNION SELECT DISTINCT entity FROM dualwrite_outbox"
          + " UNION SELECT entity FROM dualwrite_backfill UNION SELECT DISTINCT entity FROM dualwrite_verification";

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

  /** Deletes every row of every table of dualwrite ({@code TRUNCATE}: no dead rows left behind). */
  public static void empty(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      for (String table : ALL) {
        s.execute("TRUNCATE TABLE " + table);
      }
    }
  }
}
