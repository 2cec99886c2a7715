package dev.dualwrite.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteBuilder;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.hibernate.DualWriteHibernate;
import dev.dualwrite.hibernate.Mirrored;
import dev.dualwrite.jdbc.DatabaseDialect;
import dev.dualwrite.jdbc.DualWriteRecords;
import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.relay.RelayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.BootstrapServiceRegistryBuilder;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import picocli.CommandLine.Option;

/**
 * How the CLI reaches the monolith's database, its entity classes and Hibernate settings, and (for {@code verify})
 * the new service; shared by every command. The CLI is a dualwrite node of its own that never relays: the monolith's
 * nodes deliver. It never creates dualwrite's tables ({@code schema create} does), and it knows only the entities
 * dualwrite's tables mention or the monolith marks {@code @Mirrored}.
 */
final class MonolithConnection implements AutoCloseable {
  @Option(names = "--jdbc-url", defaultValue = "${env:DUALWRITE_JDBC_URL}", paramLabel = "URL",
      description = "The monolith's database, where dualwrite's tables are (env DUALWRITE_JDBC_URL).")
  String jdbcUrl;

  @Option(names = "--user", defaultValue = "${env:DUALWRITE_DB_USER}", paramLabel = "USER",
      description = "Database user (env DUALWRITE_DB_USER).")
  String user;

  @Option(names = "--password", defaultValue = "${env:DUALWRITE_DB_PASSWORD}", arity = "0..1", interactive = true,
      paramLabel = "PASSWORD", description = "Database password (env DUALWRITE_DB_PASSWORD; asked for when given"
          + " without a value; never printed).")
  String password;

  @Option(names = "--target-url", defaultValue = "${env:DUALWRITE_TARGET_URL}", paramLabel = "URL",
      description = "The new service's mirror-protocol base URL, for verify (env DUALWRITE_TARGET_URL).")
  String targetUrl;

  @Option(names = "--monolith", defaultValue = "${env:DUALWRITE_MONOLITH}", paramLabel = "JAR|FOLDER",
      description = "The monolith's classes: its jar (plain or Spring Boot) or classes folder (env"
          + " DUALWRITE_MONOLITH). Its @Mirrored entities and the Hibernate settings in its application.properties"
          + " are used by backfill and verify.")
  Path monolithPath;

  @Option(names = "--entity-class", split = ",", paramLabel = "CLASS",
      description = "@Mirrored entity classes, when they are not found in --monolith (e.g. on -cp).")
  List<String> entityClasses = List.of();

  @Option(names = "--app-properties", paramLabel = "FILE",
      description = "Another properties file of the application's (e.g. application-prod.properties) whose"
          + " Hibernate settings apply on top of the monolith's application.properties.")
  Path appProperties;

  @Option(names = "--hibernate", paramLabel = "NAME=VALUE",
      description = "A Hibernate setting, over the application's, e.g."
          + " --hibernate hibernate.physical_naming_strategy=com.shop.Naming. Repeatable.")
  Map<String, String> hibernate = new LinkedHashMap<>();

  private HikariDataSource dataSource;
  private DualWrite dualWrite;
  private Monolith monolith;
  private Map<String, Class<?>> mirrored;
  private SessionFactory sessions;

  /** dualwrite over the database, knowing every entity the tables mention or the monolith marks {@code @Mirrored}. */
  DualWrite dualWrite() {
    return dualWrite(null);
  }

  /**
   * dualwrite over the database, knowing the {@linkplain #knownEntities() known entities} and {@code newEntity}.
   *
   * @param newEntity an entity to create on purpose ({@code phase --new-entity}), or null
   */
  DualWrite dualWrite(String newEntity) {
    if (dualWrite == null) {
      TreeSet<String> names = new TreeSet<>(knownEntities());
      if (newEntity != null) {
        names.add(newEntity);
      }
      if (names.isEmpty()) {
        throw new CliFailure("no entity is known yet: dualwrite's tables mention none and no @Mirrored class is"
            + " given; give the monolith with --monolith (or --entity-class), or create one on purpose with"
            + " 'phase <entity> DUAL_WRITE --new-entity'");
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

  /**
   * {@code entity}, checked to be known.
   *
   * @throws CliFailure naming the known entities and how to create a new one
   */
  String known(String entity) {
    SortedSet<String> known = knownEntities();
    if (!known.contains(entity)) {
      throw new CliFailure("unknown entity '" + entity + "'; known entities are " + known + " (in dualwrite's tables"
          + " or @Mirrored in the monolith). Check the spelling; to start migrating an entity dualwrite has not seen,"
          + " give the monolith that marks it @Mirrored (--monolith), or create it on purpose with 'phase " + entity
          + " DUAL_WRITE --new-entity'");
    }
    return entity;
  }

  /** The entities dualwrite's tables mention and the monolith's {@code @Mirrored} ones, sorted. */
  SortedSet<String> knownEntities() {
    SortedSet<String> names = new TreeSet<>(records().entities());
    names.addAll(mirroredClasses().keySet());
    return names;
  }

  /** The legacy rows of {@code entity}, read through Hibernate with its {@code @Mirrored} class. */
  LegacySource legacySource(String entity) {
    Map<String, Class<?>> classes = mirroredClasses();
    if (!classes.containsKey(entity)) {
      throw new CliFailure("no @Mirrored(\"" + entity + "\") class " + (classes.isEmpty() ? "given"
          : "among " + classes.keySet()) + "; give the monolith's jar or classes folder with --monolith (or the"
          + " class with --entity-class)");
    }
    if (sessions == null) {
      Map<String, Object> settings = new HashMap<>(hibernateSettings());
      settings.put(AvailableSettings.DATASOURCE, dataSource());
      DualWriteHibernate.configure(settings, dualWrite());
      ClassLoader loader = monolith == null ? getClass().getClassLoader() : monolith.classLoader();
      MetadataSources sources = new MetadataSources(new StandardServiceRegistryBuilder(
          new BootstrapServiceRegistryBuilder().applyClassLoader(loader).build()).applySettings(settings).build());
      classes.values().forEach(sources::addAnnotatedClass);
      sessions = sources.buildMetadata().buildSessionFactory();
    }
    return DualWriteHibernate.legacySource(sessions, entity);
  }

  /** The Hibernate settings the legacy rows are read with: the monolith's, {@code --app-properties}, {@code --hibernate}. */
  Map<String, String> hibernateSettings() {
    Properties more = new Properties();
    if (appProperties != null) {
      try (InputStream in = Files.newInputStream(appProperties)) {
        more.load(in);
      } catch (IOException e) {
        throw new CliFailure("--app-properties " + appProperties + " cannot be read: " + e.getMessage());
      }
    }
    Map<String, String> settings = new TreeMap<>(monolith() == null ? Map.of() : monolith().hibernateSettings(more));
    if (monolith() == null) {
      more.stringPropertyNames().stream().filter(k -> k.startsWith("hibernate."))
          .forEach(k -> settings.put(k, more.getProperty(k).strip()));
    }
    settings.putAll(hibernate);
    return settings;
  }

  /** The database, whose dialect names the schema file. */
  DatabaseDialect dialect() {
    return DatabaseDialect.detect(dataSource());
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
      dataSource.setInitializationFailTimeout(-1);
    }
    return dataSource;
  }

  /**
   * A read-only view of dualwrite's tables, once they are known to be there.
   *
   * @throws CliFailure naming the missing tables and how to create them
   */
  DualWriteRecords records() {
    DualWriteRecords records = DualWriteRecords.of(dataSource());
    List<String> missing = records.unreadableTables();
    if (!missing.isEmpty()) {
      throw new CliFailure("dualwrite's tables are not in this database (cannot read " + missing + "); create them"
          + " with 'dualwrite schema create', or apply the migrations at classpath:"
          + DualWriteSchema.migrationLocation(dialect()) + " with Flyway or " + DualWriteSchema.LIQUIBASE_CHANGELOG
          + " with Liquibase ('dualwrite schema print' shows the SQL)");
    }
    return records;
  }

  /** The @Mirrored classes: the monolith's and {@code --entity-class}, by entity name. */
  Map<String, Class<?>> mirroredClasses() {
    if (mirrored == null) {
      Map<String, Class<?>> classes = new TreeMap<>(monolith() == null ? Map.of() : monolith().mirroredClasses());
      for (String name : entityClasses) {
        Class<?> type = monolith() == null ? loadFromClasspath(name.trim()) : monolith().load(name.trim());
        Mirrored mark = type.getAnnotation(Mirrored.class);
        if (mark == null) {
          throw new CliFailure("class " + name + " is not @Mirrored; give the monolith's @Mirrored entity classes");
        }
        classes.put(mark.value(), type);
      }
      mirrored = classes;
    }
    return mirrored;
  }

  /** Whether the monolith (or {@code --entity-class}) was given, so that its @Mirrored entities are known. */
  boolean monolithGiven() {
    return monolithPath != null || !entityClasses.isEmpty();
  }

  private Monolith monolith() {
    if (monolith == null && monolithPath != null) {
      monolith = Monolith.open(monolithPath);
    }
    return monolith;
  }

  private static Class<?> loadFromClasspath(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new CliFailure("class " + name + " is not on the classpath; give the monolith's jar or classes folder"
          + " with --monolith");
    }
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
    if (monolith != null) {
      monolith.close();
    }
  }
}
