package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static dev.dualwrite.phase.MigrationPhase.LEGACY_ONLY;
import static dev.dualwrite.phase.MigrationPhase.NEW_ONLY;
import static dev.dualwrite.phase.MigrationPhase.NEW_READS;
import static dev.dualwrite.phase.MigrationPhase.NEW_WRITES;
import static dev.dualwrite.phase.MigrationPhase.SHADOW_READS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityStatus;
import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.gate.GateResult;
import dev.dualwrite.gate.PhaseGates;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.internal.NodeServices;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseMoveException;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.verify.Verifier;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The built-in phase gates, with real evidence: backfill, verification, shadow comparisons, outbox. */
class PhaseGatesTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  private MirrorFixture app(TestDatabase db, PhaseGates gates) {
    MirrorFixture.reset(db);
    db.execute("DELETE FROM dualwrite_backfill", "DELETE FROM dualwrite_verification",
        "DELETE FROM dualwrite_shadow_stats");
    return MirrorFixture.start(db, service.baseUrl(), b -> b.withPhaseGates(gates), Map.of());
  }

  private static GateResult gate(MirrorFixture app, dev.dualwrite.phase.MigrationPhase target, String name) {
    return app.dualWrite.phases().checkGates("users", target).stream().filter(g -> g.gate().equals(name))
        .findFirst().orElseThrow();
  }

  @DatabaseTest
  void intoShadowReadsNeedsABackfillSinceMirroringBeganAndACleanVerificationAfterIt(TestDatabase db) {
    try (MirrorFixture app = app(db, PhaseGates.defaults())) {
      app.sessions.inTransaction(s -> {
        for (long id = 1; id <= 20; id++) {
          s.persist(new User(id, "u" + id + "@example.com", "U" + id));
        }
      });
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      app.dualWrite.phases().move("users", DUAL_WRITE, "lead", "start mirroring");

      assertThatThrownBy(() -> app.dualWrite.phases().move("users", SHADOW_READS, "lead", null))
          .isInstanceOf(PhaseMoveException.class)
          .hasMessageContaining("gate backfill-finished: no backfill has run (requires a backfill that started after"
              + " the entity entered DUAL_WRITE");

      Backfill.builder(app.dualWrite, users).build().run();
      assertThat(gate(app, SHADOW_READS, "backfill-finished").passed()).isTrue();
      assertThatThrownBy(() -> app.dualWrite.phases().move("users", SHADOW_READS, "lead", null))
          .hasMessageContaining("gate verification-clean: no verification has finished");

      app.dualWrite.relay().drain(WAIT);
      assertThat(Verifier.builder(app.dualWrite, users).build().verify().isClean()).isTrue();
      PhaseMove move = app.dualWrite.phases().move("users", SHADOW_READS, "lead", "backfilled and verified");
      assertThat(move.forced()).isFalse();

      // a backfill from an earlier stretch of mirroring does not count after mirroring stopped and started again
      app.dualWrite.phases().move("users", DUAL_WRITE, "lead", null);
      app.dualWrite.phases().move("users", LEGACY_ONLY, "lead", "pause");
      app.dualWrite.phases().move("users", DUAL_WRITE, "lead", "resume");
      assertThat(gate(app, SHADOW_READS, "backfill-finished").measured()).contains("before mirroring began");
    }
  }

  @DatabaseTest
  void theStatusShowsTheRecordsTheGatesJudge(TestDatabase db) throws Exception {
    try (MirrorFixture app = app(db, PhaseGates.defaults())) {
      app.sessions.inTransaction(s -> {
        for (long id = 1; id <= 5; id++) {
          s.persist(new User(id, "u" + id + "@example.com", "U" + id));
        }
      });
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      app.dualWrite.phases().move("users", DUAL_WRITE, "lead", "start mirroring");
      EntityStatus before = app.dualWrite.status("users");
      assertThat(before.phase()).isEqualTo(DUAL_WRITE);
      assertThat(before.backfill()).isNull();
      assertThat(before.lastVerification()).isNull();
      assertThat(before.nextPhase()).isEqualTo(SHADOW_READS);
      assertThat(before.nextMoveOpen()).isFalse();
      assertThat(before.nextGates()).extracting(GateResult::gate, GateResult::measured)
          .contains(tuple("backfill-finished", "no backfill has run"));

      Backfill.builder(app.dualWrite, users).build().run();
      app.dualWrite.relay().drain(WAIT);
      Verifier.builder(app.dualWrite, users).build().verify();

      EntityStatus after = app.dualWrite.status("users");
      assertThat(after.backfill().rowsDone()).isEqualTo(5);
      assertThat(after.backfill().finishedAt()).isNotNull();
      assertThat(after.lastVerification().compared()).isEqualTo(5);
      assertThat(after.lastVerification().isClean()).isTrue();
      assertThat(after.mirror().backlog()).isZero();
      assertThat(after.nextGates()).as("the same verdicts a move would meet")
          .isEqualTo(app.dualWrite.phases().checkGates("users", SHADOW_READS));
      assertThat(after.nextMoveOpen()).isTrue();
      assertThat(app.dualWrite.status()).extracting(EntityStatus::entity).startsWith("users", "notes");

      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        st.execute("DROP TABLE dualwrite_backfill");
      }
      EntityStatus unreadable = app.dualWrite.status("users");
      assertThat(unreadable.recordsUnreadable()).as("reported, not thrown").isNotNull();
      assertThat(unreadable.nextGates()).extracting(GateResult::gate, GateResult::passed)
          .containsExactly(tuple("gate-evidence", false));
    }
  }

  @DatabaseTest
  void intoNewReadsNeedsEnoughShadowComparisonsFromAllNodesWithFewMismatches(TestDatabase db) {
    PhaseGates gates = PhaseGates.builder().withShadowMismatchRate(0.05, 50).build();
    try (MirrorFixture app = app(db, gates);
        DualWrite otherNode = MirrorFixture.relayNode(db, b -> b.withPhaseGates(gates))) {
      app.moveTo("users", SHADOW_READS);
      otherNode.phases().refresh();
      long revision = app.dualWrite.phases().state("users").revision();
      for (int i = 0; i < 40; i++) {
        NodeServices.of(app.dualWrite).shadowComparisons().record("users", revision, i < 3);
      }
      assertThatThrownBy(() -> app.dualWrite.phases().move("users", NEW_READS, "lead", null))
          .hasMessageContaining("gate shadow-mismatch-rate: 7.50 % (3 of 40 comparisons mismatched)"
              + " (requires at most 5.00 % over at least 50 comparisons since entering SHADOW_READS)");

      for (int i = 0; i < 30; i++) {
        // another node's router compares too
        NodeServices.of(otherNode).shadowComparisons().record("users", revision, false);
      }
      otherNode.close(); // flushes its comparisons

      GateResult rate = gate(app, NEW_READS, "shadow-mismatch-rate");
      assertThat(rate.measured()).isEqualTo("4.29 % (3 of 70 comparisons mismatched)");
      assertThat(app.dualWrite.phases().move("users", NEW_READS, "lead", "shadow reads agree").forced()).isFalse();
    }
  }

  @DatabaseTest
  void intoNewWritesNeedsTheWholeCanaryFewMismatchesNoDeadLettersASmallBacklogAndTheChangeFeed(TestDatabase db) {
    try (MirrorFixture app = app(db, PhaseGates.builder().withMaxBacklog(2).withShadowMismatchRate(0.05, 10).build())) {
      app.moveTo("users", NEW_READS);
      long revision = app.dualWrite.phases().state("users").revision();
      for (int i = 0; i < 10; i++) {
        NodeServices.of(app.dualWrite).shadowComparisons().record("users", revision, i < 2);
      }
      service.stop();
      app.sessions.inTransaction(s -> {
        for (long id = 1; id <= 3; id++) {
          s.persist(new User(id, "u" + id + "@example.com", "U" + id));
        }
      });

      assertThat(app.dualWrite.phases().checkGates("users", NEW_WRITES))
          .extracting(GateResult::gate, GateResult::passed)
          .containsExactly(
              tuple("canary-complete", false),
              tuple("shadow-mismatch-rate", false),
              tuple("no-dead-letters", true),
              tuple("outbox-backlog", false),
              tuple("change-feed", false));
      assertThat(gate(app, NEW_WRITES, "outbox-backlog").measured()).isEqualTo("3 undelivered changes");
      assertThat(gate(app, NEW_WRITES, "shadow-mismatch-rate").measured())
          .isEqualTo("20.00 % (2 of 10 comparisons mismatched)");
      assertThat(gate(app, NEW_WRITES, "change-feed").measured()).startsWith("cannot read it: ");

      app.dualWrite.phases().setCanaryPercent("users", 100, "lead", "all keys");
      for (int i = 0; i < 40; i++) {
        NodeServices.of(app.dualWrite).shadowComparisons().record("users", revision, false);
      }
      service.restart();
      assertThat(app.dualWrite.relay().drain(WAIT)).isTrue();
      assertThat(app.dualWrite.phases().checkGates("users", NEW_WRITES)).allMatch(GateResult::passed);
      app.dualWrite.phases().move("users", NEW_WRITES, "lead", "new service takes writes");
    }
  }

  @DatabaseTest
  void intoNewOnlyNeedsTimeInNewWrites(TestDatabase db) {
    try (MirrorFixture app = app(db, PhaseGates.builder().withMinNewWritesSoak(Duration.ofDays(7)).build())) {
      app.moveTo("users", NEW_WRITES);

      assertThatThrownBy(() -> app.dualWrite.phases().move("users", NEW_ONLY, "lead", null))
          .hasMessageContaining("gate soak-time: in NEW_WRITES for PT0S (requires at least PT168H)");
      PhaseMove forced = app.dualWrite.phases().forceMove("users", NEW_ONLY, "lead", "decommission early");
      assertThat(forced.forced()).isTrue();
      assertThat(forced.reason()).startsWith("decommission early [overrode gate soak-time");
    }
  }
}
