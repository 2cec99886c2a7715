package dev.dualwrite.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.read.ReadMismatchException;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.spring.H2Node;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The read routers' meters follow their counters. */
class ReadRouterMetricsTest {
  private final H2Node node = new H2Node();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    node.close();
  }

  @Test
  void readRouterMetersFollowTheRoutersCounters() {
    node.dualWrite().phases().forceMove("users", MigrationPhase.SHADOW_READS, "lead", "test");
    try (ReadRouter users = ReadRouter.builder(node.dualWrite(), "users").withTestMode(true).build()) {
      new ReadRouterMetrics(List.of(users)).bindTo(registry);
      users.read("1", () -> Map.of("name", "Ada"), () -> Map.of("name", "Ada"));
      assertThatThrownBy(() -> users.read("2", () -> Map.of("name", "Bob"), () -> Map.of("name", "Rob")))
          .isInstanceOf(ReadMismatchException.class);

      assertThat(count("dualwrite.reads", "store", "legacy")).isEqualTo(2);
      assertThat(count("dualwrite.reads", "store", "new")).isZero();
      assertThat(count("dualwrite.shadow.compared", "outcome", "matched")).isEqualTo(1);
      assertThat(count("dualwrite.shadow.compared", "outcome", "mismatched")).isEqualTo(1);
      assertThat(count("dualwrite.shadow.compared", "outcome", "ignored")).isZero();
      assertThat(registry.get("dualwrite.shadow.dropped").tag("entity", "users").functionCounter().count()).isZero();
      assertThat(registry.get("dualwrite.reads.fallbacks").tag("entity", "users").functionCounter().count()).isZero();
      assertThat(registry.get("dualwrite.reads.undelivered.writes").tag("entity", "users").functionCounter().count())
          .isZero();
      assertThat(registry.get("dualwrite.reads.errors").tag("entity", "users").functionCounter().count()).isZero();
      assertThat(registry.get("dualwrite.shadow.mismatch.rate").tag("entity", "users").gauge().value())
          .isEqualTo(0.5);
    }
  }

  private double count(String meter, String tag, String value) {
    return registry.get(meter).tag("entity", "users").tag(tag, value).functionCounter().count();
  }
}
