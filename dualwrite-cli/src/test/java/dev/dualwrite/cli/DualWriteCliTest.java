package dev.dualwrite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

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
    assertThat(unknown.exitCode()).isEqualTo(1);
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
      assertThat(backfill.out()).contains("backfill members: rows=300 finished");
      assertThat(backfill.err()).contains("members: 300 rows");
      assertThat(monolith.relay().drain(Duration.ofSeconds(30))).isTrue();

      Run verify = cli(db, "verify", "members");
      assertThat(verify.exitCode()).isZero();
      assertThat(verify.out().strip()).isEqualTo("verify members: compared=300 missing=0 extra=0 different=0");

      Run status = cli(db, "status");
      assertThat(status.out())
          .contains("members: phase=DUAL_WRITE canary=- backlog=0")
          .contains("backfill: 300 rows, finished at")
          .contains("last verification: verify members: compared=300 missing=0 extra=0 different=0")
          .contains("next: SHADOW_READS")
          .contains("ok   backfill-finished")
          .contains("ok   verification-clean");
      assertThat(cli(db, "phase", "members", "SHADOW_READS").exitCode()).isZero();

      service.remove("members", "7");
      Run differs = cli(db, "verify", "members");
      assertThat(differs.exitCode()).isEqualTo(1);
      assertThat(differs.out().strip()).isEqualTo("verify members: compared=300 missing=1 extra=0 different=0");
    }
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
      assertThat(list.out()).contains("status=422").contains("2 dead letter(s)");
      String firstId = list.out().lines().filter(l -> l.startsWith("#")).findFirst().orElseThrow()
          .replaceAll("^#(\\d+) .*$", "$1");

      assertThat(cli(db, "dead-letters", "discard", "members").exitCode()).isEqualTo(1);
      assertThat(cli(db, "dead-letters", "discard", "members", "--id=" + firstId).out())
          .contains("dead letter #" + firstId + " discarded");
      service.failNextRequests(0, 500);
      assertThat(cli(db, "dead-letters", "retry", "members").out()).contains("1 dead letter(s) back in line");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
          .until(() -> service.liveDocuments("members").size() == 1);
    }
  }
}
