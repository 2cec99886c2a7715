package dev.dualwrite;

import static dev.dualwrite.phase.MigrationPhase.NEW_READS;
import static dev.dualwrite.phase.MigrationPhase.SHADOW_READS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.gate.internal.ShadowComparisons;
import dev.dualwrite.guard.RollbackGuard;
import dev.dualwrite.internal.NodeServices;
import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The automated rollback on a real database, with the node's clock in the test's hands: a mismatch burst that lasts
 * the guard's window moves the entity one step back, recorded in the history; a shorter one does not.
 */
class RollbackGuardTest {
  private static final Duration WINDOW = Duration.ofSeconds(30);
  private static final RollbackGuard GUARD = RollbackGuard.builder().withMaxShadowMismatchRate(0.10)
      .withMinComparisons(10).withSustainedFor(WINDOW).build();

  private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));

  @DatabaseTest
  void aMismatchBurstThatLastsTheWindowMovesTheEntityOneStepBackWithAHistoryEntry(TestDatabase db) {
    try (DualWrite node = node(db)) {
      node.phases().forceMove("users", NEW_READS, "lead@example.com", "canary");
      Node guarded = (Node) node;

      compare(node, 40, 20); // 50 % mismatched
      guarded.checkRollbackGuards();
      clock.advance(WINDOW.minusSeconds(1));
      compare(node, 40, 20);
      guarded.checkRollbackGuards();
      assertThat(node.phases().current("users")).as("not yet: over for less than the window").isEqualTo(NEW_READS);

      clock.advance(Duration.ofSeconds(1));
      compare(node, 40, 20);
      guarded.checkRollbackGuards();

      assertThat(node.phases().current("users")).isEqualTo(SHADOW_READS);
      PhaseMove move = last(node.phases().history("users"));
      assertThat(move.from()).isEqualTo(NEW_READS);
      assertThat(move.to()).isEqualTo(SHADOW_READS);
      assertThat(move.actor()).isEqualTo(RollbackGuard.ACTOR);
      assertThat(move.forced()).isFalse();
      assertThat(move.reason()).startsWith("rollback guard: shadow mismatch rate 50.00 % (20 of 40 comparisons)"
          + " over 10.00 % since ");
    }
  }

  @DatabaseTest
  void aBurstShorterThanTheWindowLeavesThePhaseAlone(TestDatabase db) {
    try (DualWrite node = node(db)) {
      node.phases().forceMove("users", NEW_READS, "lead@example.com", "canary");
      Node guarded = (Node) node;

      compare(node, 40, 20);
      guarded.checkRollbackGuards();
      clock.advance(Duration.ofSeconds(10));
      compare(node, 40, 0); // the burst is over
      guarded.checkRollbackGuards();
      clock.advance(WINDOW.multipliedBy(2));
      compare(node, 40, 20); // a new burst starts its own window
      guarded.checkRollbackGuards();

      assertThat(node.phases().current("users")).isEqualTo(NEW_READS);
      assertThat(last(node.phases().history("users")).actor()).isEqualTo("lead@example.com");
    }
  }

  @Test
  void badGuardSettingsAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> RollbackGuard.builder().withMaxShadowMismatchRate(5).build())
        .hasMessageContaining("maxShadowMismatchRate is 5.0").hasMessageContaining("from 0 to 1");
    assertThatThrownBy(() -> RollbackGuard.builder().withSustainedFor(Duration.ofMillis(10)).build())
        .hasMessageContaining("sustainedFor is PT0.01S");
  }

  private DualWrite node(TestDatabase db) {
    DualWriteSchema.createIfMissing(db.dataSource());
    db.execute("DELETE FROM dualwrite_phase", "DELETE FROM dualwrite_phase_history",
        "DELETE FROM dualwrite_shadow_stats");
    return DualWrite.builder().withDataSource(db.dataSource()).withClock(clock)
        .withEntity(EntityMigration.builder("users").withRollbackGuard(GUARD).build()).build();
  }

  /** Records {@code compared} shadow comparisons of users, {@code mismatched} of them mismatched. */
  private static void compare(DualWrite node, int compared, int mismatched) {
    ShadowComparisons comparisons = NodeServices.of(node).shadowComparisons();
    long revision = node.phases().state("users").revision();
    for (int i = 0; i < compared; i++) {
      comparisons.record("users", revision, i < mismatched);
    }
  }

  private static PhaseMove last(List<PhaseMove> history) {
    return history.get(history.size() - 1);
  }
}
