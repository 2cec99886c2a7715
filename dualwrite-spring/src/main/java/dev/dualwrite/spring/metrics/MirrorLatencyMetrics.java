package dev.dualwrite.spring.metrics;

import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.relay.MirrorListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.util.DoubleFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The commit → acknowledgement timer {@code dualwrite.mirror.latency}, tag {@code entity}: for each change this node's
 * relay delivered, the time from its outbox row's {@code created_at} (the writing transaction's flush, just before its
 * commit) to the new service's acknowledgement, retries included. It publishes the percentiles p50, p95 and p99 and
 * the service-level buckets {@link #SLO_BUCKETS}. Prometheus gets a histogram with those {@code le} buckets
 * ({@code dualwrite_mirror_latency_seconds_bucket}); as it drops a timer's own percentiles when the timer has buckets,
 * they are also the gauge {@code dualwrite.mirror.latency.percentile}, tag {@code phi} (Prometheus:
 * {@code dualwrite_mirror_latency_percentile_seconds}), the name other registries give a timer's percentiles.
 *
 * <p>A {@link MirrorListener} for {@code DualWrite} and a {@link MeterBinder} for Micrometer: it records into every
 * registry it was bound to; deliveries heard before it is bound are not timed. The time is measured between the
 * appending node's clock and the relay's, so clock skew between nodes shows in it; a negative time counts as zero.
 * Thread-safe.
 */
public final class MirrorLatencyMetrics implements MirrorListener, MeterBinder {
  /** The timer's name. */
  public static final String METER = "dualwrite.mirror.latency";

  /** The published percentiles. */
  static final double[] PERCENTILES = {0.5, 0.95, 0.99};

  /**
   * The service-level buckets: 5, 10, 25, 50, 100, 250 and 500 ms, 1, 5, 30 and 60 s (the design's targets are p50 ≤
   * 5 ms and p99 ≤ 50 ms on loopback).
   */
  public static final List<Duration> SLO_BUCKETS = List.of(
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(1));

  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
  private final Map<String, List<Timer>> timers = new ConcurrentHashMap<>();

  /** A timer bound to no registry yet. */
  public MirrorLatencyMetrics() {}

  @Override
  public void bindTo(MeterRegistry registry) {
    registries.add(registry);
    timers.clear();
  }

  @Override
  public void onDelivered(List<OutboxEntry> entries, Instant at) {
    if (registries.isEmpty()) {
      return;
    }
    for (OutboxEntry entry : entries) {
      Duration latency = entry.createdAt() == null ? null : Duration.between(entry.createdAt(), at);
      if (latency == null) {
        continue;
      }
      Duration recorded = latency.isNegative() ? Duration.ZERO : latency;
      for (Timer timer : timers.computeIfAbsent(entry.entity(), this::register)) {
        timer.record(recorded);
      }
    }
  }

  private List<Timer> register(String entity) {
    return registries.stream().map(registry -> register(registry, entity)).toList();
  }

  private static Timer register(MeterRegistry registry, String entity) {
    Timer timer = Timer.builder(METER)
        .description("Time from a change's commit to the new service's acknowledgement")
        .tag("entity", entity)
        .publishPercentiles(PERCENTILES)
        .serviceLevelObjectives(SLO_BUCKETS.toArray(Duration[]::new))
        .register(registry);
    // Registries that export the buckets as a histogram (Prometheus) drop the timer's own percentile series; these
    // gauges, as other registries name them, keep them. Where the registry has them already, it keeps its own.
    for (double percentile : PERCENTILES) {
      Gauge.builder(METER + ".percentile", timer, t -> valueAt(t, percentile))
          .description("Time from a change's commit to the new service's acknowledgement, at this percentile")
          .baseUnit("seconds")
          .tags("entity", entity, "phi", DoubleFormat.decimalOrNan(percentile))
          .register(registry);
    }
    return timer;
  }

  private static double valueAt(Timer timer, double percentile) {
    for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
      if (value.percentile() == percentile) {
        return value.value(TimeUnit.SECONDS);
      }
    }
    return Double.NaN;
  }
}
