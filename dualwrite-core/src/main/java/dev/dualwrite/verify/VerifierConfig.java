package dev.dualwrite.verify;

import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.util.Set;

/**
 * How a verifier runs. Immutable and thread-safe; built by {@link VerifierBuilder}.
 */
public final class VerifierConfig {
  private final int chunkSize;
  private final double sampleRate;
  private final Duration settleTimeout;
  private final int sampleLimit;
  private final Duration chunkLease;
  private final RetryPolicy<Object> readRetries;
  private final Set<String> ignoredFields;

  VerifierConfig(VerifierBuilder builder) {
    this.chunkSize = builder.chunkSize;
    this.sampleRate = builder.sampleRate;
    this.settleTimeout = builder.settleTimeout;
    this.sampleLimit = builder.sampleLimit;
    Duration settleTwice = builder.settleTimeout.multipliedBy(2).plusMinutes(1);
    this.chunkLease = builder.chunkLease != null ? builder.chunkLease
        : settleTwice.compareTo(VerifierBuilder.DEFAULT_CHUNK_LEASE) > 0 ? settleTwice
        : VerifierBuilder.DEFAULT_CHUNK_LEASE;
    this.readRetries = builder.readRetries;
    this.ignoredFields = Set.copyOf(builder.ignoredFields);
  }

  /** Keys compared per chunk: one legacy read and one {@code getMany} of the new service. */
  public int chunkSize() {
    return chunkSize;
  }

  /** The share of keys checked, from above 0 to 1; 1 checks every key. */
  public double sampleRate() {
    return sampleRate;
  }

  /**
   * How long a key that keeps changing or keeps undelivered changes is re-checked before it is reported in flight, and
   * how long a repair run waits, per chunk, for its changes to be delivered.
   */
  public Duration settleTimeout() {
    return settleTimeout;
  }

  /** How long a node holds a chunk it claimed before another node may take it over. */
  public Duration chunkLease() {
    return chunkLease;
  }

  /** How many example keys of each kind a report keeps. */
  public int sampleLimit() {
    return sampleLimit;
  }

  /**
   * How a read of the new service that failed for a moment is tried again: its delays, jitter, max attempts and max
   * duration (see {@link VerifierBuilder#withReadRetries}).
   */
  public RetryPolicy<Object> readRetries() {
    return readRetries;
  }

  /** Snapshot fields left out of the comparison: top-level names or JSON Pointers. */
  public Set<String> ignoredFields() {
    return ignoredFields;
  }

  @Override
  public String toString() {
    return "VerifierConfig[chunks of " + chunkSize + ", sample rate " + sampleRate + ", settle timeout "
        + settleTimeout + ", chunk lease " + chunkLease + ", " + sampleLimit + " samples per kind, ignoring " + ignoredFields + ", reads tried at most "
        + readRetries.getConfig().getMaxAttempts() + " times within " + readRetries.getConfig().getMaxDuration() + "]";
  }
}
