package dev.dualwrite.relay;

import java.time.Duration;

/**
 * Delivers the outbox to the new service: claims due changes (skipping rows other nodes hold), sends them in batches,
 * marks them delivered, retries failures with the entity's backoff, opens a circuit breaker when the service keeps
 * failing and dead-letters what cannot be delivered. Every node may run one; they never claim the same change at
 * once. Thread-safe.
 */
public interface Relay extends AutoCloseable {

  /** Wakes the relay now: there are fresh commits. Cheap; safety never depends on it. */
  void nudge();

  /**
   * Delivers until nothing is pending, or {@code timeout} passes. Changes waiting for a retry are waited for.
   *
   * @return whether the outbox had no pending change left (dead letters do not count)
   */
  boolean drain(Duration timeout);

  /** Stops the delivery loops after their current batch; claimed but undelivered changes are freed by their lease. */
  @Override
  void close();
}
