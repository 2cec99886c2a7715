package dev.dualwrite.verify.internal;

import dev.dualwrite.DualWriteException;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.TargetException;
import dev.dualwrite.target.TargetPage;
import dev.dualwrite.target.spi.TargetClient;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.failsafe.RetryPolicyConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One verification run's reads of the new service, each tried again with backoff when it fails for a moment: no
 * answer (refused or reset connection, timeout), 5xx, 408 or 429. Reads are idempotent, so a retry is always safe. Any
 * other failure (another 4xx, an answer that breaks the protocol) is not retried. Counts the retries. Thread-safe: the
 * listing is read ahead on another thread.
 */
final class ServiceReads {
  private static final Logger log = LoggerFactory.getLogger(ServiceReads.class);

  private final TargetClient target;
  private final String entity;
  private final String resource;
  private final RetryPolicy<Object> retries;
  private final RetryPolicyConfig<Object> settings;
  private final LongAdder retried = new LongAdder();

  /** Reads {@code resource} of {@code entity}, retried with the delays and bounds of {@code settings}. */
  ServiceReads(TargetClient target, String entity, String resource, RetryPolicy<Object> settings) {
    this.target = target;
    this.entity = entity;
    this.resource = resource;
    this.settings = settings.getConfig();
    this.retries = policy(this.settings)
        .onRetry(event -> {
          retried.increment();
          log.warn("verify {}: reading the new service failed ({}); attempt {} of at most {}", entity,
              event.getLastException() == null ? "?" : event.getLastException().getMessage(),
              event.getAttemptCount() + 1, this.settings.getMaxAttempts());
        })
        .build();
  }

  /** The live copies among {@code ids}; see {@link TargetClient#getMany}. */
  List<TargetDocument> getMany(List<String> ids) {
    return read(() -> target.getMany(resource, ids));
  }

  /** One page of the listing; see {@link TargetClient#list}. */
  TargetPage list(String afterId, int limit) {
    return read(() -> target.list(resource, afterId, limit));
  }

  /** How many reads were tried again so far. */
  long retried() {
    return retried.sum();
  }

  private <T> T read(Supplier<T> read) {
    long started = System.nanoTime();
    AtomicInteger attempts = new AtomicInteger();
    try {
      return Failsafe.with(retries).get(() -> {
        attempts.incrementAndGet();
        return read.get();
      });
    } catch (TargetException e) {
      throw failed(e, attempts.get(), Duration.ofNanos(System.nanoTime() - started));
    } catch (FailsafeException e) {
      if (e.getCause() instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new DualWriteException("verify " + entity + ": reading the new service was interrupted; the run is kept,"
          + " verify again to resume it", e.getCause() == null ? e : e.getCause());
    }
  }

  private DualWriteException failed(TargetException e, int attempts, Duration took) {
    if (!isTransient(e)) {
      return new DualWriteException("verify " + entity + ": the new service failed a read that is not retried: "
          + e.getMessage() + ". Only no answer, 5xx, 408 and 429 are tried again; any other answer would be the same"
          + " next time. The run is kept: fix what the answer names (credentials, base URL, the service's"
          + " implementation of the protocol), then verify again to resume it.", e);
    }
    return new DualWriteException("verify " + entity + ": the new service could not answer: " + e.getMessage()
        + ". Tried " + attempts + " time(s) over " + String.format(Locale.ROOT, "%.1f", took.toMillis() / 1000.0)
        + " s (at most " + settings.getMaxAttempts() + " attempts within " + settings.getMaxDuration() + ", with"
        + " backoff). The run is kept: check that the new service is up and reachable from this node, then verify"
        + " again to resume it (VerifierBuilder.withReadRetries sets how long a read keeps trying).", e);
  }

  /** No answer, 5xx, 408 (request timeout) and 429 (too many requests) may pass; other answers would not change. */
  static boolean isTransient(Throwable failure) {
    if (!(failure instanceof TargetException target)) {
      return false;
    }
    Integer status = target.status();
    return status == null || status >= 500 || status == 408 || status == 429;
  }

  /** A policy with the delays and bounds of {@code settings} that retries transient failures only. */
  private static RetryPolicyBuilder<Object> policy(RetryPolicyConfig<Object> settings) {
    RetryPolicyBuilder<Object> policy = RetryPolicy.builder()
        .handleIf(ServiceReads::isTransient)
        .withMaxAttempts(settings.getMaxAttempts())
        .withMaxDuration(settings.getMaxDuration());
    if (settings.getDelayMin() != null && settings.getDelayMax() != null) {
      policy.withDelay(settings.getDelayMin(), settings.getDelayMax());
    } else if (settings.getMaxDelay() != null) {
      policy.withBackoff(settings.getDelay(), settings.getMaxDelay(), settings.getDelayFactor());
    } else {
      policy.withDelay(settings.getDelay());
    }
    if (settings.getJitter() != null) {
      policy.withJitter(settings.getJitter());
    } else if (settings.getJitterFactor() > 0) {
      policy.withJitter(settings.getJitterFactor());
    }
    return policy;
  }
}
