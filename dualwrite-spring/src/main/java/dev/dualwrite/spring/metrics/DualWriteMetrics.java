package dev.dualwrite.spring.metrics;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.cutover.ReverseSyncStatus;
import dev.dualwrite.relay.MirrorStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Micrometer meters for what dualwrite counts, per entity (tag {@code entity}):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code dualwrite.changes.appended}</td><td>counter</td><td>changes this node committed to the outbox</td></tr>
 *   <tr><td>{@code dualwrite.changes.delivered}</td><td>counter</td><td>changes this node's relay delivered</td></tr>
 *   <tr><td>{@code dualwrite.changes.retried}</td><td>counter</td><td>failed attempts this node's relay scheduled
 *       again</td></tr>
 *   <tr><td>{@code dualwrite.changes.dead.lettered}</td><td>counter</td><td>changes this node's relay gave up
 *       on</td></tr>
 *   <tr><td>{@code dualwrite.outbox.backlog}</td><td>gauge</td><td>undelivered changes in the outbox, all
 *       nodes</td></tr>
 *   <tr><td>{@code dualwrite.outbox.oldest.age}</td><td>time gauge</td><td>age of the oldest undelivered change</td></tr>
 *   <tr><td>{@code dualwrite.outbox.dead.letters}</td><td>gauge</td><td>dead letters in the outbox, all nodes</td></tr>
 *   <tr><td>{@code dualwrite.reverse.sync.applied}</td><td>counter</td><td>changes of the new service the reverse
 *       sync applied to legacy since the entity last entered {@code NEW_WRITES}, all nodes</td></tr>
 *   <tr><td>{@code dualwrite.reverse.sync.failed}</td><td>counter</td><td>changes legacy refused (reverse dead
 *       letters made), likewise</td></tr>
 *   <tr><td>{@code dualwrite.reverse.sync.dead.letters}</td><td>gauge</td><td>reverse dead letters waiting</td></tr>
 *   <tr><td>{@code dualwrite.reverse.sync.lag}</td><td>time gauge</td><td>how long ago the oldest change legacy has
 *       not taken yet was made; zero when caught up</td></tr>
 *   <tr><td>{@code dualwrite.reverse.sync.behind}</td><td>gauge</td><td>changes known to wait after the reverse
 *       sync's cursor (a lower bound)</td></tr>
 *   <tr><td>{@code dualwrite.phase}</td><td>gauge</td><td>the entity's phase: 0 {@code LEGACY_ONLY}, 1
 *       {@code DUAL_WRITE}, 2 {@code SHADOW_READS}, 3 {@code NEW_READS}, 4 {@code NEW_WRITES}, 5
 *       {@code NEW_ONLY}</td></tr>
 * </table>
 *
 * <p>Counters have no base unit, so Prometheus names them {@code dualwrite_changes_appended_total}, not
 * {@code dualwrite_changes_appended_changes_total}. The outbox figures come from one query per entity, made at most once per {@code statsMaxAge} however many
 * meters and registries read them. Thread-safe.
 */
public final class DualWriteMetrics implements MeterBinder {
  /** How old the outbox figures may be when a meter is read, unless told otherwise. */
  public static final Duration DEFAULT_STATS_MAX_AGE = Duration.ofSeconds(1);

  private record Snapshot(Map<String, MirrorStats> stats, Map<String, ReverseSyncStatus> reverse, long takenAtNanos) {}

  private final DualWrite dualWrite;
  private final long maxAgeNanos;
  private volatile Snapshot snapshot;

  /** Meters over {@code dualWrite}, with outbox figures at most {@link #DEFAULT_STATS_MAX_AGE} old. */
  public DualWriteMetrics(DualWrite dualWrite) {
    this(dualWrite, DEFAULT_STATS_MAX_AGE);
  }

  /**
   * Meters over {@code dualWrite}, with outbox figures at most {@code statsMaxAge} old.
   *
   * @throws IllegalArgumentException when {@code dualWrite} is null or {@code statsMaxAge} is null or negative
   */
  public DualWriteMetrics(DualWrite dualWrite, Duration statsMaxAge) {
    if (dualWrite == null) {
      throw new IllegalArgumentException("dualWrite is null");
    }
    if (statsMaxAge == null || statsMaxAge.isNegative()) {
      throw new IllegalArgumentException("statsMaxAge is " + statsMaxAge + "; allowed: zero or more");
    }
    this.dualWrite = dualWrite;
    this.maxAgeNanos = statsMaxAge.toNanos();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (EntityMigration entity : dualWrite.entities()) {
      String name = entity.name();
      Tags tags = Tags.of("entity", name);
      counter(registry, "dualwrite.changes.appended", "Changes committed to the outbox by this node", tags,
          name, MirrorStats::appended);
      counter(registry, "dualwrite.changes.delivered", "Changes delivered to the new service by this node's relay",
          tags, name, MirrorStats::delivered);
      counter(registry, "dualwrite.changes.retried", "Failed delivery attempts this node's relay scheduled again",
          tags, name, MirrorStats::retried);
      counter(registry, "dualwrite.changes.dead.lettered", "Changes this node's relay gave up on", tags, name,
          MirrorStats::deadLettered);
      gauge(registry, "dualwrite.outbox.backlog", "Undelivered changes in the outbox, from every node", tags,
          m -> m.stats(name).backlog());
      TimeGauge.builder("dualwrite.outbox.oldest.age", this, TimeUnit.MILLISECONDS,
              m -> m.stats(name).oldestPendingAge().toMillis())
          .description("Age of the oldest undelivered change; zero when none")
          .tags(tags)
          .strongReference(true)
          .register(registry);
      gauge(registry, "dualwrite.outbox.dead.letters", "Dead letters in the outbox, from every node", tags,
          m -> m.stats(name).deadLetters());
      FunctionCounter.builder("dualwrite.reverse.sync.applied", this, m -> m.reverse(name).applied())
          .description("Changes of the new service applied to legacy since the entity entered NEW_WRITES")
          .tags(tags).register(registry);
      FunctionCounter.builder("dualwrite.reverse.sync.failed", this, m -> m.reverse(name).failed())
          .description("Changes of the new service legacy refused (reverse dead letters made)")
          .tags(tags).register(registry);
      gauge(registry, "dualwrite.reverse.sync.dead.letters", "Changes of the new service legacy refused, waiting",
          tags, m -> m.reverse(name).deadLetters());
      gauge(registry, "dualwrite.reverse.sync.behind", "Changes known to wait after the reverse sync's cursor",
          tags, m -> m.reverse(name).behindAtLeast());
      TimeGauge.builder("dualwrite.reverse.sync.lag", this, TimeUnit.MILLISECONDS,
              m -> m.reverse(name).lag().toMillis())
          .description("How long ago the oldest change legacy has not taken yet was made; zero when caught up")
          .tags(tags)
          .strongReference(true)
          .register(registry);
      gauge(registry, "dualwrite.phase",
          "The entity's phase: 0 LEGACY_ONLY, 1 DUAL_WRITE, 2 SHADOW_READS, 3 NEW_READS, 4 NEW_WRITES, 5 NEW_ONLY",
          tags, m -> m.dualWrite.phases().current(name).ordinal());
    }
  }

  private void counter(MeterRegistry registry, String meter, String description, Tags tags, String entity,
      ToLongFunction<MirrorStats> count) {
    FunctionCounter.builder(meter, this, m -> count.applyAsLong(m.stats(entity)))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  private void gauge(MeterRegistry registry, String meter, String description, Tags tags,
      ToDoubleFunction<DualWriteMetrics> value) {
    Gauge.builder(meter, this, value).description(description).tags(tags).strongReference(true).register(registry);
  }

  private MirrorStats stats(String entity) {
    return current().stats().get(entity);
  }

  private ReverseSyncStatus reverse(String entity) {
    return current().reverse().get(entity);
  }

  private Snapshot current() {
    Snapshot s = snapshot;
    if (s == null || System.nanoTime() - s.takenAtNanos() > maxAgeNanos) {
      s = refresh();
    }
    return s;
  }

  /** The entity's reverse sync, or a state that has not begun on a node without a data source. */
  private ReverseSyncStatus reverseStatus(String entity) {
    try {
      return dualWrite.reverseSync().status(entity);
    } catch (IllegalStateException noDataSource) {
      return new ReverseSyncStatus(entity, false, null, null, false, 0, Duration.ZERO, 0, 0, 0, 0, null, null, null,
          noDataSource.getMessage());
    }
  }

  private synchronized Snapshot refresh() {
    Snapshot s = snapshot;
    if (s != null && System.nanoTime() - s.takenAtNanos() <= maxAgeNanos) {
      return s;
    }
    long now = System.nanoTime();
    snapshot = new Snapshot(dualWrite.entities().stream()
        .collect(Collectors.toMap(EntityMigration::name, e -> dualWrite.mirrorStats(e.name()))),
        dualWrite.entities().stream().collect(Collectors.toMap(EntityMigration::name, e -> reverseStatus(e.name()))),
        now);
    return snapshot;
  }
}
