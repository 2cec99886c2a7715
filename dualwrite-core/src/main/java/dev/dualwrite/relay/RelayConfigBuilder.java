package dev.dualwrite.relay;

import dev.dualwrite.internal.Settings;
import dev.failsafe.CircuitBreaker;
import java.time.Duration;

/** Builds a {@link RelayConfig}; settings are checked in {@link #build()}. Not thread-safe. */
public final class RelayConfigBuilder {
  boolean enabled = true;
  int batchSize = 500;
  int concurrency = 2;
  Duration pollInterval = Duration.ofMillis(500);
  Duration lease = Duration.ofSeconds(30);
  Duration deliveredRetention = Duration.ZERO;
  CircuitBreaker<Object> circuitBreaker;

  RelayConfigBuilder() {}

  /** Whether this node delivers the outbox (default true). A node that only serves operators can switch it off. */
  public RelayConfigBuilder withEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  /**
   * The most changes per claim and per request, 1 to 1000; default 500. A claim takes what is due up to this, so
   * under a trickle of commits batches stay small and grow with the backlog.
   */
  public RelayConfigBuilder withBatchSize(int batchSize) {
    this.batchSize = batchSize;
    return this;
  }

  /**
   * Delivery loops on this node, 1 to 16; default 2. A commit wakes one idle loop when none is delivering; a loop whose
   * claim comes back full wakes another, so every loop works on a backlog and one works on a trickle.
   */
  public RelayConfigBuilder withConcurrency(int concurrency) {
    this.concurrency = concurrency;
    return this;
  }

  /**
   * How often an idle relay looks for due changes, from 10 ms to 1 minute; default 500 ms. A commit on this node nudges
   * the relay at once, so this bounds the delay for retries and for other nodes' changes only.
   */
  public RelayConfigBuilder withPollInterval(Duration pollInterval) {
    this.pollInterval = pollInterval;
    return this;
  }

  /**
   * How long claimed changes stay reserved for this node, from 100 ms to 1 hour; default 30 s. Must be longer than a
   * delivery takes (the client's call timeout): a change whose lease ends is claimed again by any node.
   */
  public RelayConfigBuilder withLease(Duration lease) {
    this.lease = lease;
    return this;
  }

  /**
   * How long delivered changes are kept in the outbox (status {@code DELIVERED}) for inspection, zero to 30 days;
   * default zero: a delivered change's row is deleted in the transaction that settles its delivery, and the
   * {@code dev.dualwrite.relay.delivered} logger names it at DEBUG. Keeping them costs the database one more row
   * version per change and the purge's delete.
   */
  public RelayConfigBuilder withDeliveredRetention(Duration retention) {
    this.deliveredRetention = retention;
    return this;
  }

  /**
   * The circuit breaker settings around the new service. Each relay builds a breaker of its own from these settings
   * (breakers hold state), so one configuration can serve several nodes. Default: opens after 5 failed requests in a
   * row, stays open 5 s, closes after 1 success.
   */
  public RelayConfigBuilder withCircuitBreaker(CircuitBreaker<Object> circuitBreaker) {
    this.circuitBreaker = circuitBreaker;
    return this;
  }

  /**
   * Checks the settings and builds the configuration.
   *
   * @throws IllegalArgumentException naming the setting, its value and what is allowed
   */
  public RelayConfig build() {
    check(batchSize >= 1 && batchSize <= 1000, "batchSize", String.valueOf(batchSize), "1 to 1000");
    check(concurrency >= 1 && concurrency <= 16, "concurrency", String.valueOf(concurrency), "1 to 16");
    check(between(pollInterval, Duration.ofMillis(10), Duration.ofMinutes(1)), "pollInterval",
        String.valueOf(pollInterval), "10 ms to 1 minute");
    check(between(lease, Duration.ofMillis(100), Duration.ofHours(1)), "lease", String.valueOf(lease),
        "100 ms to 1 hour");
    check(between(deliveredRetention, Duration.ZERO, Duration.ofDays(30)), "deliveredRetention",
        String.valueOf(deliveredRetention), "zero (delete on delivery) to 30 days");
    if (circuitBreaker == null) {
      circuitBreaker =
          CircuitBreaker.builder().withFailureThreshold(5).withDelay(Duration.ofSeconds(5)).withSuccessThreshold(1)
              .build();
    }
    return new RelayConfig(this);
  }

  private static boolean between(Duration d, Duration min, Duration max) {
    return d != null && d.compareTo(min) >= 0 && d.compareTo(max) <= 0;
  }

  private static void check(boolean ok, String field, String value, String allowed) {
    if (!ok) {
      throw Settings.invalid("relay " + field, value, allowed);
    }
  }
}
