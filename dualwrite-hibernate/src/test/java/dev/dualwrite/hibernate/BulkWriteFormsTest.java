package dev.dualwrite.hibernate;

import static dev.dualwrite.hibernate.BulkWriteFormsTest.Db.H2;
import static dev.dualwrite.hibernate.BulkWriteFormsTest.Db.MARIADB;
import static dev.dualwrite.hibernate.BulkWriteFormsTest.Db.POSTGRESQL;
import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static dev.dualwrite.phase.MigrationPhase.NEW_ONLY;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.entities.Audit;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.hibernate.internal.BulkWriteGuard;
import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.test.db.DatabaseKind;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.assertj.core.api.SoftAssertions;
import org.h2.jdbcx.JdbcDataSource;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 13, point 3: every statement form that can write a mirrored table through Hibernate, on PostgreSQL and MariaDB
 * (through {@link DatabaseTest}) and on H2 (in memory, as in the demo). {@link #WRITES} are the forms that write the
 * mirrored {@code app_users} table: with {@code dualwrite.bulk_writes=reject} each is refused and its transaction
 * commits nothing; with {@code warn} each runs and a warning names the table, the entity and the phase; in
 * {@code NEW_ONLY} each is refused even with {@code warn}. {@link #PASSES} are the forms that write no mirrored table,
 * or write it through entity events: they run untouched. The table "Statement forms and databases" in
 * {@code docs/write-path.md} names these forms.
 */
class BulkWriteFormsTest {

  /** The databases a form is written for. */
  enum Db { POSTGRESQL, MARIADB, H2 }

  /** How a form is run in a session. */
  @FunctionalInterface
  interface Run {
    void in(Session session, String sql);
  }

  static final Run JPQL = (s, sql) -> s.createMutationQuery(sql).executeUpdate();
  static final Run JPQL_SELECT = (s, sql) -> s.createSelectionQuery(sql, Object.class).getResultList();
  static final Run NATIVE = (s, sql) -> s.createNativeMutationQuery(sql).executeUpdate();
  static final Run NATIVE_QUERY = (s, sql) -> s.createNativeQuery(sql, Object.class).getResultList();

  /**
   * One statement form: {@code sql} holds its text for each database that has the form ({@code {schema}} stands for
   * the test's schema or database); {@code message} is what the guard says about it, null for a form that passes.
   */
  record Form(String name, Run run, String message, Map<Db, String> sql) {
    /** What the guard adds for a statement it could not parse. */
    String unparsedNote() {
      return UNPARSED.equals(message) ? " could not be parsed (JSqlParser stopped at line 1, column " : "";
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final String UPDATE = "bulk UPDATE on table 'app_users'";
  private static final String DELETE = "bulk DELETE FROM on table 'app_users'";
  private static final String INSERT = "bulk INSERT INTO on table 'app_users'";
  private static final String MERGE = "bulk MERGE INTO on table 'app_users'";
  private static final String REPLACE = "bulk REPLACE INTO on table 'app_users'";
  private static final String TRUNCATE = "bulk TRUNCATE TABLE on table 'app_users'";
  private static final String UNPARSED = "a statement naming table 'app_users'";

  /** Forms that write the mirrored table {@code app_users} outside entity events. */
  static final List<Form> WRITES = List.of(
      new Form("jpql-update", JPQL, UPDATE, everywhere("update User set name = 'bulk'")),
      new Form("jpql-update-alias-where", JPQL, UPDATE,
          everywhere("update User u set u.name = 'bulk' where u.id = 10 and u.name like 'User%'")),
      new Form("jpql-delete-where", JPQL, DELETE, everywhere("delete from User where id = 10")),
      new Form("jpql-delete-alias-where", JPQL, DELETE, everywhere("delete from User u where u.name = 'User 20'")),
      new Form("jpql-insert-select", JPQL, INSERT,
          everywhere("insert into User (id, version, email, name) select u.id + 1000, 0, u.email, u.name from User u")),
      new Form("native-insert", NATIVE, INSERT,
          everywhere("insert into app_users (id, version, email, name) values (30, 0, 'u30@example.com', 'User 30')")),
      new Form("native-update", NATIVE, UPDATE, everywhere("update app_users set name = 'native' where id = 10")),
      new Form("native-delete", NATIVE, DELETE, everywhere("delete from app_users where id = 10")),
      new Form("comments-before", NATIVE, UPDATE,
          everywhere("/* nightly clean-up */ -- by hand\nupdate app_users set name = 'commented' where id = 10")),
      new Form("comments-inside", NATIVE, DELETE,
          everywhere("delete /* one row */ from -- of the users\n app_users where id = 10")),
      new Form("backslash-escape", NATIVE, UPDATE, Map.of(
          MARIADB, "update app_users set name = 'it\\'s' where id = 10")),
      new Form("upper-case-name", NATIVE, UPDATE, Map.of(
          POSTGRESQL, "UPDATE APP_USERS SET NAME = 'upper' WHERE ID = 10",
          H2, "UPDATE APP_USERS SET NAME = 'upper' WHERE ID = 10")),
      new Form("quoted-schema-qualified", NATIVE, UPDATE, Map.of(
          POSTGRESQL, "update \"{schema}\".\"app_users\" set \"name\" = 'quoted' where \"id\" = 10",
          MARIADB, "update `{schema}`.`app_users` set `name` = 'quoted' where `id` = 10",
          H2, "update \"PUBLIC\".\"APP_USERS\" set \"NAME\" = 'quoted' where \"ID\" = 10")),
      new Form("cte-update", NATIVE, UPDATE, Map.of(
          POSTGRESQL, "with t as (select 25 as x) update app_users set name = 'cte' where id = (select x from t)",
          MARIADB, "update app_users set name = 'cte' where id in (with t as (select 25 as x) select x from t)",
          H2, "update app_users set name = 'cte' where id in (with t as (select 25 as x) select x from t)")),
      new Form("cte-delete", NATIVE, DELETE, Map.of(
          POSTGRESQL, "with t as (select 10 as x) delete from app_users where id in (select x from t)",
          MARIADB, "delete from app_users where id in (with t as (select 10 as x) select x from t)",
          H2, "delete from app_users where id in (with t as (select 10 as x) select x from t)")),
      new Form("cte-insert", NATIVE, INSERT, Map.of(
          POSTGRESQL, "with t as (select 40 as x) insert into app_users (id, version, email, name)"
              + " select x, 0, 'cte@example.com', 'cte' from t",
          MARIADB, "insert into app_users (id, version, email, name)"
              + " with t as (select 40 as x) select x, 0, 'cte@example.com', 'cte' from t",
          H2, "insert into app_users (id, version, email, name)"
              + " with t as (select 40 as x) select x, 0, 'cte@example.com', 'cte' from t")),
      new Form("data-modifying-cte-delete", NATIVE_QUERY, DELETE, Map.of(
          POSTGRESQL, "with gone as (delete from app_users where id = 10 returning *) select count(*) from gone")),
      new Form("data-modifying-cte-update-into-insert", NATIVE, UPDATE, Map.of(
          POSTGRESQL, "with renamed as (update app_users set name = 'cte' where id = 10 returning id)"
              + " insert into app_audit (id, what) select id + 100, 'renamed' from renamed")),
      new Form("insert-on-conflict-do-update", NATIVE, INSERT, Map.of(
          POSTGRESQL, "insert into app_users (id, version, email, name) values (10, 0, 'u10@example.com', 'upserted')"
              + " on conflict (id) do update set name = excluded.name")),
      new Form("merge-into", NATIVE, MERGE, Map.of(
          POSTGRESQL, "merge into app_users u using (select 10 as id) s on u.id = s.id"
              + " when matched then update set name = 'merged'",
          H2, "merge into app_users u using (select 10 as id) s on u.id = s.id"
              + " when matched then update set name = 'merged'")),
      new Form("replace-into", NATIVE, REPLACE, Map.of(
          MARIADB, "replace into app_users (id, version, email, name) values (10, 0, 'u10@example.com', 'replaced')")),
      new Form("insert-on-duplicate-key-update", NATIVE, INSERT, Map.of(
          MARIADB, "insert into app_users (id, version, email, name) values (10, 0, 'u10@example.com', 'duplicate')"
              + " on duplicate key update name = values(name)")),
      new Form("update-join", NATIVE, UPDATE, Map.of(
          MARIADB, "update app_users u join app_audit a on a.id = u.id set u.name = a.what")),
      new Form("update-comma-join", NATIVE, UPDATE, Map.of(
          MARIADB, "update app_users u, app_audit a set u.name = a.what where a.id = u.id")),
      new Form("update-from", NATIVE, UPDATE, Map.of(
          POSTGRESQL, "update app_users u set name = a.what from app_audit a where a.id = u.id")),
      new Form("delete-join", NATIVE, DELETE, Map.of(
          MARIADB, "delete u from app_users u join app_audit a on a.id = u.id")),
      new Form("delete-using", NATIVE, DELETE, Map.of(
          POSTGRESQL, "delete from app_users u using app_audit a where a.id = u.id")),
      new Form("truncate", NATIVE, TRUNCATE, everywhere("truncate table app_users")),
      new Form("truncate-several", NATIVE, TRUNCATE, Map.of(POSTGRESQL, "truncate app_audit, app_users")),
      new Form("several-statements", NATIVE, UPDATE, Map.of(
          POSTGRESQL, "update app_audit set what = 'first' where id = 10;"
              + " update app_users set name = 'second' where id = 10")),
      new Form("unparseable-write", NATIVE, UNPARSED, Map.of(
          POSTGRESQL, "update only app_users set name = 'only' where id = 10",
          MARIADB, "update app_users set name = _utf8mb4'introduced' where id = 10",
          H2, "merge into app_users (id, version, email, name) key (id) values (10, 0, 'u10@example.com', 'keyed')")),
      new Form("unparseable-delete-using-join", NATIVE, UNPARSED, Map.of(
          MARIADB, "delete from u using app_users u join app_audit a on a.id = u.id")),
      new Form("unparseable-data-change-delta-table", NATIVE_QUERY, UNPARSED, Map.of(
          H2, "select name from final table (update app_users set name = 'delta' where id = 10)")));

  /** Forms that write no mirrored table outside entity events: they run as if dualwrite were not there. */
  static final List<Form> PASSES = List.of(
      new Form("jpql-select", JPQL_SELECT, null, everywhere("select u.name from User u where u.id = 10")),
      new Form("native-select", NATIVE_QUERY, null, everywhere("select id, name from app_users where id = 10")),
      new Form("select-for-update", NATIVE_QUERY, null,
          everywhere("select id, name from app_users where id = 10 for update")),
      new Form("unparseable-select", NATIVE_QUERY, null, Map.of(
          POSTGRESQL, "select id, name from app_users where id between symmetric 20 and 10",
          MARIADB, "select id, name from app_users where id = 10 lock in share mode",
          H2, "select id, name from app_users where id between symmetric 20 and 10")),
      new Form("jpql-write-other-entity", JPQL, null, everywhere("update Audit set what = 'jpql'")),
      new Form("native-write-other-table", NATIVE, null, everywhere("delete from app_audit where id = 10")),
      new Form("insert-select-reading-mirrored", NATIVE, null,
          everywhere("insert into app_audit (id, what) select id + 100, name from app_users")),
      new Form("jpql-insert-select-reading-mirrored", JPQL, null,
          everywhere("insert into Audit (id, what) select u.id + 100, u.name from User u")),
      new Form("table-name-containing-mirrored-name", NATIVE, null,
          everywhere("insert into app_users_archive (id) select id from app_users")),
      new Form("cte-reading-mirrored", NATIVE, null, Map.of(
          POSTGRESQL, "with names as (select id, name from app_users)"
              + " update app_audit set what = (select name from names where names.id = app_audit.id)",
          MARIADB, "update app_audit set what = 'read'"
              + " where id in (with t as (select id from app_users) select id from t)",
          H2, "update app_audit set what = 'read'"
              + " where id in (with t as (select id from app_users) select id from t)")),
      new Form("update-join-writing-other-table", NATIVE, null, Map.of(
          MARIADB, "update app_audit a join app_users u on u.id = a.id set a.what = u.name",
          POSTGRESQL, "update app_audit a set what = u.name from app_users u where u.id = a.id")),
      new Form("delete-join-writing-other-table", NATIVE, null, Map.of(
          MARIADB, "delete a from app_audit a join app_users u on u.id = a.id",
          POSTGRESQL, "delete from app_audit a using app_users u where u.id = a.id")),
      new Form("entity-persist", (s, sql) -> s.persist(new User(50, "u50@example.com", "User 50")), null,
          everywhere("persist(new User(50, ...))")),
      new Form("entity-merge", (s, sql) -> s.merge(new User(10, "u10@example.com", "Merged")), null,
          everywhere("merge(new User(10, ...))")),
      new Form("entity-dirty-checking", (s, sql) -> s.find(User.class, 25L).setName("Dirty"), null,
          everywhere("find(User.class, 25L).setName(...)")),
      new Form("entity-remove", (s, sql) -> s.remove(s.find(User.class, 20L)), null,
          everywhere("remove(find(User.class, 20L))")));

  private static Map<Db, String> everywhere(String sql) {
    Map<Db, String> all = new EnumMap<>(Db.class);
    for (Db db : Db.values()) {
      all.put(db, sql);
    }
    return all;
  }

  // ---- REJECT: refused, nothing committed

  @DatabaseTest
  void everyFormThatWritesAMirroredTableIsRejectedAndItsTransactionCommitsNothing(TestDatabase db) {
    try (Monolith app = Monolith.on(db, BulkWritePolicy.REJECT)) {
      assertRejected(app);
    }
  }

  @Test
  void everyFormThatWritesAMirroredTableIsRejectedAndItsTransactionCommitsNothingOnH2() {
    try (Monolith app = Monolith.onH2(BulkWritePolicy.REJECT)) {
      assertRejected(app);
    }
  }

  private static void assertRejected(Monolith app) {
    SoftAssertions softly = new SoftAssertions();
    for (Form form : app.forms(WRITES)) {
      app.resetRows();
      String users = app.rows("app_users");
      String audit = app.rows("app_audit");
      long outbox = app.outboxRows();

      softly.assertThatThrownBy(() -> app.sessions().inTransaction(s -> {
        s.persist(new Audit(99, "written in the same transaction"));
        s.flush();
        form.run().in(s, app.sql(form));
      }))
          .as(form.name())
          .hasStackTraceContaining(form.message())
          .hasStackTraceContaining("of mirrored entity 'users' (phase DUAL_WRITE)" + form.unparsedNote())
          .hasStackTraceContaining("It was rejected. Load and change the entities instead");
      softly.assertThat(app.rows("app_users")).as(form.name() + ": app_users unchanged").isEqualTo(users);
      softly.assertThat(app.rows("app_audit")).as(form.name() + ": the transaction rolled back").isEqualTo(audit);
      softly.assertThat(app.outboxRows()).as(form.name() + ": nothing in the outbox").isEqualTo(outbox);
    }
    softly.assertAll();
  }

  // ---- WARN: runs, and says so

  @DatabaseTest
  void everyFormThatWritesAMirroredTableRunsWithAWarningUnderWarn(TestDatabase db) {
    try (Monolith app = Monolith.on(db, BulkWritePolicy.WARN)) {
      assertWarned(app);
    }
  }

  @Test
  void everyFormThatWritesAMirroredTableRunsWithAWarningUnderWarnOnH2() {
    try (Monolith app = Monolith.onH2(BulkWritePolicy.WARN)) {
      assertWarned(app);
    }
  }

  private static void assertWarned(Monolith app) {
    SoftAssertions softly = new SoftAssertions();
    try (Warnings warnings = new Warnings()) {
      for (Form form : app.forms(WRITES)) {
        app.resetRows();
        String before = app.rows("app_users");
        warnings.clear();

        softly.assertThatCode(() -> app.sessions().inTransaction(s -> form.run().in(s, app.sql(form))))
            .as(form.name()).doesNotThrowAnyException();
        softly.assertThat(app.rows("app_users")).as(form.name() + ": it ran").isNotEqualTo(before);
        softly.assertThat(warnings.messages()).as(form.name() + ": warned").anySatisfy(m -> assertThat(m)
            .contains(form.message())
            .contains("of mirrored entity 'users' (phase DUAL_WRITE)" + form.unparsedNote())
            .contains("Run the verifier's repair for 'users' afterwards"));
      }
    }
    softly.assertAll();
  }

  // ---- forms that write no mirrored table

  @DatabaseTest
  void formsThatWriteNoMirroredTableOutsideEntityEventsRunUntouched(TestDatabase db) {
    try (Monolith app = Monolith.on(db, BulkWritePolicy.REJECT)) {
      assertPassed(app);
    }
  }

  @Test
  void formsThatWriteNoMirroredTableOutsideEntityEventsRunUntouchedOnH2() {
    try (Monolith app = Monolith.onH2(BulkWritePolicy.REJECT)) {
      assertPassed(app);
    }
  }

  private static void assertPassed(Monolith app) {
    SoftAssertions softly = new SoftAssertions();
    for (Form form : app.forms(PASSES)) {
      app.resetRows();
      long outbox = app.outboxRows();

      softly.assertThatCode(() -> app.sessions().inTransaction(s -> form.run().in(s, app.sql(form))))
          .as(form.name()).doesNotThrowAnyException();
      long mirrored = form.name().startsWith("entity-") ? 1 : 0;
      softly.assertThat(app.outboxRows() - outbox).as(form.name() + ": changes mirrored").isEqualTo(mirrored);
    }
    softly.assertAll();
  }

  // ---- what the guard cannot see

  @DatabaseTest
  void jdbcOnHibernatesOwnConnectionIsNotSeen(TestDatabase db) {
    try (Monolith app = Monolith.on(db, BulkWritePolicy.REJECT)) {
      app.resetRows();

      app.sessions().inTransaction(s -> s.doWork(connection -> {
        try (Statement statement = connection.createStatement()) {
          statement.executeUpdate("update app_users set name = 'unseen' where id = 10");
        }
      }));

      assertThat(app.rows("app_users")).as("ran: JDBC does not pass Hibernate's statement inspector")
          .contains("name=unseen");
      assertThat(app.outboxRows()).as("and is not mirrored").isZero();
    }
  }

  // ---- NEW_ONLY: always refused

  @DatabaseTest
  void inNewOnlyEveryFormIsRejectedEvenUnderWarn(TestDatabase db) {
    try (Monolith app = Monolith.on(db, BulkWritePolicy.WARN)) {
      app.moveUsersTo(NEW_ONLY);
      assertRejectedInNewOnly(app);
    }
  }

  @Test
  void inNewOnlyEveryFormIsRejectedEvenUnderWarnOnH2() {
    try (Monolith app = Monolith.onH2(BulkWritePolicy.WARN)) {
      app.moveUsersTo(NEW_ONLY);
      assertRejectedInNewOnly(app);
    }
  }

  private static void assertRejectedInNewOnly(Monolith app) {
    SoftAssertions softly = new SoftAssertions();
    for (Form form : app.forms(WRITES)) {
      app.resetRows();
      String users = app.rows("app_users");

      softly.assertThatThrownBy(() -> app.sessions().inTransaction(s -> form.run().in(s, app.sql(form))))
          .as(form.name())
          .hasStackTraceContaining(form.message())
          .hasStackTraceContaining("table 'app_users' of entity 'users'")
          .hasStackTraceContaining("is rejected: the entity is in NEW_ONLY, the new service owns it.");
      softly.assertThat(app.rows("app_users")).as(form.name() + ": app_users unchanged").isEqualTo(users);
    }
    softly.assertAll();
  }

  /**
   * A session factory with the test entities over one database, users in DUAL_WRITE, and the rows each form starts
   * from.
   */
  private record Monolith(Db db, String schema, DataSource dataSource, SessionFactory sessions, DualWrite dualWrite,
      AutoCloseable owner) implements AutoCloseable {

    static Monolith on(TestDatabase db, BulkWritePolicy policy) {
      MirrorFixture.reset(db);
      MirrorFixture app = MirrorFixture.start(db, null, b -> b, Map.of(DualWriteSettings.BULK_WRITES, policy));
      Db kind = db.kind() == DatabaseKind.POSTGRESQL ? POSTGRESQL : MARIADB;
      return new Monolith(kind, db.schema(), db.dataSource(), app.sessions, app.dualWrite, app).prepared();
    }

    /** On a fresh in-memory H2 database, shut down when closed. */
    static Monolith onH2(BulkWritePolicy policy) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:bulk-forms-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      DualWriteSchema.createIfMissing(h2);
      DualWrite dualWrite = MirrorFixture.node(h2).build();
      Map<String, Object> settings = new HashMap<>();
      settings.put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, h2);
      settings.put(AvailableSettings.HBM2DDL_AUTO, "create-drop");
      settings.put(DualWriteSettings.BULK_WRITES, policy);
      DualWriteHibernate.configure(settings, dualWrite);
      SessionFactory sessions = MirrorFixture.sessionFactory(settings);
      AutoCloseable owner = () -> {
        sessions.close();
        dualWrite.close();
        execute(h2, "SHUTDOWN");
      };
      return new Monolith(H2, "PUBLIC", h2, sessions, dualWrite, owner).prepared();
    }

    private Monolith prepared() {
      execute(dataSource, "create table if not exists app_users_archive (id bigint)");
      moveUsersTo(DUAL_WRITE);
      return this;
    }

    void moveUsersTo(MigrationPhase phase) {
      dualWrite.phases().forceMove("users", phase, "test", "bulk write forms");
    }

    List<Form> forms(List<Form> forms) {
      return forms.stream().filter(f -> f.sql().containsKey(db)).toList();
    }

    String sql(Form form) {
      return form.sql().get(db).replace("{schema}", schema);
    }

    /** Users 10, 20 and 25; audit rows 10 and 20; an empty archive. Written with plain JDBC, unseen by dualwrite. */
    void resetRows() {
      execute(dataSource,
          "delete from app_users", "delete from app_audit", "delete from app_users_archive",
          "insert into app_users (id, version, email, name) values (10, 0, 'u10@example.com', 'User 10'),"
              + " (20, 0, 'u20@example.com', 'User 20'), (25, 0, 'u25@example.com', 'User 25')",
          "insert into app_audit (id, what) values (10, 'audit 10'), (20, 'audit 20')");
    }

    /** All rows of {@code table} in id order, as text. */
    String rows(String table) {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select * from " + table + " order by id")) {
        ResultSetMetaData meta = rs.getMetaData();
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.add(meta.getColumnLabel(i).toLowerCase() + "=" + rs.getString(i));
          }
          rows.add(String.join(", ", row));
        }
        return String.join("\n", rows);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    long outboxRows() {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select count(*) from dualwrite_outbox where entity = 'users'")) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    private static void execute(DataSource dataSource, String... sql) {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        for (String each : sql) {
          s.execute(each);
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      try {
        owner.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The guard's warnings while open. */
  private static final class Warnings implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger(BulkWriteGuard.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    Warnings() {
      appender.start();
      logger.addAppender(appender);
    }

    void clear() {
      appender.list.clear();
    }

    List<String> messages() {
      return appender.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
          .toList();
    }

    @Override
    public void close() {
      logger.detachAppender(appender);
      appender.stop();
    }
  }
}
