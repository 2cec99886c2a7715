package dev.dualwrite.spring.metrics;

import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.read.ReadStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Collection;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters for the read routers' counters, per entity (tag {@code entity}), read from
 * {@link ReadRouter#stats()} (in memory):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code dualwrite.reads}, tag {@code store} = {@code legacy} or {@code new}</td><td>counter</td>
 *       <td>keys served by each store (fallbacks count as legacy)</td></tr>
 *   <tr><td>{@code dualwrite.reads.fallbacks}</td><td>counter</td><td>canary keys served by legacy because the new
 *       service failed</td></tr>
 *   <tr><td>{@code dualwrite.reads.undelivered.writes}</td><td>counter</td><td>keys read while they had undelivered
 *       writes</td></tr>
 *   <tr><td>{@code dualwrite.reads.errors}</td><td>counter</td><td>snapshots, rules, comparators or listeners that
 *       threw</td></tr>
 *   <tr><td>{@code dualwrite.shadow.compared}, tag {@code outcome} = {@code matched}, {@code mismatched} or
 *       {@code ignored}</td><td>counter</td><td>comparisons by outcome</td></tr>
 *   <tr><td>{@code dualwrite.shadow.dropped}</td><td>counter</td><td>shadow reads not run: the executor was
 *       full</td></tr>
 *   <tr><td>{@code dualwrite.shadow.mismatch.rate}</td><td>gauge</td><td>mismatched ÷ compared since start, 0 to
 *       1</td></tr>
 * </table>
 *
 * <p>Give it one router per entity; a second router of the same entity would share the first one's meters. Thread-safe.
 */
public final class ReadRouterMetrics implements MeterBinder {
  private final List<ReadRouter> routers;

  /** Meters over {@code routers}. */
  public ReadRouterMetrics(Collection<ReadRouter> routers) {
    this.routers = List.copyOf(routers);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (ReadRouter router : routers) {
      Tags tags = Tags.of("entity", router.entity());
      counter(registry, "dualwrite.reads", "Keys served by this store", tags.and("store", "legacy"), router,
          ReadStats::servedByLegacy);
      counter(registry, "dualwrite.reads", "Keys served by this store", tags.and("store", "new"), router,
          ReadStats::servedByNew);
      counter(registry, "dualwrite.reads.fallbacks",
          "Canary keys served by legacy because the new service's read failed", tags, router, ReadStats::fallbacks);
      counter(registry, "dualwrite.reads.undelivered.writes", "Keys read while they had undelivered writes", tags,
          router, ReadStats::undeliveredWrites);
      counter(registry, "dualwrite.reads.errors",
          "Snapshots, normalisers, rules, comparators, cleaners or listeners that threw", tags, router,
          ReadStats::errors);
      counter(registry, "dualwrite.shadow.compared", "Comparisons with this outcome", tags.and("outcome", "matched"),
          router, s -> s.matched().count());
      counter(registry, "dualwrite.shadow.compared", "Comparisons with this outcome",
          tags.and("outcome", "mismatched"), router, s -> s.mismatched().count());
      counter(registry, "dualwrite.shadow.compared", "Comparisons with this outcome", tags.and("outcome", "ignored"),
          router, s -> s.ignored().count());
      counter(registry, "dualwrite.shadow.dropped", "Shadow reads not run because the shadow executor was full",
          tags, router, ReadStats::dropped);
      Gauge.builder("dualwrite.shadow.mismatch.rate", router, r -> r.stats().mismatchRate())
          .description("Share of compared reads that mismatched since start, 0 to 1")
          .tags(tags)
          .strongReference(true)
          .register(registry);
    }
  }

  private static void counter(MeterRegistry registry, String meter, String description, Tags tags, ReadRouter router,
      ToLongFunction<ReadStats> count) {
    FunctionCounter.builder(meter, router, r -> count.applyAsLong(r.stats()))
        .description(description)
        .tags(tags)
        .register(registry);
  }
}
