package dev.dualwrite.guard;

import java.time.Duration;
import java.util.Objects;

/**
 * An entity's automated rollback: when, in {@code SHADOW_READS}, {@code NEW_READS} or {@code NEW_WRITES}, the shadow
 * mismatch rate or the lag stays over its bound for {@link #sustainedFor()}, the entity is moved one step back, by
 * the actor {@link #ACTOR}, with a reason that says what was measured. The move is an ordinary move: recorded in the
 * history, one step at a time, and out of {@code NEW_WRITES} only once the reverse sync has caught up (its gate).
 * Immutable; build one with {@link #builder()} and give it to
 * {@link dev.dualwrite.EntityMigrationBuilder#withRollbackGuard}.
 *
 * <p>What is measured, at every check (each second):
 * <ul>
 *   <li>the share of shadow comparisons that mismatched since the check before, every node's (a check with fewer
 *       than {@link #minComparisons()} new comparisons says nothing about the rate);
 *   <li>the lag: in {@code SHADOW_READS} and {@code NEW_READS} the age of the oldest change not delivered to the new
 *       service, in {@code NEW_WRITES} how far the reverse sync is behind the new service's changes.
 * </ul>
 */
public final class RollbackGuard {
  /** The actor the guard's moves are recorded under. */
  public static final String ACTOR = "dualwrite-rollback-guard";

  private final double maxShadowMismatchRate;
  private final long minComparisons;
  private final Duration maxLag;
  private final Duration sustainedFor;

  private RollbackGuard(Builder builder) {
    this.maxShadowMismatchRate = builder.maxShadowMismatchRate;
    this.minComparisons = builder.minComparisons;
    this.maxLag = builder.maxLag;
    this.sustainedFor = builder.sustainedFor;
  }

  /** Starts a guard: by default a mismatch rate over 5 % or a lag over 5 minutes, sustained for 1 minute. */
  public static Builder builder() {
    return new Builder();
  }

  /** The share of shadow comparisons, from 0 to 1, over which the rate counts as too high. */
  public double maxShadowMismatchRate() {
    return maxShadowMismatchRate;
  }

  /** How many new comparisons a check needs to judge the rate. */
  public long minComparisons() {
    return minComparisons;
  }

  /** The lag over which it counts as too high. */
  public Duration maxLag() {
    return maxLag;
  }

  /** How long a measure must stay over its bound before the guard moves the entity back. */
  public Duration sustainedFor() {
    return sustainedFor;
  }

  @Override
  public String toString() {
    return "RollbackGuard[mismatch rate > " + maxShadowMismatchRate + " (min " + minComparisons
        + " comparisons) or lag > " + maxLag + ", for " + sustainedFor + "]";
  }

  /** Builds a {@link RollbackGuard}; settings are checked in {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private double maxShadowMismatchRate = 0.05;
    private long minComparisons = 20;
    private Duration maxLag = Duration.ofMinutes(5);
    private Duration sustainedFor = Duration.ofMinutes(1);

    private Builder() {}

    /** The share of shadow comparisons (0 to 1) over which the rate is too high. Default 0.05. */
    public Builder withMaxShadowMismatchRate(double rate) {
      this.maxShadowMismatchRate = rate;
      return this;
    }

    /** New comparisons a check needs to judge the rate (at least 1). Default 20. */
    public Builder withMinComparisons(long comparisons) {
      this.minComparisons = comparisons;
      return this;
    }

    /** The lag over which it is too high (positive). Default 5 minutes. */
    public Builder withMaxLag(Duration lag) {
      this.maxLag = lag;
      return this;
    }

    /** How long a measure must stay over its bound (at least 1 s). Default 1 minute. */
    public Builder withSustainedFor(Duration duration) {
      this.sustainedFor = duration;
      return this;
    }

    /**
     * Checks the settings and builds the guard.
     *
     * @throws IllegalArgumentException naming the setting at fault and what is allowed
     */
    public RollbackGuard build() {
      if (!(maxShadowMismatchRate >= 0 && maxShadowMismatchRate <= 1)) {
        throw new IllegalArgumentException("rollback guard maxShadowMismatchRate is " + maxShadowMismatchRate
            + "; it must be a share from 0 to 1, e.g. 0.05 for 5 %");
      }
      if (minComparisons < 1) {
        throw new IllegalArgumentException("rollback guard minComparisons is " + minComparisons
            + "; it must be at least 1");
      }
      if (maxLag == null || maxLag.isNegative() || maxLag.isZero()) {
        throw new IllegalArgumentException("rollback guard maxLag is " + maxLag + "; it must be positive, e.g."
            + " PT5M");
      }
      if (Objects.requireNonNullElse(sustainedFor, Duration.ZERO).compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("rollback guard sustainedFor is " + sustainedFor + "; it must be at least"
            + " 1 s (PT1S)");
      }
      return new RollbackGuard(this);
    }
  }
}
