package dev.dualwrite.read.internal;

import dev.dualwrite.gate.internal.ShadowComparisons;
import dev.dualwrite.read.ComparedRead;
import dev.dualwrite.read.ComparisonCount;
import dev.dualwrite.read.Mismatch;
import dev.dualwrite.read.ReadListener;
import dev.dualwrite.read.ReadStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a router counts, logs and tells its listeners, in one place. A listener that throws is logged and counted as
 * an error. Warnings that can repeat on every read (fallbacks, drops, errors) are logged at most once per
 * {@link #WARN_INTERVAL_NANOS}, with the count since. Thread-safe.
 */
final class ReadEvents {
  /** Where mismatch reports are logged, at WARN: route or silence it by this name. */
  static final Logger MISMATCHES = LoggerFactory.getLogger("dev.dualwrite.read.mismatches");
  private static final Logger log = LoggerFactory.getLogger(ReadEvents.class);
  private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** A count with both stores' latency summed. */
  private static final class Tally {
    final LongAdder count = new LongAdder();
    final LongAdder legacyNanos = new LongAdder();
    final LongAdder newNanos = new LongAdder();

    void add(ComparedRead read) {
      count.increment();
      legacyNanos.add(read.legacyLatency().toNanos());
      newNanos.add(read.newLatency().toNanos());
    }

    ComparisonCount snapshot() {
      return new ComparisonCount(count.sum(), Duration.ofNanos(legacyNanos.sum()), Duration.ofNanos(newNanos.sum()));
    }
  }

  /** When a repeatable warning was last logged, and how many occurred since. */
  private static final class Throttle {
    final AtomicLong lastNanos = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
    final LongAdder since = new LongAdder();

    /** Counts one occurrence; returns how many to report now, or 0 when it is not time to log. */
    long due() {
      since.increment();
      long last = lastNanos.get();
      long now = System.nanoTime();
      if (now - last < WARN_INTERVAL_NANOS || !lastNanos.compareAndSet(last, now)) {
        return 0;
      }
      return since.sumThenReset();
    }
  }

  private final String entity;
  private final List<ReadListener> listeners;
  private final ShadowComparisons comparisons;
  private final LongAdder servedByLegacy = new LongAdder();
  private final LongAdder servedByNew = new LongAdder();
  private final LongAdder undeliveredWrites = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder lazilyMigrated = new LongAdder();
  private final Tally compared = new Tally();
  private final Tally matched = new Tally();
  private final Tally mismatched = new Tally();
  private final Tally ignored = new Tally();
  private final Throttle fallbackWarnings = new Throttle();
  private final Throttle dropWarnings = new Throttle();
  private final Throttle errorWarnings = new Throttle();

  ReadEvents(String entity, List<ReadListener> listeners, ShadowComparisons comparisons) {
    this.entity = entity;
    this.listeners = listeners;
    this.comparisons = comparisons;
  }

  void servedByLegacy(int keys) {
    servedByLegacy.add(keys);
  }

  void servedByNew(int keys) {
    servedByNew.add(keys);
  }

  void undeliveredWrite() {
    undeliveredWrites.increment();
  }

  void lazilyMigrated() {
    lazilyMigrated.increment();
  }

  void matched(ComparedRead read, long phaseRevision) {
    compared.add(read);
    matched.add(read);
    comparisons.record(entity, phaseRevision, false);
    tell(l -> l.onMatched(read));
  }

  void ignored(ComparedRead read) {
    compared.add(read);
    ignored.add(read);
    tell(l -> l.onIgnored(read));
  }

  void mismatched(Mismatch mismatch, long phaseRevision) {
    compared.add(mismatch.read());
    mismatched.add(mismatch.read());
    comparisons.record(entity, phaseRevision, true);
    MISMATCHES.warn("dualwrite: {}", mismatch.describe());
    tell(l -> l.onMismatched(mismatch));
  }

  void dropped(String key) {
    dropped.increment();
    long count = dropWarnings.due();
    if (count > 0) {
      log.warn("dualwrite: {} shadow read(s) of entity '{}' dropped: the shadow executor is full. Comparisons are"
          + " sampled less than configured; give the ReadRouter a larger executor or lower shadowSampleRate.",
          count, entity);
    }
    tell(l -> l.onDropped(entity, key));
  }

  /** Shadow reads cut short by shutdown or an interruption: not a comparison, not a mismatch, not counted. */
  void abandoned(List<String> keys, String why) {
    log.debug("dualwrite: shadow read of entity '{}' {} abandoned: {}", entity, keys, why);
  }

  void fallback(String key, Throwable failure) {
    fallbacks.increment();
    long count = fallbackWarnings.due();
    if (count > 0) {
      log.warn("dualwrite: {} canary read(s) of entity '{}' in NEW_READS served by legacy because the new service"
          + " failed; last: {}. Check the new service, or lower the canary percentage.", count, entity,
          failure.toString());
    }
    tell(l -> l.onFallback(entity, key, failure));
  }

  /** {@code what} failed for the read of {@code key}; the read was served regardless. */
  void error(String key, String what, Throwable error) {
    errors.increment();
    long count = errorWarnings.due();
    if (count > 0) {
      log.warn("dualwrite: {} of a read of entity '{}' failed ({} time(s) since the last warning); reads are served"
          + " regardless: {}", what, entity, count, error.toString());
    }
    tell(l -> l.onError(entity, key, error));
  }

  ReadStats stats() {
    return new ReadStats(entity, servedByLegacy.sum(), servedByNew.sum(), undeliveredWrites.sum(), fallbacks.sum(),
        compared.snapshot(), matched.snapshot(), mismatched.snapshot(), ignored.snapshot(), dropped.sum(),
        errors.sum(), lazilyMigrated.sum());
  }

  private void tell(Consumer<ReadListener> event) {
    for (ReadListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        errors.increment();
        log.warn("dualwrite: ReadListener {} threw; ignored: {}", listener.getClass().getName(), e.toString());
      }
    }
  }
}
