package dev.dualwrite.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.storage.internal.Tables;
import dev.dualwrite.test.db.DatabaseKind;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import java.io.File;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * The migrations shipped in the jar, applied by real Flyway and real Liquibase next to an application's own table,
 * create exactly the tables, columns, keys and indexes that {@link DualWriteSchema#createIfMissing} creates.
 */
class MigrationToolsTest {
  /** Tables of the tools and of the application, left out of the comparison. */
  private static final Set<String> NOT_DUALWRITE =
      Set.of("dualwrite_schema_history", "DATABASECHANGELOG", "DATABASECHANGELOGLOCK", "app_orders");

  @DatabaseTest
  void flywayWithItsOwnHistoryTableCreatesWhatCreateIfMissingCreates(TestDatabase db) throws SQLException {
    Map<String, List<String>> expected = createdByCreateIfMissing(db);

    db.execute("CREATE TABLE app_orders (id BIGINT PRIMARY KEY)");
    // Spring Boot's {vendor} is "mariadb" on MariaDB; the jar has that folder too.
    String vendor = db.kind() == DatabaseKind.MARIADB ? "mariadb" : "postgresql";
    MigrateResult first = flyway(db.dataSource(), "classpath:db/migration/dualwrite/" + vendor).migrate();
    MigrateResult again = flyway(db.dataSource(), "classpath:db/migration/dualwrite/" + vendor).migrate();

    assertThat(first.migrationsExecuted).isEqualTo(DualWriteSchema.migrations(DatabaseDialect.POSTGRESQL).size());
    assertThat(again.migrationsExecuted).isZero();
    assertThat(schema(db.dataSource())).isEqualTo(expected);
  }

  @DatabaseTest
  void liquibaseIncludedFromTheApplicationsChangelogCreatesWhatCreateIfMissingCreates(TestDatabase db)
      throws Exception {
    Map<String, List<String>> expected = createdByCreateIfMissing(db);

    liquibaseUpdate(db.dataSource());
    liquibaseUpdate(db.dataSource());

    assertThat(schema(db.dataSource())).isEqualTo(expected);
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM DATABASECHANGELOG WHERE author = 'dualwrite'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("dualwrite change sets applied once, on this database only")
          .isEqualTo(DualWriteSchema.migrations(DatabaseDialect.detect(db.dataSource())).size());
    }
  }

  @Test
  void onH2BothToolsCreateWhatCreateIfMissingCreates() throws Exception {
    DataSource plain = h2("plain");
    DualWriteSchema.createIfMissing(plain);
    Map<String, List<String>> expected = schema(plain);
    assertThat(expected).containsOnlyKeys(Tables.ALL);

    DataSource flyway = h2("flyway");
    flyway(flyway, "classpath:" + DualWriteSchema.migrationLocation(DatabaseDialect.H2)).migrate();
    DataSource liquibase = h2("liquibase");
    liquibaseUpdate(liquibase);

    assertThat(schema(flyway)).isEqualTo(expected);
    assertThat(schema(liquibase)).isEqualTo(expected);
  }

  @Test
  void everyDatabaseHasEveryMigrationAndNothingElse() throws URISyntaxException {
    for (DatabaseDialect dialect : DatabaseDialect.values()) {
      File folder = new File(getClass().getClassLoader().getResource(DualWriteSchema.migrationLocation(dialect)).toURI());
      List<String> files = Arrays.stream(folder.list()).sorted().map(name -> folder.getName() + "/" + name).toList();
      assertThat(DualWriteSchema.migrations(dialect)).as(dialect.id())
          .map(path -> path.substring(path.lastIndexOf('/', path.lastIndexOf('/') - 1) + 1))
          .containsExactlyElementsOf(files);
    }
  }

  private static Map<String, List<String>> createdByCreateIfMissing(TestDatabase db) throws SQLException {
    dropEverything(db);
    DualWriteSchema.createIfMissing(db.dataSource());
    DualWriteSchema.createIfMissing(db.dataSource());
    Map<String, List<String>> schema = schema(db.dataSource());
    assertThat(schema).containsOnlyKeys(Tables.ALL);
    dropEverything(db);
    assertThat(schema(db.dataSource())).isEmpty();
    return schema;
  }

  private static Flyway flyway(DataSource dataSource, String location) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations(location)
        .table("dualwrite_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
  }

  private static void liquibaseUpdate(DataSource dataSource) throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
      new CommandScope(UpdateCommandStep.COMMAND_NAME)
          .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
          .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, "db/changelog/application.xml")
          .execute();
    }
  }

  private static DataSource h2(String name) {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:migrations-" + name + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }

  private static void dropEverything(TestDatabase db) {
    List<String> drops = new ArrayList<>();
    for (String table : Tables.ALL) {
      drops.add("DROP TABLE IF EXISTS " + table);
    }
    for (String table : NOT_DUALWRITE) {
      drops.add("DROP TABLE IF EXISTS " + table);
    }
    db.execute(drops.toArray(String[]::new));
  }

  /** dualwrite's tables as the driver's metadata describes them: per table, its columns, primary key and indexes. */
  private static Map<String, List<String>> schema(DataSource dataSource) throws SQLException {
    Map<String, List<String>> tables = new TreeMap<>();
    try (Connection c = dataSource.getConnection()) {
      DatabaseMetaData md = c.getMetaData();
      String catalog = c.getCatalog();
      String schema = c.getSchema();
      try (ResultSet rs = md.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          String table = rs.getString("TABLE_NAME");
          if (NOT_DUALWRITE.stream().noneMatch(table::equalsIgnoreCase)) {
            tables.put(table.toLowerCase(Locale.ROOT), describe(md, catalog, schema, table));
          }
        }
      }
    }
    return tables;
  }

  private static List<String> describe(DatabaseMetaData md, String catalog, String schema, String table)
      throws SQLException {
    List<String> facts = new ArrayList<>();
    try (ResultSet rs = md.getColumns(catalog, schema, table, "%")) {
      while (rs.next()) {
        facts.add("column " + rs.getInt("ORDINAL_POSITION") + " " + rs.getString("COLUMN_NAME") + " "
            + rs.getString("TYPE_NAME") + "(" + rs.getInt("COLUMN_SIZE") + "," + rs.getInt("DECIMAL_DIGITS") + ")"
            + " nullable=" + rs.getString("IS_NULLABLE") + " auto=" + rs.getString("IS_AUTOINCREMENT")
            + " default=" + rs.getString("COLUMN_DEF"));
      }
    }
    try (ResultSet rs = md.getPrimaryKeys(catalog, schema, table)) {
      while (rs.next()) {
        facts.add("primary key " + rs.getShort("KEY_SEQ") + " " + rs.getString("COLUMN_NAME"));
      }
    }
    try (ResultSet rs = md.getIndexInfo(catalog, schema, table, false, false)) {
      while (rs.next()) {
        if (rs.getString("COLUMN_NAME") != null) {
          // H2 names the indexes behind keys and constraints with a suffix of its own choosing.
          String index = rs.getString("INDEX_NAME").replaceFirst("(PRIMARY_KEY|_INDEX)_[0-9A-F]+$", "$1");
          facts.add("index " + index + " unique=" + !rs.getBoolean("NON_UNIQUE") + " "
              + rs.getShort("ORDINAL_POSITION") + " " + rs.getString("COLUMN_NAME"));
        }
      }
    }
    facts.sort(null);
    return facts;
  }
}
