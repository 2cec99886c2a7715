package dev.dualwrite.gate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static dev.dualwrite.phase.MigrationPhase.LEGACY_ONLY;
import static dev.dualwrite.phase.MigrationPhase.NEW_READS;
import static dev.dualwrite.phase.MigrationPhase.SHADOW_READS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseMoveException;
import dev.dualwrite.phase.spi.PhaseStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gate mechanism, with a gate of our own: refusal with the measured value, passing, forcing, backward moves. */
class PhaseGatesTest {
  private final AtomicInteger comparisons = new AtomicInteger();
  private final List<MigrationPhase> checkedTargets = new ArrayList<>();
  private final DualWrite dualWrite = DualWrite.builder()
      .withPhaseStore(PhaseStore.inMemory())
      .withEntity(EntityMigration.builder("users").build())
      .withPhaseGates(PhaseGates.builder().withGate((entity, from, to) -> {
        checkedTargets.add(to);
        if (to != SHADOW_READS) {
          return null;
        }
        return new GateResult("enough-comparisons", comparisons.get() >= 10, comparisons.get() + " comparisons",
            "at least 10");
      }).build())
      .build();

  @AfterEach
  void close() {
    dualWrite.close();
  }

  @Test
  void aFailingGateRefusesTheMoveWithWhatItMeasured() {
    dualWrite.phases().move("users", DUAL_WRITE, "lead", null);
    comparisons.set(3);

    assertThatThrownBy(() -> dualWrite.phases().move("users", SHADOW_READS, "lead", "looks fine"))
        .isInstanceOf(PhaseMoveException.class)
        .hasMessage("cannot move entity 'users' from DUAL_WRITE to SHADOW_READS: gate enough-comparisons:"
            + " 3 comparisons (requires at least 10). Meet the gate, or force the move with a reason.");
    assertThat(dualWrite.phases().current("users")).isEqualTo(DUAL_WRITE);
    assertThat(dualWrite.phases().history("users")).hasSize(1);
  }

  @Test
  void theMoveGoesAheadOnceTheGateHolds() {
    dualWrite.phases().move("users", DUAL_WRITE, "lead", null);
    comparisons.set(10);

    assertThat(dualWrite.phases().checkGates("users", SHADOW_READS))
        .containsExactly(new GateResult("enough-comparisons", true, "10 comparisons", "at least 10"));
    PhaseMove move = dualWrite.phases().move("users", SHADOW_READS, "lead", null);
    assertThat(move.forced()).isFalse();
    assertThat(dualWrite.phases().current("users")).isEqualTo(SHADOW_READS);
  }

  @Test
  void forceOverridesAFailingGateAndTheHistorySaysWhich() {
    dualWrite.phases().move("users", DUAL_WRITE, "lead", null);

    PhaseMove move = dualWrite.phases().forceMove("users", SHADOW_READS, "lead", "comparisons checked by hand");

    assertThat(move.forced()).isTrue();
    assertThat(move.reason()).isEqualTo("comparisons checked by hand [overrode gate enough-comparisons:"
        + " 0 comparisons (requires at least 10)]");
    assertThat(dualWrite.phases().history("users")).last().isEqualTo(move);
  }

  @Test
  void backwardMovesHaveNoGates() {
    dualWrite.phases().forceMove("users", NEW_READS, "lead", "test setup");
    checkedTargets.clear();

    dualWrite.phases().move("users", SHADOW_READS, "lead", "roll back");

    assertThat(checkedTargets).isEmpty();
    assertThat(dualWrite.phases().checkGates("users", LEGACY_ONLY)).isEmpty();
  }

  @Test
  void aGateThatThrowsFailsWithTheException() {
    try (DualWrite throwing = DualWrite.builder()
        .withPhaseStore(PhaseStore.inMemory())
        .withEntity(EntityMigration.builder("users").build())
        .withPhaseGates(PhaseGates.builder().withGate((e, f, t) -> {
          throw new IllegalStateException("metrics backend down");
        }).build())
        .build()) {
      assertThatThrownBy(() -> throwing.phases().move("users", DUAL_WRITE, "lead", null))
          .hasMessageContaining("metrics backend down");
    }
  }

  @Test
  void settingsOutOfRangeAreNamed() {
    assertThatThrownBy(() -> PhaseGates.builder().withShadowMismatchRate(1.5, 10).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("phase gate setting maxShadowMismatchRate is 1.5; allowed: a fraction from 0 to 1");
    assertThatThrownBy(() -> PhaseGates.builder().withMinNewWritesSoak(Duration.ofSeconds(-1)).build())
        .hasMessage("phase gate setting minNewWritesSoak is PT-1S; allowed: zero or a positive duration");
  }
}
