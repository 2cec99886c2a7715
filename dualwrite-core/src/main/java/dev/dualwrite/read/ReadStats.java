package dev.dualwrite.read;

import java.util.Objects;

/**
 * A {@link ReadRouter}'s counters since it was built, per key read (a read of many ids counts each id). Immutable; a
 * snapshot taken by {@link ReadRouter#stats()}.
 *
 * @param entity the entity's name
 * @param servedByLegacy keys served by legacy, fallbacks included
 * @param servedByNew keys served by the new service
 * @param undeliveredWrites keys read while they had undelivered writes: served by legacy instead of the new service
 *     in {@code NEW_READS}, and left uncompared in both comparing phases (the new service lags behind there)
 * @param fallbacks canary keys served by legacy because the new service's read failed or timed out
 * @param compared comparisons that came to an outcome: matched, mismatched or ignored
 * @param matched comparisons where both stores agreed
 * @param mismatched comparisons where they disagreed
 * @param ignored comparisons an ignore rule set aside
 * @param dropped shadow reads not run because the shadow executor was full
 * @param errors snapshots, normalisers, rules, comparators, cleaners or listeners that threw
 * @param lazilyMigrated keys the new service lacked, served by legacy and queued for the new service (lazy migration)
 */
public record ReadStats(
    String entity,
    long servedByLegacy,
    long servedByNew,
    long undeliveredWrites,
    long fallbacks,
    ComparisonCount compared,
    ComparisonCount matched,
    ComparisonCount mismatched,
    ComparisonCount ignored,
    long dropped,
    long errors,
    long lazilyMigrated) {
  public ReadStats {
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(compared, "compared");
    Objects.requireNonNull(matched, "matched");
    Objects.requireNonNull(mismatched, "mismatched");
    Objects.requireNonNull(ignored, "ignored");
  }

  /** The share of compared reads that mismatched, from 0 to 1; 0 when nothing was compared. */
  public double mismatchRate() {
    return compared.count() == 0 ? 0 : (double) mismatched.count() / compared.count();
  }
}
