package dev.dualwrite.phase;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static dev.dualwrite.phase.MigrationPhase.LEGACY_ONLY;
import static dev.dualwrite.phase.MigrationPhase.NEW_READS;
import static dev.dualwrite.phase.MigrationPhase.SHADOW_READS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.phase.spi.PhaseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PhasesTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  private final PhaseStore store = PhaseStore.inMemory();
  private final DualWrite dualWrite = node(Duration.ofMillis(200));

  private DualWrite node(Duration staleness) {
    return DualWrite.builder()
        .withPhaseStore(store)
        .withEntity(EntityMigration.builder("users").build())
        .withEntity(EntityMigration.builder("orders").build())
        .withPhaseStaleness(staleness)
        .withClock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
  }

  @AfterEach
  void close() {
    dualWrite.close();
  }

  @Test
  void anEntityNeverMovedIsLegacyOnly() {
    assertThat(dualWrite.phases().current("users")).isEqualTo(LEGACY_ONLY);
    assertThat(dualWrite.phases().state("users").revision()).isZero();
  }

  @Test
  void aMoveIsVisibleAtOnceOnTheMovingNodeAndRecorded() {
    Phases phases = dualWrite.phases();
    phases.move("users", DUAL_WRITE, "lead", "start mirroring");
    phases.move("users", SHADOW_READS, "lead", null);
    phases.move("users", DUAL_WRITE, "lead", "mismatches to look at");

    assertThat(phases.current("users")).isEqualTo(DUAL_WRITE);
    assertThat(phases.current("orders")).isEqualTo(LEGACY_ONLY);
    assertThat(phases.state("users").revision()).isEqualTo(3);
    assertThat(phases.history("users"))
        .containsExactly(
            new PhaseMove("users", LEGACY_ONLY, DUAL_WRITE, null, "lead", "start mirroring", false, NOW),
            new PhaseMove("users", DUAL_WRITE, SHADOW_READS, null, "lead", null, false, NOW),
            new PhaseMove("users", SHADOW_READS, DUAL_WRITE, null, "lead", "mismatches to look at", false, NOW));
    assertThat(phases.history("orders")).isEmpty();
  }

  @Test
  void aRefusedMoveChangesNothing() {
    assertThatThrownBy(() -> dualWrite.phases().move("users", NEW_READS, "lead", null))
        .isInstanceOf(PhaseMoveException.class);
    assertThat(dualWrite.phases().current("users")).isEqualTo(LEGACY_ONLY);
    assertThat(dualWrite.phases().history("users")).isEmpty();
  }

  @Test
  void aForcedSkipIsRecordedAsForcedWithItsReason() {
    PhaseMove move = dualWrite.phases().forceMove("users", NEW_READS, "lead", "already verified offline");
    assertThat(move.forced()).isTrue();
    assertThat(dualWrite.phases().history("users")).containsExactly(move);
    assertThat(dualWrite.phases().current("users")).isEqualTo(NEW_READS);
  }

  @Test
  void aForceOnAnOrdinaryStepIsNotRecordedAsForced() {
    PhaseMove move = dualWrite.phases().forceMove("users", DUAL_WRITE, "lead", "no need to force");
    assertThat(move.forced()).isFalse();
  }

  @Test
  void theCanaryPercentageIsStoredWithThePhaseAndRecorded() {
    Phases phases = dualWrite.phases();
    phases.forceMove("users", NEW_READS, "lead", "test");
    phases.setCanaryPercent("users", 5, "lead", "first keys");

    assertThat(phases.state("users").canaryPercent()).isEqualTo(5.0);
    assertThat(phases.current("users")).isEqualTo(NEW_READS);
    assertThat(phases.history("users")).last()
        .satisfies(m -> {
          assertThat(m.from()).isEqualTo(NEW_READS);
          assertThat(m.to()).isEqualTo(NEW_READS);
          assertThat(m.canaryPercent()).isEqualTo(5.0);
        });
    assertThatThrownBy(() -> phases.setCanaryPercent("users", 101, "lead", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("canary percent for entity 'users' is 101.0; it must be from 0 to 100");
  }

  @Test
  void aPhaseMoveStartsTheCanaryAgainSoThatReEnteringNewReadsDoesNotSendEveryKeyToTheNewService() {
    Phases phases = dualWrite.phases();
    phases.forceMove("users", NEW_READS, "lead", "test");
    phases.setCanaryPercent("users", 100, "lead", "all keys");

    phases.move("users", SHADOW_READS, "lead", "roll back: mismatches");
    PhaseMove reEntered = phases.forceMove("users", NEW_READS, "lead", "second try");

    assertThat(phases.state("users").canaryPercent()).as("the configured share applies again").isNull();
    assertThat(reEntered.canaryPercent()).isNull();
    assertThat(phases.history("users")).extracting(PhaseMove::canaryPercent)
        .containsExactly(null, 100.0, null, null);
  }

  @Test
  void anotherNodeSeesAMoveWithinTheStalenessBound() {
    Duration staleness = Duration.ofMillis(200);
    try (DualWrite otherNode = node(staleness)) {
      assertThat(otherNode.phases().current("users")).isEqualTo(LEGACY_ONLY);
      dualWrite.phases().move("users", DUAL_WRITE, "lead", null);
      long movedAt = System.nanoTime();
      // however slow the machine, the first read once the bound has passed since the move must see it
      await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - movedAt > staleness.toNanos());
      assertThat(otherNode.phases().current("users")).isEqualTo(DUAL_WRITE);
    }
  }

  @Test
  void anotherNodeDoesNotQueryTheStoreOnEveryRead() {
    try (DualWrite otherNode = node(Duration.ofHours(1))) {
      dualWrite.phases().move("users", DUAL_WRITE, "lead", null);
      // within the (long) staleness bound, the other node serves its cached view without asking the store
      assertThat(otherNode.phases().current("users")).isEqualTo(LEGACY_ONLY);
      otherNode.phases().refresh();
      assertThat(otherNode.phases().current("users")).isEqualTo(DUAL_WRITE);
    }
  }

  @Test
  void aRefreshThatReadTheStoreBeforeAMoveDoesNotHideTheMoveAfterwards() throws Exception {
    CountDownLatch staleRead = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    PhaseStore slowForOneThread = new PhaseStore() {
      @Override
      public Map<String, PhaseState> loadAll() {
        Map<String, PhaseState> states = store.loadAll();
        if (Thread.currentThread().getName().equals("slow-refresh")) {
          staleRead.countDown();
          awaitQuietly(release);
        }
        return states;
      }

      @Override
      public PhaseState compareAndSet(long expectedRevision, PhaseState next, PhaseMove move) {
        return store.compareAndSet(expectedRevision, next, move);
      }

      @Override
      public List<PhaseMove> history(String entity) {
        return store.history(entity);
      }
    };
    try (DualWrite node = DualWrite.builder().withPhaseStore(slowForOneThread)
        .withEntity(EntityMigration.builder("users").build()).withPhaseStaleness(Duration.ofHours(1)).build()) {
      Thread slowRefresh = new Thread(node.phases()::refresh, "slow-refresh");
      slowRefresh.start();
      staleRead.await();                       // it has read LEGACY_ONLY and waits

      node.phases().move("users", DUAL_WRITE, "lead", null);
      release.countDown();
      slowRefresh.join();                       // it has installed what it read, if it was allowed to

      assertThat(node.phases().current("users")).isEqualTo(DUAL_WRITE);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void anUnknownEntityNamesTheConfiguredOnes() {
    assertThatThrownBy(() -> dualWrite.phases().current("invoices"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown entity 'invoices'; configured entities are [orders, users]");
    assertThatThrownBy(() -> dualWrite.phases().move("invoices", DUAL_WRITE, "lead", null))
        .hasMessageStartingWith("unknown entity 'invoices'");
    assertThatThrownBy(() -> dualWrite.entity("invoices"))
        .hasMessage("unknown entity 'invoices'; configured entities are [users, orders]");
  }

  @Test
  void aMoveNeedsAnActor() {
    assertThatThrownBy(() -> dualWrite.phases().move("users", DUAL_WRITE, " ", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("actor is blank");
  }
}
