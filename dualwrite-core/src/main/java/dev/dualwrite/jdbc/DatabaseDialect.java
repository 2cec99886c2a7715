package dev.dualwrite.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** The databases dualwrite keeps its own tables in. */
public enum DatabaseDialect {
  POSTGRESQL("postgresql"),
  /** MariaDB and MySQL. */
  MYSQL("mysql"),
  /** H2, for demos. */
  H2("h2");

  private final String id;

  DatabaseDialect(String id) {
    this.id = id;
  }

  /** The short name used in resource paths: {@code postgresql}, {@code mysql}, {@code h2}. */
  public String id() {
    return id;
  }

  /**
   * How the database's metadata spells the unquoted identifier {@code name} (H2 folds it to upper case), e.g. to
   * name a generated-key column.
   */
  public String identifier(String name) {
    return this == H2 ? name.toUpperCase(Locale.ROOT) : name;
  }

  /**
   * The dialect of the database behind {@code dataSource}, asked through one connection.
   *
   * @throws IllegalArgumentException naming the product when it is not supported
   * @throws java.io.UncheckedIOException never; SQL failures surface as {@link IllegalStateException}
   */
  public static DatabaseDialect detect(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      return of(connection);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to the database to detect its dialect: " + e.getMessage(), e);
    }
  }

  /** The dialect of the database {@code connection} is open to. */
  public static DatabaseDialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    String p = product.toLowerCase(Locale.ROOT);
    if (p.contains("postgres")) {
      return POSTGRESQL;
    }
    if (p.contains("mariadb") || p.contains("mysql")) {
      return MYSQL;
    }
    if (p.equals("h2")) {
      return H2;
    }
    throw new IllegalArgumentException(
        "database '" + product + "' is not supported for dualwrite's own tables; use PostgreSQL, MariaDB, MySQL or H2");
  }
}
