package dev.dualwrite.phase.internal;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static dev.dualwrite.phase.MigrationPhase.LEGACY_ONLY;
import static dev.dualwrite.phase.MigrationPhase.NEW_READS;
import static dev.dualwrite.phase.MigrationPhase.SHADOW_READS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseConflictException;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseMoveException;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.spi.PhaseStore;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

class JdbcPhaseStoreTest {

  private static DualWrite node(TestDatabase db, String entity, Duration staleness) {
    return DualWrite.builder()
        .withDataSource(db.dataSource())
        .withSchemaAutoCreate(true)
        .withEntity(EntityMigration.builder(entity).build())
        .withPhaseStaleness(staleness)
        .build();
  }

  @DatabaseTest
  void reEnteringNewReadsAfterARollbackStartsTheCanaryAgainOnAnotherNodeToo(TestDatabase db) {
    try (DualWrite lead = node(db, "canary_users", Duration.ofMillis(100));
        DualWrite other = node(db, "canary_users", Duration.ofMillis(100))) {
      lead.phases().forceMove("canary_users", NEW_READS, "lead", "verified offline");
      lead.phases().setCanaryPercent("canary_users", 100, "lead", "all keys");
      lead.phases().move("canary_users", SHADOW_READS, "lead", "roll back: mismatches");
      lead.phases().forceMove("canary_users", NEW_READS, "lead", "second try");

      PhaseState stored = PhaseStore.jdbc(db.dataSource()).loadAll().get("canary_users");
      assertThat(stored.phase()).isEqualTo(NEW_READS);
      assertThat(stored.canaryPercent()).as("the configured share applies again, not 100 %").isNull();
      await().atMost(Duration.ofSeconds(10)).until(() -> other.phases().state("canary_users").revision()
          == stored.revision());
      assertThat(other.phases().state("canary_users").canaryPercent()).isNull();
    }
  }

  @DatabaseTest
  void recordsEveryMoveWithWhoWhyAndWhen(TestDatabase db) {
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (DualWrite dualWrite = node(db, "history_users", Duration.ofSeconds(1))) {
      dualWrite.phases().move("history_users", DUAL_WRITE, "lead", "start mirroring");
      dualWrite.phases().forceMove("history_users", NEW_READS, "lead", "verified offline");
      dualWrite.phases().setCanaryPercent("history_users", 5, "lead", "first keys");

      List<PhaseMove> history = PhaseStore.jdbc(db.dataSource()).history("history_users");
      assertThat(history)
          .extracting(PhaseMove::from, PhaseMove::to, PhaseMove::actor, JdbcPhaseStoreTest::givenReason,
              PhaseMove::forced)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(LEGACY_ONLY, DUAL_WRITE, "lead", "start mirroring", false),
              org.assertj.core.groups.Tuple.tuple(DUAL_WRITE, NEW_READS, "lead", "verified offline", true),
              org.assertj.core.groups.Tuple.tuple(NEW_READS, NEW_READS, "lead", "first keys", false));
      assertThat(history.get(2).canaryPercent()).isEqualTo(5.0);
      assertThat(history).allSatisfy(m -> assertThat(m.at()).isBetween(before, Instant.now().plusSeconds(1)));

      PhaseState stored = PhaseStore.jdbc(db.dataSource()).loadAll().get("history_users");
      assertThat(stored.phase()).isEqualTo(NEW_READS);
      assertThat(stored.revision()).isEqualTo(3);
      assertThat(stored.canaryPercent()).isEqualTo(5.0);
    }
  }

  @DatabaseTest
  void ofTwoConcurrentCompareAndSetsExactlyOneWins(TestDatabase db) throws Exception {
    DualWriteSchema.createIfMissing(db.dataSource());
    PhaseStore store = PhaseStore.jdbc(db.dataSource());
    // first move (insert path), then a later move (update path): both raced by two threads from the same revision
    for (long revision : new long[] {0, 1}) {
      MigrationPhase from = revision == 0 ? LEGACY_ONLY : DUAL_WRITE;
      MigrationPhase to = revision == 0 ? DUAL_WRITE : SHADOW_READS;
      List<Object> outcomes = race(2, i -> {
        Instant at = Instant.now();
        PhaseMove move = new PhaseMove("cas_users", from, to, null, "operator-" + i, null, false, at);
        return store.compareAndSet(revision, new PhaseState("cas_users", to, null, revision + 1, at), move);
      });
      assertThat(outcomes).filteredOn(o -> o instanceof PhaseState).hasSize(1);
      assertThat(outcomes).filteredOn(o -> o instanceof PhaseConflictException).hasSize(1)
          .first().satisfies(e -> assertThat(((Exception) e).getMessage())
              .contains("entity 'cas_users' was moved by someone else meanwhile")
              .contains("nothing was changed"));
    }
    assertThat(store.history("cas_users")).hasSize(2);
    assertThat(store.loadAll().get("cas_users").phase()).isEqualTo(SHADOW_READS);
  }

  @DatabaseTest
  void twoOperatorsMovingAtOnceRecordOneMove(TestDatabase db) throws Exception {
    try (DualWrite nodeA = node(db, "race_users", Duration.ofSeconds(1));
        DualWrite nodeB = node(db, "race_users", Duration.ofSeconds(1))) {
      DualWrite[] nodes = {nodeA, nodeB};
      List<Object> outcomes = race(2, i -> nodes[i].phases().move("race_users", DUAL_WRITE, "operator-" + i, null));

      assertThat(outcomes).filteredOn(o -> o instanceof PhaseMove).hasSize(1);
      // the loser either lost the compare-and-set or read the winner's phase first: both say so clearly
      assertThat(outcomes).filteredOn(o -> !(o instanceof PhaseMove)).singleElement()
          .satisfies(o -> assertThat(o).isInstanceOfAny(PhaseConflictException.class, PhaseMoveException.class));
      assertThat(nodeA.phases().history("race_users")).hasSize(1);
    }
  }

  @DatabaseTest
  void anotherNodeSeesAMoveWithinTheStalenessBound(TestDatabase db) {
    Duration staleness = Duration.ofMillis(300);
    try (DualWrite nodeA = node(db, "stale_users", staleness);
        DualWrite nodeB = node(db, "stale_users", staleness)) {
      assertThat(nodeB.phases().current("stale_users")).isEqualTo(LEGACY_ONLY);
      nodeA.phases().move("stale_users", DUAL_WRITE, "lead", null);
      long movedAt = System.nanoTime();
      // however slow the machine, the first read once the bound has passed since the move must see it
      await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - movedAt > staleness.toNanos());
      assertThat(nodeB.phases().current("stale_users")).isEqualTo(DUAL_WRITE);
    }
  }

  @DatabaseTest
  void creatingTheSchemaTwiceChangesNothing(TestDatabase db) {
    DualWriteSchema.createIfMissing(db.dataSource());
    try (DualWrite dualWrite = node(db, "schema_users", Duration.ofSeconds(1))) {
      dualWrite.phases().move("schema_users", DUAL_WRITE, "lead", null);
    }
    DualWriteSchema.createIfMissing(db.dataSource());
    assertThat(PhaseStore.jdbc(db.dataSource()).loadAll().get("schema_users").phase()).isEqualTo(DUAL_WRITE);
  }

  @DatabaseTest
  void anUnknownEntityIsRefusedBeforeTouchingTheStore(TestDatabase db) {
    try (DualWrite dualWrite = node(db, "known_users", Duration.ofSeconds(1))) {
      assertThatThrownBy(() -> dualWrite.phases().move("unknown_users", DUAL_WRITE, "lead", null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("unknown entity 'unknown_users'; configured entities are [known_users]");
      assertThat(PhaseStore.jdbc(db.dataSource()).history("unknown_users")).isEmpty();
    }
  }

  /** The reason as the operator gave it, without the gates a forced move overrode. */
  private static String givenReason(PhaseMove move) {
    return move.reason() == null ? null : move.reason().replaceFirst(" \\[overrode gate .*\\]$", "");
  }

  /** Runs {@code work} on {@code threads} threads released together; returns each result or exception. */
  private static List<Object> race(int threads, ThrowingFunction work) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          barrier.await();
          try {
            return work.apply(index);
          } catch (RuntimeException e) {
            return e;
          }
        }));
      }
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface ThrowingFunction {
    Object apply(int index);
  }
}
