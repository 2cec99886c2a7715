package dev.dualwrite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.jdbc.DualWriteRecords;
import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.storage.internal.Tables;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI driven command by command against a real database and a loopback service. */
class DualWriteCliTest {
  private ReferenceMirrorService service;

  /** What one run printed and returned. */
  record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void start() {
    service = ReferenceMirrorService.start();
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private Run cli(TestDatabase db, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 4];
    all[0] = "--jdbc-url=" + db.jdbcUrl();
    all[1] = "--target-url=" + service.baseUrl();
    all[2] = "--entity-class=" + Member.class.getName();
    all[3] = "--password=";
    System.arraycopy(args, 0, all, 4, args.length);
    int code = DualWriteCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
    return new Run(code, out.toString(), err.toString());
  }

  private static void freshTables(TestDatabase db, int members) {
    DualWriteSchema.createIfMissing(db.dataSource());
    db.execute("DELETE FROM dualwrite_outbox", "DELETE FROM dualwrite_phase", "DELETE FROM dualwrite_phase_history",
        "DELETE FROM dualwrite_backfill", "DELETE FROM dualwrite_verification", "DELETE FROM dualwrite_shadow_stats",
        "DROP TABLE IF EXISTS cli_members",
        "CREATE TABLE cli_members (id BIGINT PRIMARY KEY, version BIGINT NOT NULL, name VARCHAR(100))");
    for (int id = 1; id <= members; id++) {
      db.execute("INSERT INTO cli_members VALUES (" + id + ", 0, 'member " + id + "')");
    }
  }

  /** A monolith node that delivers the outbox while the CLI works. */
  private DualWrite relayNode(TestDatabase db) {
    return DualWrite.builder().withDataSource(db.dataSource()).withEntity(EntityMigration.builder("members").build())
        .withTargetUrl(service.baseUrl()).build();
  }

  @DatabaseTest
  void movesAPhaseAndRefusesSkipsAndFailingGatesWithAOneLineReason(TestDatabase db) {
    freshTables(db, 0);

    Run moved = cli(db, "phase", "members", "DUAL_WRITE", "--actor=lead", "--reason=start mirroring");
    assertThat(moved.exitCode()).isZero();
    assertThat(moved.out()).contains("members: LEGACY_ONLY -> DUAL_WRITE");

    Run skip = cli(db, "phase", "members", "NEW_READS");
    assertThat(skip.exitCode()).isEqualTo(1);
    assertThat(skip.err().strip()).isEqualTo("dualwrite: cannot move entity 'members' from DUAL_WRITE to NEW_READS:"
        + " phases move one step at a time; allowed moves: [LEGACY_ONLY, SHADOW_READS]. To skip phases, force the move"
        + " and give a reason.");

    Run gated = cli(db, "phase", "members", "SHADOW_READS");
    assertThat(gated.exitCode()).isEqualTo(1);
    assertThat(gated.err()).startsWith("dualwrite: cannot move entity 'members' from DUAL_WRITE to SHADOW_READS:"
        + " gate backfill-finished: no backfill has run").doesNotContain("\n\n");

    Run unknown = cli(db, "phase", "members", "SHADOW");
    assertThat(unknown.exitCode()).as("a command line that cannot be read").isEqualTo(2);
    assertThat(unknown.err()).contains("unknown phase 'SHADOW'; phases are [LEGACY_ONLY, DUAL_WRITE");

    Run history = cli(db, "history", "members");
    assertThat(history.out()).contains("LEGACY_ONLY -> DUAL_WRITE by lead: start mirroring");
    assertThat(cli(db, "no-such-command").exitCode()).isEqualTo(2);
  }

  @DatabaseTest
  void backfillsVerifiesAndShowsStatusThenMovesPastTheGates(TestDatabase db) {
    freshTables(db, 300);
    try (DualWrite monolith = relayNode(db)) {
      assertThat(cli(db, "phase", "members", "DUAL_WRITE").exitCode()).isZero();

      Run backfill = cli(db, "backfill", "members");
      assertThat(backfill.exitCode()).isZero();
      assertThat(backfill.out()).contains("backfill members: from the first row, about 300 rows to copy")
          .contains("backfill members: rows=300 finished");
      assertThat(backfill.err()).as("the progress bar: percentage, done of total, rate, ETA")
          .containsPattern("backfill members \\[[=> ]{30}\\] +\\d+ % \\d+/300 rows  [\\d,]+ rows/s  ETA ")
          .contains("100 % 300/300 rows");
      assertThat(monolith.relay().drain(Duration.ofSeconds(30))).isTrue();

      Run verify = cli(db, "verify", "members");
      assertThat(verify.exitCode()).isZero();
      assertThat(verify.out().strip()).isEqualTo("verify members: compared=300 missing=0 extra=0 different=0");
      assertThat(verify.err()).contains("verify members [").contains("% ").contains("/300 rows");

      Run status = cli(db, "status");
      assertThat(status.out())
          .containsPattern("members: DUAL_WRITE since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\n")
          .contains("  mirror: backlog 0, oldest undelivered -, dead letters 0")
          .contains("  backfill: 300 rows, finished ")
          .contains("  last verification: verify members: compared=300 missing=0 extra=0 different=0 (")
          .contains("  next: SHADOW_READS")
          .contains("    ok    backfill-finished: finished at")
          .contains("    ok    verification-clean: ")
          .doesNotContain("null").doesNotContain("ok;").doesNotContain("PT");
      assertThat(cli(db, "phase", "members", "SHADOW_READS").exitCode()).isZero();

      service.remove("members", "7");
      db.execute("UPDATE cli_members SET name = 'renamed behind dualwrite''s back' WHERE id = 8");
      Run differs = cli(db, "verify", "members");
      assertThat(differs.exitCode()).isEqualTo(1);
      assertThat(differs.out()).startsWith("verify members: compared=300 missing=1 extra=0 different=1\n")
          .contains("missing in the new service (1, first 1): 7")
          .contains("8 (new v").contains("/name: legacy \"renamed behind dualwrite's back\", new \"member 8\"");

      Run repaired = cli(db, "verify", "members", "--repair");
      assertThat(repaired.out()).as("the repair split").contains("repaired: 2 key(s)");
      assertThat(cli(db, "verify", "members").exitCode()).isZero();
    }
  }

  @DatabaseTest
  void showsTheReverseSyncAndListsAndDiscardsItsDeadLetters(TestDatabase db) {
    freshTables(db, 1);
    db.execute("DELETE FROM dualwrite_reverse_sync", "DELETE FROM dualwrite_reverse_dead_letters",
        "DELETE FROM dualwrite_legacy_versions");
    assertThat(cli(db, "phase", "members", "NEW_WRITES", "--force", "--reason=cutover drill").exitCode()).isZero();

    Run status = cli(db, "status", "members");
    assertThat(status.out()).contains("members: NEW_WRITES").containsPattern("  reverse sync: caught up \\(cursor"
        + " .*, feed head .*\\), applied 0, skipped 0, dead letters 0, consumer ");

    db.execute("INSERT INTO dualwrite_reverse_dead_letters (entity, entity_id, operation, version, attempts,"
        + " last_error, created_at) VALUES ('members', '1', 'UPSERT', 7, 1, 'value too long (SQLState 22001)',"
        + " CURRENT_TIMESTAMP)");
    Run list = cli(db, "dead-letters", "list", "members", "--reverse");
    assertThat(list.out()).contains(" members id=1 UPSERT v7 attempts=1 legacy refused it: value too long (SQLState"
        + " 22001)").contains("1 reverse dead letter(s)");
    assertThat(cli(db, "status", "members").out()).contains("dead letters 1");
    String id = list.out().lines().filter(l -> l.startsWith("#")).findFirst().orElseThrow()
        .replaceAll("^#(\\d+) .*$", "$1");
    assertThat(cli(db, "dead-letters", "discard", "members", "--reverse", "--id=" + id).out())
        .contains("reverse dead letter #" + id + " discarded");
    assertThat(cli(db, "dead-letters", "list", "members", "--reverse").out()).contains("0 reverse dead letter(s)");
  }

  @DatabaseTest
  void listsRetriesAndDiscardsDeadLetters(TestDatabase db) {
    freshTables(db, 0);
    service.failNextRequests(50, 422);
    try (DualWrite monolith = DualWrite.builder().withDataSource(db.dataSource())
        .withEntity(EntityMigration.builder("members").build()).withTargetUrl(service.baseUrl()).build()) {
      monolith.phases().move("members", dev.dualwrite.phase.MigrationPhase.DUAL_WRITE, "lead", null);
      db.execute("INSERT INTO cli_members VALUES (1, 0, 'one')", "INSERT INTO cli_members VALUES (2, 0, 'two')");
      assertThat(cli(db, "backfill", "members").exitCode()).isZero();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
          .until(() -> monolith.mirrorStats("members").deadLetters() == 2);

      Run list = cli(db, "dead-letters", "list", "members");
      assertThat(list.out()).contains(" members id=1 UPSERT v").contains("last answer: HTTP 422")
          .contains("2 dead letter(s)").doesNotContain("null");
      String firstId = list.out().lines().filter(l -> l.startsWith("#")).findFirst().orElseThrow()
          .replaceAll("^#(\\d+) .*$", "$1");
      assertThat(cli(db, "dead-letters", "bury", "members").exitCode()).as("unknown action").isEqualTo(2);

      assertThat(cli(db, "dead-letters", "discard", "members").exitCode()).isEqualTo(1);
      assertThat(cli(db, "dead-letters", "discard", "members", "--id=" + firstId).out())
          .contains("dead letter #" + firstId + " discarded");
      service.failNextRequests(0, 500);
      assertThat(cli(db, "dead-letters", "retry", "members").out()).contains("1 dead letter(s) back in line");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
          .until(() -> service.liveDocuments("members").size() == 1);
    }
  }

  @DatabaseTest
  void pausesListsAndResumesAnEntitysDeliveryWithoutLosingItsChanges(TestDatabase db) {
    freshTables(db, 0);
    db.execute("DELETE FROM dualwrite_delivery_pause");
    assertThat(cli(db, "delivery", "pause", "members", "--reason=service maintenance", "--actor=lead").out())
        .contains("delivery of members paused on every node");
    try (DualWrite monolith = relayNode(db)) { // its relay reads the pause before its first claim
      monolith.phases().move("members", dev.dualwrite.phase.MigrationPhase.DUAL_WRITE, "lead", null);
      assertThat(cli(db, "delivery", "list").out()).contains("members paused by lead")
          .contains(": service maintenance").contains("1 paused entity");
      assertThat(cli(db, "delivery", "pause", "members").out()).contains("was paused already");
      assertThat(cli(db, "delivery", "pause", "nobody").exitCode()).as("unknown entity").isEqualTo(1);
      assertThat(cli(db, "delivery", "resume").err()).contains("resume needs the entity");

      db.execute("INSERT INTO cli_members VALUES (1, 0, 'one')", "INSERT INTO cli_members VALUES (2, 0, 'two')");
      assertThat(cli(db, "backfill", "members").exitCode()).isZero();
      assertThat(monolith.outbox().backlog().get("members").pending()).as("waiting, not lost").isEqualTo(2);

      assertThat(cli(db, "delivery", "resume", "members").out()).contains("delivery of members resumed");
      assertThat(cli(db, "delivery", "resume", "members").out()).contains("was not paused");
      assertThat(monolith.relay().drain(Duration.ofSeconds(15))).isTrue();
      assertThat(service.liveDocuments("members")).hasSize(2);
      assertThat(cli(db, "delivery", "list").out()).contains("0 paused entities");
    }
  }

  @DatabaseTest
  void readOnlyCommandsLeaveAnEmptyDatabaseEmptyAndSchemaCreateIsTheOneThatCreates(TestDatabase db) {
    db.execute(Tables.ALL.stream().map(t -> "DROP TABLE IF EXISTS " + t).toArray(String[]::new));
    DualWriteRecords records = DualWriteRecords.of(db.dataSource());

    for (String[] command : List.of(new String[] {"status"}, new String[] {"history", "members"},
        new String[] {"dead-letters", "list", "members"}, new String[] {"phase", "members", "DUAL_WRITE"},
        new String[] {"verify", "members"}, new String[] {"backfill", "members"})) {
      Run run = cli(db, command);
      assertThat(run.exitCode()).as(String.join(" ", command)).isEqualTo(1);
      assertThat(run.err()).as(String.join(" ", command)).startsWith("dualwrite: dualwrite's tables are not in this"
          + " database (cannot read " + Tables.ALL + "); create them with 'dualwrite schema create'");
    }
    assertThat(records.unreadableTables()).as("still no table").containsExactlyElementsOf(Tables.ALL);

    Run print = cli(db, "schema", "print");
    assertThat(print.out()).contains("CREATE TABLE IF NOT EXISTS dualwrite_outbox");
    assertThat(records.unreadableTables()).as("print only prints").containsExactlyElementsOf(Tables.ALL);

    Run create = cli(db, "schema", "create");
    assertThat(create.exitCode()).isZero();
    assertThat(create.out()).contains("dualwrite's tables are present");
    assertThat(records.unreadableTables()).isEmpty();
    db.execute("CREATE TABLE IF NOT EXISTS cli_members (id BIGINT PRIMARY KEY, version BIGINT NOT NULL,"
        + " name VARCHAR(100))");

    for (String[] command : List.of(new String[] {"status"}, new String[] {"status", "members"},
        new String[] {"history", "members"}, new String[] {"dead-letters", "list", "members"})) {
      assertThat(cli(db, command).exitCode()).as(String.join(" ", command)).isZero();
    }
    assertThat(cli(db, "history", "members").out()).contains("members was never moved (LEGACY_ONLY)");
    assertThat(rowCounts(db)).as("rows in dualwrite's tables").allSatisfy((table, rows) -> assertThat(rows).isZero());
  }

  @DatabaseTest
  void anUnknownEntityIsRefusedUntilCreatedOnPurposeAndCanBeForgotten(TestDatabase db) {
    freshTables(db, 0);

    Run typo = cli(db, "phase", "memebrs", "DUAL_WRITE");
    assertThat(typo.exitCode()).isEqualTo(1);
    assertThat(typo.err().strip()).isEqualTo("dualwrite: unknown entity 'memebrs'; known entities are [members] (in"
        + " dualwrite's tables or @Mirrored in the monolith). Check the spelling; to start migrating an entity"
        + " dualwrite has not seen, give the monolith that marks it @Mirrored (--monolith), or create it on purpose"
        + " with 'phase memebrs DUAL_WRITE --new-entity'");
    assertThat(rowCounts(db).get("dualwrite_phase")).isZero();
    assertThat(cli(db, "history", "memebrs").exitCode()).isEqualTo(1);

    Run created = cli(db, "phase", "audit-log", "DUAL_WRITE", "--new-entity", "--reason=kept outside Hibernate");
    assertThat(created.exitCode()).isZero();
    assertThat(created.out()).contains("audit-log: LEGACY_ONLY -> DUAL_WRITE");
    assertThat(cli(db, "status").out()).contains("audit-log: DUAL_WRITE since").contains("members: LEGACY_ONLY");
    assertThat(cli(db, "phase", "members", "DUAL_WRITE", "--new-entity").err())
        .contains("entity 'members' is known already; drop --new-entity");

    Run mirroredOne = cli(db, "forget", "members");
    assertThat(mirroredOne.exitCode()).isEqualTo(1);
    assertThat(mirroredOne.err()).contains("entity 'members' is @Mirrored in the monolith (" + Member.class.getName());
    Run forgot = cli(db, "forget", "audit-log");
    assertThat(forgot.exitCode()).isZero();
    assertThat(forgot.out()).isEqualTo("audit-log forgotten: 2 row(s) deleted from dualwrite's tables\n");
    assertThat(cli(db, "status").out()).doesNotContain("audit-log");
    assertThat(cli(db, "forget", "audit-log").err()).contains("dualwrite's tables hold nothing about 'audit-log'");
  }

  @Test
  void everySubcommandAnswersHelpWithoutADatabase() {
    Map<String, CommandLine> subcommands = new CommandLine(new DualWriteCli()).getSubcommands();
    assertThat(subcommands.keySet()).containsExactlyInAnyOrder("status", "phase", "history", "backfill", "verify",
        "dead-letters", "delivery", "schema", "forget");
    for (String name : subcommands.keySet()) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = DualWriteCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), name, "--help");
      assertThat(code).as(name + " --help").isZero();
      assertThat(out.toString()).as(name + " --help").startsWith("Usage: dualwrite " + name).contains("--help");
      assertThat(err.toString()).as(name + " --help").isEmpty();
    }
  }

  private static Map<String, Long> rowCounts(TestDatabase db) {
    Map<String, Long> counts = new TreeMap<>();
    try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
      for (String table : Tables.ALL) {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
          rows.next();
          counts.put(table, rows.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return counts;
  }
}
