package dev.dualwrite.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteBuilder;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.hibernate.DualWriteHibernate;
import dev.dualwrite.hibernate.Mirrored;
import dev.dualwrite.jdbc.DualWriteRecords;
import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.legacy.spi.LegacySource;
import dev.dualwrite.relay.RelayConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import picocli.CommandLine.Option;

/**
 * How the CLI reaches the monolith's database (and, for {@code verify}, the new service), shared by every command.
 * The CLI is a dualwrite node of its own that never relays: the monolith's nodes deliver.
 */
final class MonolithConnection implements AutoCloseable {
  @Option(names = "--jdbc-url", defaultValue = "${env:DUALWRITE_JDBC_URL}",
      description = "The monolith's database, where dualwrite's tables are (env DUALWRITE_JDBC_URL).")
  String jdbcUrl;

  @Option(names = "--user", defaultValue = "${env:DUALWRITE_DB_USER}", description = "Database user.")
  String user;

  @Option(names = "--password", defaultValue = "${env:DUALWRITE_DB_PASSWORD}", arity = "0..1", interactive = true,
      description = "Database password (env DUALWRITE_DB_PASSWORD; never printed).")
  String password;

  @Option(names = "--target-url", defaultValue = "${env:DUALWRITE_TARGET_URL}",
      description = "The new service's mirror-protocol base URL, for verify (env DUALWRITE_TARGET_URL).")
  String targetUrl;

  @Option(names = "--entity-class", split = ",",
      description = "@Mirrored entity classes (on the classpath), for backfill and verify.")
  List<String> entityClasses = List.of();

  private HikariDataSource dataSource;
  private DualWrite dualWrite;
  private SessionFactory sessions;

  /** dualwrite over the database, knowing {@code entities} plus every entity its tables mention. */
  DualWrite dualWrite(String... entities) {
    if (dualWrite == null) {
      TreeSet<String> names = new TreeSet<>(knownEntities());
      names.addAll(List.of(entities));
      names.addAll(mirroredClasses().keySet());
      if (names.isEmpty()) {
        throw new CliFailure("no entity is known yet: name one, e.g. 'phase users DUAL_WRITE'");
      }
      DualWriteBuilder builder = DualWrite.builder().withDataSource(dataSource())
          .withRelay(RelayConfig.builder().withEnabled(false).build());
      names.forEach(name -> builder.withEntity(EntityMigration.builder(name).build()));
      if (targetUrl != null && !targetUrl.isBlank()) {
        builder.withTargetUrl(targetUrl);
      }
      dualWrite = builder.build();
    }
    return dualWrite;
  }

  /** The legacy rows of {@code entity}, read through Hibernate with its {@code @Mirrored} class. */
  LegacySource legacySource(String entity) {
    Map<String, Class<?>> classes = mirroredClasses();
    if (!classes.containsKey(entity)) {
      throw new CliFailure("no @Mirrored(\"" + entity + "\") class given; pass --entity-class with the entity class"
          + " (and put the monolith's jar on the classpath)");
    }
    if (sessions == null) {
      Map<String, Object> settings = new HashMap<>();
      settings.put(AvailableSettings.DATASOURCE, dataSource());
      DualWriteHibernate.configure(settings, dualWrite(entity));
      MetadataSources sources = new MetadataSources(new StandardServiceRegistryBuilder().applySettings(settings)
          .build());
      classes.values().forEach(sources::addAnnotatedClass);
      sessions = sources.buildMetadata().buildSessionFactory();
    }
    return DualWriteHibernate.legacySource(sessions, entity);
  }

  HikariDataSource dataSource() {
    if (dataSource == null) {
      if (jdbcUrl == null || jdbcUrl.isBlank()) {
        throw new CliFailure("no database: give --jdbc-url or set DUALWRITE_JDBC_URL");
      }
      dataSource = new HikariDataSource();
      dataSource.setJdbcUrl(jdbcUrl);
      if (user != null) {
        dataSource.setUsername(user);
      }
      if (password != null) {
        dataSource.setPassword(password);
      }
      dataSource.setMaximumPoolSize(4);
      dataSource.setPoolName("dualwrite-cli");
      DualWriteSchema.createIfMissing(dataSource);
    }
    return dataSource;
  }

  private Map<String, Class<?>> mirroredClasses() {
    Map<String, Class<?>> classes = new HashMap<>();
    for (String name : entityClasses) {
      try {
        Class<?> type = Class.forName(name.trim());
        Mirrored mirrored = type.getAnnotation(Mirrored.class);
        if (mirrored == null) {
          throw new CliFailure("class " + name + " is not @Mirrored");
        }
        classes.put(mirrored.value(), type);
      } catch (ClassNotFoundException e) {
        throw new CliFailure("class " + name + " is not on the classpath; add the monolith's jar with -cp");
      }
    }
    return classes;
  }

  /** Entities dualwrite's tables mention: moved, with changes, backfilled or verified. */
  private SortedSet<String> knownEntities() {
    return records().entities();
  }

  /** A read-only view of dualwrite's tables in the monolith's database. */
  DualWriteRecords records() {
    return DualWriteRecords.of(dataSource());
  }

  @Override
  public void close() {
    if (sessions != null) {
      sessions.close();
    }
    if (dualWrite != null) {
      dualWrite.close();
    }
    if (dataSource != null) {
      dataSource.close();
    }
  }
}
