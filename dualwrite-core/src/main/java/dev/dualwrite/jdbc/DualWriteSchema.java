package dev.dualwrite.jdbc;

import dev.dualwrite.DualWriteStorageException;
import dev.dualwrite.storage.internal.Tables;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dualwrite's own tables, as versioned migrations in plain SQL per database, shipped in the dualwrite-core jar:
 * {@code db/migration/dualwrite/<database>/V1__dualwrite_tables.sql}, ... A released migration is never edited; a
 * release that changes a table adds the next one. Apply them in production with Flyway ({@link #migrationLocation},
 * with a history table of their own), Liquibase (include {@link #LIQUIBASE_CHANGELOG}) or by hand in version order;
 * {@link #createIfMissing} is the opt-in shortcut for demos and tests. Every statement uses {@code IF NOT EXISTS}, so
 * running a migration again changes nothing. Stateless and thread-safe.
 */
public final class DualWriteSchema {
  /** The Liquibase changelog to include from the application's own: it applies the migrations of each database. */
  public static final String LIQUIBASE_CHANGELOG = "db/changelog/dualwrite/changelog.xml";

  /** The migrations of every database, in version order; each database's folder holds a file of each name. */
  private static final List<String> MIGRATIONS =
      List.of("V1__dualwrite_tables.sql", "V2__delivery_pause.sql", "V3__reverse_sync.sql",
          "V4__backfill_chunks.sql", "V5__trace_context.sql",
          "V6__verification_chunks.sql");

  private static final Logger log = LoggerFactory.getLogger(DualWriteSchema.class);

  private DualWriteSchema() {}

  /**
   * The classpath folder holding the migrations for {@code dialect}, e.g. {@code db/migration/dualwrite/postgresql};
   * prefix it with {@code classpath:} for Flyway. The jar also has {@code db/migration/dualwrite/mariadb} (the same
   * files as {@code mysql}), so Spring Boot's {@code classpath:db/migration/dualwrite/{vendor}} finds either.
   */
  public static String migrationLocation(DatabaseDialect dialect) {
    return "db/migration/dualwrite/" + dialect.id();
  }

  /** The classpath resources of every migration for {@code dialect}, in version order. */
  public static List<String> migrations(DatabaseDialect dialect) {
    return MIGRATIONS.stream().map(name -> migrationLocation(dialect) + "/" + name).toList();
  }

  /** The SQL statements of every migration for {@code dialect}, in order, without trailing semicolons. */
  public static List<String> statements(DatabaseDialect dialect) {
    return migrations(dialect).stream().flatMap(path -> statements(path).stream()).toList();
  }

  private static List<String> statements(String path) {
    try (InputStream in = DualWriteSchema.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("schema resource " + path + " is missing from the dualwrite-core jar");
      }
      String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Arrays.stream(sql.split(";\\s*(\\r?\\n|$)"))
          .map(DualWriteSchema::stripComments)
          .filter(s -> !s.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema resource " + path, e);
    }
  }

  /**
   * Creates dualwrite's tables in the database behind {@code dataSource} where they do not exist yet, by applying
   * every migration of its database; it keeps no history, which is why production databases use a migration tool.
   *
   * @throws DualWriteStorageException when the database fails (unreachable, or the user may not create tables)
   */
  public static void createIfMissing(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      DatabaseDialect dialect = DatabaseDialect.of(connection);
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements(dialect)) {
          statement.execute(sql);
        }
      } finally {
        connection.setAutoCommit(autoCommit);
      }
      log.info("dualwrite tables present ({} migrations from {})", MIGRATIONS.size(), migrationLocation(dialect));
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_*", "create dualwrite's tables", e);
    }
  }

  /**
   * Deletes every row of dualwrite's tables in the database behind {@code dataSource}: phases and their history, the
   * outbox, backfill checkpoints, verification runs, shadow statistics. For tests and benchmarks that reuse one
   * database; never on a database that migrates: it also starts dualwrite's change sequence (the versions it sends)
   * again from 1, so empty the new service's store with it.
   *
   * @throws DualWriteStorageException when the database fails or a table is missing
   */
  public static void empty(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(true);
      try {
        Tables.empty(connection);
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_*", "empty dualwrite's tables", e);
    }
  }

  /**
   * Deletes every row that mentions {@code entity} from dualwrite's tables: its phase and history, its outbox rows
   * (dead letters included), its backfill checkpoint, verification runs and shadow statistics. For an entity recorded
   * by mistake (a misspelt name) or one that is no longer migrated; the monolith's own tables are not touched. Nodes
   * that still configure the entity see it back in {@code LEGACY_ONLY}.
   *
   * @return how many rows were deleted
   * @throws DualWriteStorageException when the database fails or a table is missing
   */
  public static int forget(DataSource dataSource, String entity) {
    Objects.requireNonNull(entity, "entity");
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        int deleted = Tables.forget(connection, entity);
        connection.commit();
        log.info("dualwrite: forgot entity '{}' ({} rows deleted from dualwrite's tables)", entity, deleted);
        return deleted;
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_*", "forget entity " + entity, e);
    }
  }

  private static String stripComments(String statement) {
    StringBuilder out = new StringBuilder();
    for (String line : statement.split("\\r?\\n")) {
      if (!line.strip().startsWith("--")) {
        out.append(line).append('\n');
      }
    }
    return out.toString().strip();
  }
}
