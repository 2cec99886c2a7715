package dev.dualwrite.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.OutboxEntry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/** The commit → acknowledgement timer and the HTTP request timer's tags, on a plain registry. */
class LatencyAndRequestMetricsTest {
  private static final Instant COMMITTED = Instant.parse("2026-12-01T10:00:00Z");

  private static OutboxEntry change(String entity, Instant createdAt) {
    return new OutboxEntry(1, entity, entity, "42", ChangeOperation.UPSERT, 1, "key", "{}", 0, createdAt);
  }

  @Test
  void theLatencyIsFromTheOutboxRowToTheAcknowledgementPerEntity() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MirrorLatencyMetrics metrics = new MirrorLatencyMetrics();
    metrics.onDelivered(List.of(change("users", COMMITTED)), COMMITTED.plusMillis(5));
    metrics.bindTo(registry);
    metrics.onDelivered(List.of(change("users", COMMITTED), change("orders", COMMITTED)), COMMITTED.plusMillis(40));
    metrics.onDelivered(List.of(change("users", COMMITTED.plusSeconds(1))), COMMITTED);

    Timer users = registry.get(MirrorLatencyMetrics.METER).tag("entity", "users").timer();
    assertThat(users.count()).as("one before the binding is not timed; a negative time is zero").isEqualTo(2);
    assertThat(users.max(TimeUnit.MILLISECONDS)).isEqualTo(40);
    assertThat(users.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
    assertThat(registry.get(MirrorLatencyMetrics.METER).tag("entity", "orders").timer().count()).isEqualTo(1);
    assertThat(registry.get(MirrorLatencyMetrics.METER + ".percentile").tag("entity", "users").gauges())
        .extracting(g -> g.getId().getTag("phi")).containsExactlyInAnyOrder("0.5", "0.95", "0.99");
  }

  @Test
  void requestsAreTaggedWithTheProtocolOperationAndResourceNeverTheId() {
    TargetRequestMetrics metrics = new TargetRequestMetrics("http://127.0.0.1:8081/api/mirror/");
    String base = "http://127.0.0.1:8081/api/mirror/v1/";
    assertThat(metrics.operation(request("PUT", base + "users/42"))).isEqualTo(tags("upsert", "users"));
    assertThat(metrics.operation(request("DELETE", base + "users/42"))).isEqualTo(tags("delete", "users"));
    assertThat(metrics.operation(request("GET", base + "users/42"))).isEqualTo(tags("get", "users"));
    assertThat(metrics.operation(request("POST", base + "_batch"))).isEqualTo(tags("batch", "none"));
    assertThat(metrics.operation(request("POST", base + "users/_get"))).isEqualTo(tags("get-many", "users"));
    assertThat(metrics.operation(request("GET", base + "users?limit=10"))).isEqualTo(tags("list", "users"));
    assertThat(metrics.operation(request("GET", base + "_changes/users"))).isEqualTo(tags("changes", "users"));
    assertThat(metrics.operation(request("GET", "http://127.0.0.1:8081/health"))).isEqualTo(tags("other", "none"));
    assertThat(new TargetRequestMetrics("not a url").operation(request("PUT", "http://h/v1/users/1")))
        .isEqualTo(tags("upsert", "users"));
  }

  private static Request request(String method, String url) {
    return new Request.Builder().url(url)
        .method(method, method.equals("PUT") || method.equals("POST")
            ? okhttp3.RequestBody.create(new byte[0], null) : null)
        .build();
  }

  private static Tags tags(String operation, String resource) {
    return Tags.of("operation", operation, "resource", resource);
  }
}
