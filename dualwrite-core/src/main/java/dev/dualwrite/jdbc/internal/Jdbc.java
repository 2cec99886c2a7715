package dev.dualwrite.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Calendar;
import java.util.TimeZone;
import javax.sql.DataSource;

/** Small JDBC helpers shared by dualwrite's stores: transactions and UTC timestamps. */
public final class Jdbc {
  private static final ThreadLocal<Calendar> UTC =
      ThreadLocal.withInitial(() -> Calendar.getInstance(TimeZone.getTimeZone("UTC")));

  private Jdbc() {}

  /** Work done with one connection inside a transaction. */
  @FunctionalInterface
  public interface TransactionWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction of its own on a connection from {@code dataSource}: commits when it returns,
   * rolls back when it throws.
   */
  public static <T> T inTransaction(DataSource dataSource, TransactionWork<T> work) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      return inTransaction(connection, work);
    }
  }

  /** Runs {@code work} in a transaction on {@code connection}: commits when it returns, rolls back when it throws. */
  public static <T> T inTransaction(Connection connection, TransactionWork<T> work) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      rollbackQuietly(connection, e);
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** Whether {@code e} says a unique or other integrity constraint was violated (SQLState class 23). */
  public static boolean isConstraintViolation(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if (s.getSQLState() != null && s.getSQLState().startsWith("23")) {
        return true;
      }
    }
    return false;
  }

  public static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
    statement.setTimestamp(index, Timestamp.from(instant), UTC.get());
  }

  public static Instant getInstant(ResultSet resultSet, String column) throws SQLException {
    Timestamp timestamp = resultSet.getTimestamp(column, UTC.get());
    return timestamp == null ? null : timestamp.toInstant();
  }

  /** A nullable double column. */
  public static Double getDouble(ResultSet resultSet, String column) throws SQLException {
    double value = resultSet.getDouble(column);
    return resultSet.wasNull() ? null : value;
  }

  /** Sets a nullable double parameter. */
  public static void setDouble(PreparedStatement statement, int index, Double value) throws SQLException {
    if (value == null) {
      statement.setNull(index, java.sql.Types.DOUBLE);
    } else {
      statement.setDouble(index, value);
    }
  }

  private static void rollbackQuietly(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }
}
