package dev.dualwrite.phase;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static dev.dualwrite.phase.MigrationPhase.LEGACY_ONLY;
import static dev.dualwrite.phase.MigrationPhase.NEW_ONLY;
import static dev.dualwrite.phase.MigrationPhase.NEW_READS;
import static dev.dualwrite.phase.MigrationPhase.NEW_WRITES;
import static dev.dualwrite.phase.MigrationPhase.SHADOW_READS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class MigrationPhaseTest {

  @ParameterizedTest(
      name = "{0}: writes {1}, reads {2}, shadow {3}, mirror {4}, reverse {5}, rejects {6}, canary {7}, captures {8}")
  @CsvSource({
    // phase,        writes, reads,  shadow, mirror, reverse, rejects, canary, captures
    "LEGACY_ONLY,    LEGACY, LEGACY, false,  false,  false,   false,   false,  false",
    "DUAL_WRITE,     LEGACY, LEGACY, false,  true,   false,   false,   false,  true",
    "SHADOW_READS,   LEGACY, LEGACY, true,   true,   false,   false,   false,  true",
    "NEW_READS,      LEGACY, NEW,    true,   true,   false,   false,   true,   true",
    "NEW_WRITES,     NEW,    NEW,    false,  false,  true,    false,   false,  true",
    "NEW_ONLY,       NEW,    NEW,    false,  false,  false,   true,    false,  false",
  })
  void eachPhaseAnswersHowWritesMirrorAndReadsBehave(
      MigrationPhase phase,
      Store writes,
      Store reads,
      boolean shadow,
      boolean mirror,
      boolean reverse,
      boolean rejects,
      boolean canary,
      boolean captures) {
    assertThat(phase.writeAuthority()).isEqualTo(writes);
    assertThat(phase.readSource()).isEqualTo(reads);
    assertThat(phase.shadowCompared()).isEqualTo(shadow);
    assertThat(phase.mirrorsLegacyToNew()).isEqualTo(mirror);
    assertThat(phase.reverseSyncs()).isEqualTo(reverse);
    assertThat(phase.rejectsLegacyWrites()).isEqualTo(rejects);
    assertThat(phase.canaryRouted()).isEqualTo(canary);
    assertThat(phase.capturesLegacyWrites()).isEqualTo(captures);
  }

  @Test
  void theTableCoversEveryPhase() {
    assertThat(MigrationPhase.values())
        .containsExactly(LEGACY_ONLY, DUAL_WRITE, SHADOW_READS, NEW_READS, NEW_WRITES, NEW_ONLY);
  }

  @ParameterizedTest
  @EnumSource(MigrationPhase.class)
  void oneStepForwardAndOneStepBackAreAllowedWithoutForce(MigrationPhase phase) {
    if (phase.next() != null) {
      assertThatCode(() -> phase.checkMove("users", phase.next(), false, null)).doesNotThrowAnyException();
      assertThat(phase.isForwardStepTo(phase.next())).isTrue();
    }
    if (phase.previous() != null) {
      assertThatCode(() -> phase.checkMove("users", phase.previous(), false, null)).doesNotThrowAnyException();
      assertThat(phase.isForwardStepTo(phase.previous())).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(MigrationPhase.class)
  void everyOtherMoveIsRefusedWithoutForce(MigrationPhase from) {
    EnumSet<MigrationPhase> refused = EnumSet.allOf(MigrationPhase.class);
    refused.removeAll(from.allowedMoves());
    for (MigrationPhase to : refused) {
      assertThatThrownBy(() -> from.checkMove("users", to, false, null))
          .isInstanceOf(PhaseMoveException.class)
          .hasMessageContaining("'users'")
          .hasMessageContaining(to.name())
          .hasMessageContaining("allowed moves: " + from.allowedMoves());
    }
  }

  @Test
  void aSkipNamesEntityPhasesAllowedMovesAndForce() {
    assertThatThrownBy(() -> LEGACY_ONLY.checkMove("users", NEW_READS, false, null))
        .isInstanceOf(PhaseMoveException.class)
        .hasMessage("cannot move entity 'users' from LEGACY_ONLY to NEW_READS: phases move one step at a time;"
            + " allowed moves: [DUAL_WRITE]. To skip phases, force the move and give a reason.")
        .satisfies(e -> {
          PhaseMoveException pme = (PhaseMoveException) e;
          assertThat(pme.entity()).isEqualTo("users");
          assertThat(pme.from()).isEqualTo(LEGACY_ONLY);
          assertThat(pme.to()).isEqualTo(NEW_READS);
        });
  }

  @Test
  void aForcedSkipNeedsAReason() {
    assertThatThrownBy(() -> DUAL_WRITE.checkMove("users", NEW_ONLY, true, "  "))
        .isInstanceOf(PhaseMoveException.class)
        .hasMessageContaining("forced move of entity 'users' from DUAL_WRITE to NEW_ONLY needs a reason");
    assertThatCode(() -> DUAL_WRITE.checkMove("users", NEW_ONLY, true, "service already owns it"))
        .doesNotThrowAnyException();
  }

  @Test
  void backwardSkipsAlsoNeedForce() {
    assertThatThrownBy(() -> NEW_WRITES.checkMove("users", DUAL_WRITE, false, null))
        .isInstanceOf(PhaseMoveException.class)
        .hasMessageContaining("allowed moves: [NEW_READS, NEW_ONLY]");
    assertThatCode(() -> NEW_WRITES.checkMove("users", DUAL_WRITE, true, "roll back after incident"))
        .doesNotThrowAnyException();
  }

  @Test
  void movingToTheSamePhaseIsRefused() {
    assertThatThrownBy(() -> SHADOW_READS.checkMove("users", SHADOW_READS, true, "why not"))
        .isInstanceOf(PhaseMoveException.class)
        .hasMessageContaining("already in SHADOW_READS");
  }

  @Test
  void theEndsHaveOneNeighbour() {
    assertThat(LEGACY_ONLY.allowedMoves()).isEqualTo(List.of(DUAL_WRITE));
    assertThat(NEW_ONLY.allowedMoves()).isEqualTo(List.of(NEW_WRITES));
    assertThat(LEGACY_ONLY.previous()).isNull();
    assertThat(NEW_ONLY.next()).isNull();
  }

  @Test
  void parsesNamesIgnoringCaseAndDashes() {
    assertThat(MigrationPhase.parse("new-reads")).isEqualTo(NEW_READS);
    assertThat(MigrationPhase.parse(" Dual_Write ")).isEqualTo(DUAL_WRITE);
  }

  @Test
  void anUnknownPhaseNameListsThePhases() {
    assertThatThrownBy(() -> MigrationPhase.parse("SHADOW"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown phase 'SHADOW'; phases are "
            + "[LEGACY_ONLY, DUAL_WRITE, SHADOW_READS, NEW_READS, NEW_WRITES, NEW_ONLY]");
    assertThatThrownBy(() -> MigrationPhase.parse(null)).hasMessageContaining("unknown phase 'null'");
  }
}
