package dev.dualwrite.hibernate;

import dev.dualwrite.test.db.TestDatabase;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;

/**
 * Rows a monolith already held before dual writing started, written with plain JDBC batches (as the legacy data is
 * not written through dualwrite), and the version a row holds.
 */
final class LegacyRows {
  private static final int BATCH = 1000;

  private LegacyRows() {}

  /** Users {@code first} to {@code first + count - 1}, version 0, named {@code User <id>}. */
  static void insertUsers(TestDatabase db, long first, int count) {
    insert(db, "INSERT INTO app_users (id, version, email, name, birthday) VALUES (?, 0, ?, ?, ?)", first, count,
        (statement, id) -> {
          statement.setString(2, "user" + id + "@example.com");
          statement.setString(3, "User " + id);
          statement.setDate(4, Date.valueOf(LocalDate.of(1970, 1, 1).plusDays(id % 20_000)));
        });
  }

  /** Notes {@code first} to {@code first + count - 1} with the text {@code note <id>}. */
  static void insertNotes(TestDatabase db, long first, int count) {
    insert(db, "INSERT INTO app_notes (id, text) VALUES (?, ?)", first, count,
        (statement, id) -> statement.setString(2, "note " + id));
  }

  /** The version the legacy row of user {@code id} holds. */
  static long userVersion(TestDatabase db, long id) {
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT version FROM app_users WHERE id = ?")) {
      statement.setLong(1, id);
      try (var rs = statement.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no user " + id);
        }
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @FunctionalInterface
  private interface Columns {
    void set(PreparedStatement statement, long id) throws SQLException;
  }

  private static void insert(TestDatabase db, String sql, long first, int count, Columns columns) {
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      connection.setAutoCommit(false);
      for (long id = first; id < first + count; id++) {
        statement.setLong(1, id);
        columns.set(statement, id);
        statement.addBatch();
        if ((id - first + 1) % BATCH == 0) {
          statement.executeBatch();
        }
      }
      statement.executeBatch();
      connection.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot insert legacy rows: " + e.getMessage(), e);
    }
  }
}
