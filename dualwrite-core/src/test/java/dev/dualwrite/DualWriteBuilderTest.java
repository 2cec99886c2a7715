package dev.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.phase.spi.PhaseStore;
import dev.dualwrite.target.HttpTargetClient;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
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
  void refusesANullEntityAtOnce() {
    assertThatThrownBy(() -> DualWrite.builder().withEntity(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entity is null; build one with EntityMigration.builder(\"users\").build()");
  }

  @Test
  void aRefusedConfigurationTouchesNoDatabase() {
    AtomicInteger connections = new AtomicInteger();
    DataSource counting = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          connections.incrementAndGet();
          throw new SQLException("no database in this test");
        });

    assertThatThrownBy(() -> DualWrite.builder()
        .withDataSource(counting)
        .withSchemaAutoCreate(true)
        .withEntity(EntityMigration.builder("users").build())
        .withTargetUrl("http://127.0.0.1:1/mirror")
        .withTargetClient(HttpTargetClient.builder("http://127.0.0.1:1/mirror").build())
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("both a target URL and a target client are configured");
    assertThat(connections).as("no table was created before the last check").hasValue(0);
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
