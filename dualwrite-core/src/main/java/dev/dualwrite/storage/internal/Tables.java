package dev.dualwrite.storage.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SortedSet;
import java.util.TreeSet;

/** Read-only queries across several of dualwrite's tables, for operators' tools. Stateless and thread-safe. */
public final class Tables {
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
}
