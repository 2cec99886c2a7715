package dev.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.phase.spi.PhaseStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DualWriteBuilderTest {

  @Test
  void needsAnEntity() {
    assertThatThrownBy(() -> DualWrite.builder().withPhaseStore(PhaseStore.inMemory()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no entity is configured; add one with withEntity(");
  }

  @Test
  void refusesAnEntityConfiguredTwice() {
    assertThatThrownBy(
            () -> DualWrite.builder()
                .withPhaseStore(PhaseStore.inMemory())
                .withEntity(EntityMigration.builder("users").build())
                .withEntity(EntityMigration.builder("users").withResource("people").build())
                .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entity 'users' is configured twice; give each entity one withEntity(...)");
  }

  @Test
  void needsADataSourceOrAPhaseStore() {
    assertThatThrownBy(() -> DualWrite.builder().withEntity(EntityMigration.builder("users").build()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("call withDataSource(...)")
        .hasMessageContaining("withPhaseStore(PhaseStore.inMemory())");
  }

  @Test
  void boundsThePhaseStaleness() {
    for (Duration bad : new Duration[] {null, Duration.ZERO, Duration.ofMillis(9), Duration.ofHours(2)}) {
      assertThatThrownBy(
              () -> DualWrite.builder()
                  .withPhaseStore(PhaseStore.inMemory())
                  .withEntity(EntityMigration.builder("users").build())
                  .withPhaseStaleness(bad)
                  .build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("phaseStaleness is " + bad + "; allowed: from 10 ms (PT0.01S) to 1 hour (PT1H)");
    }
  }

  @Test
  void keepsEntitiesInTheOrderAdded() {
    try (DualWrite dualWrite =
        DualWrite.builder()
            .withPhaseStore(PhaseStore.inMemory())
            .withEntity(EntityMigration.builder("users").build())
            .withEntity(EntityMigration.builder("orders").build())
            .build()) {
      assertThat(dualWrite.entities()).extracting(EntityMigration::name).containsExactly("users", "orders");
      assertThat(dualWrite.phases().maxStaleness()).isEqualTo(DualWriteBuilder.DEFAULT_PHASE_STALENESS);
    }
  }
}
