package dev.dualwrite.read;

import java.time.Duration;
import java.util.Objects;

/**
 * How many comparisons came to one outcome, and how long both stores took for them in total. Immutable.
 *
 * @param count how many
 * @param legacyLatency legacy's latency summed over them
 * @param newLatency the new service's latency summed over them
 */
public record ComparisonCount(long count, Duration legacyLatency, Duration newLatency) {
  public ComparisonCount {
    Objects.requireNonNull(legacyLatency, "legacyLatency");
    Objects.requireNonNull(newLatency, "newLatency");
  }

  /** Legacy's mean latency over these comparisons; zero when there were none. */
  public Duration meanLegacyLatency() {
    return count == 0 ? Duration.ZERO : legacyLatency.dividedBy(count);
  }

  /** The new service's mean latency over these comparisons; zero when there were none. */
  public Duration meanNewLatency() {
    return count == 0 ? Duration.ZERO : newLatency.dividedBy(count);
  }
}
