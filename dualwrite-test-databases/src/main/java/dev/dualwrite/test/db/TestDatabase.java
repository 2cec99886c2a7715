package dev.dualwrite.test.db;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * One isolated schema (PostgreSQL) or database (MariaDB) on a real server, for one test class. Thread-safe.
 */
public final class TestDatabase implements AutoCloseable {
  private final DatabaseKind kind;
  private final String serverVersion;
  private final String jdbcUrl;
  private final String schema;
  private final HikariDataSource dataSource;
  private final Runnable drop;

  TestDatabase(DatabaseKind kind, String serverVersion, String jdbcUrl, String schema, Runnable drop) {
    this.kind = kind;
    this.serverVersion = serverVersion;
    this.jdbcUrl = jdbcUrl;
    this.schema = schema;
    this.drop = drop;
    this.dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(jdbcUrl);
    dataSource.setMaximumPoolSize(12);
    dataSource.setMinimumIdle(0);
    dataSource.setPoolName("test-" + kind.name().toLowerCase() + "-" + schema);
  }

  /** Which database this is. */
  public DatabaseKind kind() {
    return kind;
  }

  /** The server's version, as it reports it. */
  public String serverVersion() {
    return serverVersion;
  }

  /** A pooled data source whose connections use this test class's own schema or database. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** A JDBC URL (credentials included) whose connections use this test class's own schema or database. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The name of the isolated schema (PostgreSQL) or database (MariaDB). */
  public String schema() {
    return schema;
  }

  /** Runs SQL statements in auto-commit mode; for test setup. */
  public void execute(String... sql) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String s : sql) {
        statement.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test setup SQL failed on " + this + ": " + e.getMessage(), e);
    }
  }

  /** Closes the pool and drops the schema or database. */
  @Override
  public void close() {
    dataSource.close();
    drop.run();
  }

  @Override
  public String toString() {
    return kind.displayName() + " " + serverVersion + " (" + schema + ")";
  }
}
