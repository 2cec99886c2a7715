package dev.dualwrite.relay.internal;

import dev.failsafe.RetryPolicyConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads a Failsafe retry policy's delay settings (fixed, random, or exponential backoff, with jitter) to schedule a
 * persisted retry: the relay does not block a thread on the delay, it stores when the change is due again.
 */
final class Backoff {
  private Backoff() {}

  /** The delay before the next attempt, after {@code failedAttempts} (at least 1) failed attempts. */
  static Duration delay(RetryPolicyConfig<?> policy, int failedAttempts) {
    long nanos;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (policy.getDelayMin() != null && policy.getDelayMax() != null) {
      nanos = random.nextLong(policy.getDelayMin().toNanos(), policy.getDelayMax().toNanos() + 1);
    } else {
      nanos = policy.getDelay().toNanos();
      if (policy.getMaxDelay() != null) {
        double grown = nanos * Math.pow(policy.getDelayFactor(), Math.max(0, failedAttempts - 1));
        nanos = (long) Math.min(grown, policy.getMaxDelay().toNanos());
      }
    }
    if (policy.getJitter() != null) {
      long jitter = policy.getJitter().toNanos();
      nanos += jitter == 0 ? 0 : random.nextLong(-jitter, jitter + 1);
    } else if (policy.getJitterFactor() > 0) {
      nanos += (long) (nanos * policy.getJitterFactor() * (random.nextDouble() * 2 - 1));
    }
    return Duration.ofNanos(Math.max(0, nanos));
  }
}
