package dev.dualwrite.gate;

import dev.dualwrite.gate.spi.PhaseGate;
import dev.dualwrite.internal.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link PhaseGates}; settings are checked in {@link #build()}. Not thread-safe. */
public final class PhaseGatesBuilder {
  boolean builtIn = true;
  long maxVerificationDifferences = 0;
  double maxShadowMismatchRate = 0.01;
  long minShadowComparisons = 100;
  long maxBacklog = 1000;
  Duration minNewWritesSoak = Duration.ofDays(1);
  final List<PhaseGate> custom = new ArrayList<>();

  PhaseGatesBuilder() {}

  /** Whether the built-in gates apply (default true); your own gates always do. */
  public PhaseGatesBuilder withBuiltInGates(boolean builtIn) {
    this.builtIn = builtIn;
    return this;
  }

  /** Missing, extra or different rows the last verification may have found, 0 or more; default 0. */
  public PhaseGatesBuilder withMaxVerificationDifferences(long differences) {
    this.maxVerificationDifferences = differences;
    return this;
  }

  /** The highest mismatch rate, 0 to 1, and the least comparisons it must rest on; defaults 0.01 and 100. */
  public PhaseGatesBuilder withShadowMismatchRate(double maxRate, long minComparisons) {
    this.maxShadowMismatchRate = maxRate;
    this.minShadowComparisons = minComparisons;
    return this;
  }

  /** Undelivered changes tolerated by moves into {@code NEW_READS} and {@code NEW_WRITES}; default 1000. */
  public PhaseGatesBuilder withMaxBacklog(long changes) {
    this.maxBacklog = changes;
    return this;
  }

  /** Time in {@code NEW_WRITES} before {@code NEW_ONLY}; default 1 day. */
  public PhaseGatesBuilder withMinNewWritesSoak(Duration soak) {
    this.minNewWritesSoak = soak;
    return this;
  }

  /** Adds a gate of your own. */
  public PhaseGatesBuilder withGate(PhaseGate gate) {
    if (gate == null) {
      throw new IllegalArgumentException("gate is null");
    }
    custom.add(gate);
    return this;
  }

  /**
   * Checks the settings and builds the gates.
   *
   * @throws IllegalArgumentException naming the setting, its value and what is allowed
   */
  public PhaseGates build() {
    check(maxVerificationDifferences >= 0, "maxVerificationDifferences", maxVerificationDifferences, "0 or more");
    check(maxShadowMismatchRate >= 0 && maxShadowMismatchRate <= 1, "maxShadowMismatchRate", maxShadowMismatchRate,
        "a fraction from 0 to 1");
    check(minShadowComparisons >= 0, "minShadowComparisons", minShadowComparisons, "0 or more");
    check(maxBacklog >= 0, "maxBacklog", maxBacklog, "0 or more");
    check(minNewWritesSoak != null && !minNewWritesSoak.isNegative(), "minNewWritesSoak", minNewWritesSoak,
        "zero or a positive duration");
    return new PhaseGates(this);
  }

  private static void check(boolean ok, String field, Object value, String allowed) {
    if (!ok) {
      throw Settings.invalid("phase gate setting " + field, value, allowed);
    }
  }
}
