package dev.dualwrite.relay;

import dev.failsafe.CircuitBreaker;
import java.time.Duration;

/**
 * How a node's relay delivers the outbox. Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class RelayConfig {
  private final boolean enabled;
  private final int batchSize;
  private final int concurrency;
  private final Duration pollInterval;
  private final Duration lease;
  private final Duration deliveredRetention;
  private final CircuitBreaker<Object> circuitBreaker;

  RelayConfig(RelayConfigBuilder builder) {
    this.enabled = builder.enabled;
    this.batchSize = builder.batchSize;
    this.concurrency = builder.concurrency;
    this.pollInterval = builder.pollInterval;
    this.lease = builder.lease;
    this.deliveredRetention = builder.deliveredRetention;
    this.circuitBreaker = builder.circuitBreaker;
  }

  /** Starts a configuration with the defaults. */
  public static RelayConfigBuilder builder() {
    return new RelayConfigBuilder();
  }

  /** The defaults: see {@link RelayConfigBuilder}. */
  public static RelayConfig defaults() {
    return builder().build();
  }

  /** Whether this node runs a relay at all. */
  public boolean enabled() {
    return enabled;
  }

  /** How many changes one claim takes and one request carries. */
  public int batchSize() {
    return batchSize;
  }

  /** How many delivery loops run at once on this node. */
  public int concurrency() {
    return concurrency;
  }

  /** How often an idle relay looks for due changes without being nudged (retries, other nodes' commits). */
  public Duration pollInterval() {
    return pollInterval;
  }

  /** How long claimed changes stay reserved for this node; a node that dies frees them after it. */
  public Duration lease() {
    return lease;
  }

  /** How long delivered changes are kept before they are purged; zero deletes them on delivery. */
  public Duration deliveredRetention() {
    return deliveredRetention;
  }

  /** The circuit breaker around the new service: open, the relay stops sending until its delay passes. */
  public CircuitBreaker<Object> circuitBreaker() {
    return circuitBreaker;
  }
}
