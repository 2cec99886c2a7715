package dev.dualwrite.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.spring.H2Node;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters dualwrite registers, and what they read. */
class DualWriteMetricsTest {
  private final H2Node node = new H2Node();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    node.close();
  }

  @Test
  void registersEveryMeterForEveryEntity() {
    new DualWriteMetrics(node.dualWrite()).bindTo(registry);
    for (String entity : new String[] {"users", "orders"}) {
      assertThat(registry.getMeters().stream()
          .filter(m -> entity.equals(m.getId().getTag("entity")))
          .map(m -> m.getId().getName() + ":" + m.getId().getType()))
          .containsExactlyInAnyOrder(
              "dualwrite.changes.appended:COUNTER",
              "dualwrite.changes.delivered:COUNTER",
              "dualwrite.changes.retried:COUNTER",
              "dualwrite.changes.dead.lettered:COUNTER",
              "dualwrite.outbox.backlog:GAUGE",
              "dualwrite.outbox.oldest.age:GAUGE",
              "dualwrite.outbox.dead.letters:GAUGE",
              "dualwrite.reverse.sync.applied:COUNTER",
              "dualwrite.reverse.sync.failed:COUNTER",
              "dualwrite.reverse.sync.dead.letters:GAUGE",
              "dualwrite.reverse.sync.behind:GAUGE",
              "dualwrite.reverse.sync.lag:GAUGE",
              "dualwrite.phase:GAUGE");
    }
  }

  @Test
  void readsTheCountersTheOutboxAndThePhase() throws Exception {
    new DualWriteMetrics(node.dualWrite(), Duration.ZERO).bindTo(registry);
    node.commitUpsert("users", "1");
    node.commitUpsert("users", "2");
    node.dualWrite().phases().move("users", MigrationPhase.DUAL_WRITE, "lead", "start");

    assertThat(registry.get("dualwrite.changes.appended").tag("entity", "users").functionCounter().count())
        .isEqualTo(2);
    assertThat(registry.get("dualwrite.changes.delivered").tag("entity", "users").functionCounter().count()).isZero();
    assertThat(registry.get("dualwrite.outbox.backlog").tag("entity", "users").gauge().value()).isEqualTo(2);
    assertThat(registry.get("dualwrite.outbox.backlog").tag("entity", "orders").gauge().value()).isZero();
    assertThat(registry.get("dualwrite.outbox.oldest.age").tag("entity", "users").timeGauge()
        .value(TimeUnit.MILLISECONDS)).isNotNegative();
    assertThat(registry.get("dualwrite.outbox.dead.letters").tag("entity", "users").gauge().value()).isZero();
    assertThat(registry.get("dualwrite.phase").tag("entity", "users").gauge().value()).isEqualTo(1);
    assertThat(registry.get("dualwrite.phase").tag("entity", "orders").gauge().value()).isZero();
  }

  @Test
  void outboxFiguresAreReadAtMostOncePerMaxAge() throws Exception {
    new DualWriteMetrics(node.dualWrite(), Duration.ofHours(1)).bindTo(registry);
    Gauge backlog = registry.get("dualwrite.outbox.backlog").tag("entity", "users").gauge();
    assertThat(backlog.value()).isZero();
    node.commitUpsert("users", "1");
    assertThat(backlog.value()).as("read again within the max age: the cached figure").isZero();
  }

  @Test
  void checksItsArguments() {
    assertThatThrownBy(() -> new DualWriteMetrics(null)).hasMessageContaining("dualWrite is null");
    assertThatThrownBy(() -> new DualWriteMetrics(node.dualWrite(), Duration.ofSeconds(-1)))
        .hasMessageContaining("statsMaxAge is PT-1S");
  }
}
