package dev.dualwrite.verify;

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
  private final Set<String> ignoredFields;

  VerifierConfig(VerifierBuilder builder) {
    this.chunkSize = builder.chunkSize;
    this.sampleRate = builder.sampleRate;
    this.settleTimeout = builder.settleTimeout;
    this.sampleLimit = builder.sampleLimit;
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

  /** How long a key that keeps changing or keeps undelivered changes is re-checked before it is reported in flight. */
  public Duration settleTimeout() {
    return settleTimeout;
  }

  /** How many example keys of each kind a report keeps. */
  public int sampleLimit() {
    return sampleLimit;
  }

  /** Snapshot fields left out of the comparison: top-level names or JSON Pointers. */
  public Set<String> ignoredFields() {
    return ignoredFields;
  }

  @Override
  public String toString() {
    return "VerifierConfig[chunks of " + chunkSize + ", sample rate " + sampleRate + ", settle timeout "
        + settleTimeout + ", " + sampleLimit + " samples per kind, ignoring " + ignoredFields + "]";
  }
}
