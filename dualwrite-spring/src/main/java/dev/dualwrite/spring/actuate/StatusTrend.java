package dev.dualwrite.spring.actuate;

import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.EntityStatus;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.read.ReadStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every entity's backlog, lag, dead letters and shadow mismatch rate over the last hour, sampled from
 * {@link DualWrite#status()} (and the read routers' counters) on this node every interval by a daemon thread. The
 * mismatch rate of a point is that of the comparisons since the point before. Thread-safe.
 */
final class StatusTrend implements AutoCloseable {
  /** How far back the trend goes. */
  static final Duration SPAN = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(StatusTrend.class);

  private final DualWrite dualWrite;
  private final Map<String, ReadRouter> readRouters;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Deque<DualWriteEndpoint.TrendPoint>> points = new ConcurrentHashMap<>();
  private final Map<String, long[]> lastReads = new HashMap<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "dualwrite-endpoint-trend");
    thread.setDaemon(true);
    return thread;
  });

  StatusTrend(DualWrite dualWrite, Map<String, ReadRouter> readRouters, Duration interval) {
    this.dualWrite = dualWrite;
    this.readRouters = readRouters;
    scheduler.scheduleWithFixedDelay(this::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The points of {@code entity}, oldest first. */
  List<DualWriteEndpoint.TrendPoint> of(String entity) {
    Deque<DualWriteEndpoint.TrendPoint> trend = points.get(entity);
    if (trend == null) {
      return List.of();
    }
    synchronized (trend) {
      return List.copyOf(trend);
    }
  }

  private void sample() {
    try {
      Instant now = clock.instant();
      for (EntityStatus status : dualWrite.status()) {
        if (status.recordsUnreadable() != null) {
          continue;
        }
        Deque<DualWriteEndpoint.TrendPoint> trend = points.computeIfAbsent(status.entity(), e -> new ArrayDeque<>());
        DualWriteEndpoint.TrendPoint point = new DualWriteEndpoint.TrendPoint(now, status.mirror().backlog(),
            status.mirror().oldestPendingAge().toMillis(), status.mirror().deadLetters(),
            mismatchRate(status.entity()));
        synchronized (trend) {
          trend.addLast(point);
          while (!trend.isEmpty() && trend.peekFirst().at().isBefore(now.minus(SPAN))) {
            trend.removeFirst();
          }
        }
      }
    } catch (DualWriteException | IllegalStateException e) {
      log.debug("dualwrite: trend sample skipped", e);
    }
  }

  /** The mismatch rate of the comparisons since the last sample; null without a read router or a comparison. */
  private @Nullable Double mismatchRate(String entity) {
    ReadRouter router = readRouters.get(entity);
    if (router == null) {
      return null;
    }
    ReadStats stats = router.stats();
    long[] now = {stats.compared().count(), stats.mismatched().count()};
    long[] before = lastReads.getOrDefault(entity, new long[2]);
    lastReads.put(entity, now);
    long compared = now[0] - before[0];
    return compared <= 0 ? null : (double) (now[1] - before[1]) / compared;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
