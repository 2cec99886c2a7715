package dev.dualwrite.relay;

import java.time.Duration;

/**
 * Delivers the outbox to the new service: claims due changes (skipping rows other nodes hold, and entities whose
 * delivery is paused), sends them in batches, deletes them once delivered, retries failures with the entity's backoff,
 * opens a circuit breaker when the service keeps failing and dead-letters what cannot be delivered. Every node may run
 * one; they never claim the same change at once. Thread-safe.
 */
public interface Relay extends AutoCloseable {

  /** Wakes one idle delivery loop now: there are fresh commits. Cheap; safety never depends on it. */
  void nudge();

  /**
   * Delivers until nothing is pending, or {@code timeout} passes. Changes waiting for a retry are waited for.
   *
   * @return whether the outbox had no pending change left (dead letters do not count; changes of an entity whose
   *     delivery is paused do)
   */
  boolean drain(Duration timeout);

  /**
   * Stops the delivery loops after their current batch. Changes claimed and not settled are free again at once (held
   * row locks are released) or when their lease ends (H2).
   */
  @Override
  void close();
}
