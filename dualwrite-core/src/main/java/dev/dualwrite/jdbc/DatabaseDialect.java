package dev.dualwrite.jdbc;

import dev.dualwrite.DualWriteStorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** The databases dualwrite keeps its own tables in. */
public enum DatabaseDialect {
  POSTGRESQL("postgresql", false),
  /** MariaDB and MySQL. */
  MYSQL("mysql", false),
  /** H2, for demos. */
  H2("h2", true);

  private final String id;
  private final boolean upperCaseIdentifiers;

  DatabaseDialect(String id, boolean upperCaseIdentifiers) {
    this.id = id;
    this.upperCaseIdentifiers = upperCaseIdentifiers;
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
    return upperCaseIdentifiers ? name.toUpperCase(Locale.ROOT) : name;
  }

  /**
   * The dialect of the database behind {@code dataSource}, asked through one connection.
   *
   * @throws IllegalArgumentException naming the product when it is not supported
   * @throws dev.dualwrite.DualWriteStorageException when no connection can be had
   */
  public static DatabaseDialect detect(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      return of(connection);
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_*", "connect to the database to detect its dialect", e);
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
