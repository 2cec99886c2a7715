package dev.dualwrite.verify.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.snapshot.Difference;
import dev.dualwrite.target.TargetDocument;
import java.util.List;
import java.util.Objects;

/**
 * What one check saw of one key: the legacy row, whether the outbox held an undelivered change for it, and the new
 * service's live copy; and the verdict. Immutable.
 *
 * @param id the key
 * @param legacy the legacy row, or {@code null} when legacy has none
 * @param pending whether an undelivered change of the key was in the outbox; a first look does not ask (false), the
 *     re-checks of a key that differs do
 * @param newService the new service's live copy, or {@code null} when it holds none (or a tombstone)
 * @param verdict how the two compare
 * @param differences for {@link Verdict#DIFFERENT}, the fields that differ; otherwise empty
 */
record Observation(
    String id, LegacyRow legacy, boolean pending, TargetDocument newService, Verdict verdict,
    List<Difference> differences) {

  /** How the two stores compare for one key. */
  enum Verdict {
    /** Both hold the same snapshot, or neither holds the key. */
    SAME,
    /** Legacy holds the key, the new service does not. */
    MISSING,
    /** The new service holds the key, legacy does not. */
    EXTRA,
    /** Both hold the key with different snapshots. */
    DIFFERENT
  }

  /** A key whose legacy row and copy are known to agree. */
  static Observation agreeing(String id, LegacyRow legacy, boolean pending, TargetDocument newService) {
    return new Observation(id, legacy, pending, newService, Verdict.SAME, List.of());
  }

  /** Observes one key: compares the legacy snapshot with the new service's. */
  static Observation of(String id, LegacyRow legacy, JsonNode legacySnapshot, boolean pending,
      TargetDocument newService, SnapshotComparison comparison) {
    if (legacy == null) {
      return new Observation(id, null, pending, newService, newService == null ? Verdict.SAME : Verdict.EXTRA,
          List.of());
    }
    if (newService == null) {
      return new Observation(id, legacy, pending, null, Verdict.MISSING, List.of());
    }
    List<Difference> differences = comparison.differences(legacySnapshot, newService.data());
    return new Observation(id, legacy, pending, newService, differences.isEmpty() ? Verdict.SAME : Verdict.DIFFERENT,
        differences);
  }

  /**
   * Whether this later observation saw exactly what {@code earlier} saw: the same legacy row (id, version and
   * snapshot) and the same copy in the new service (version and data). With no undelivered change between the two,
   * a difference seen twice is real, not a write racing the check.
   */
  boolean sameAs(Observation earlier) {
    return Objects.equals(legacy, earlier.legacy) && sameCopyAs(earlier);
  }

  /**
   * Whether the new service's copy is exactly what {@code earlier} saw: the same version and data, or none both times.
   * When every change that was undelivered at the earlier check has been delivered since, an unchanged copy did not
   * take them: an applied write always raises the copy's version.
   */
  boolean sameCopyAs(Observation earlier) {
    return sameCopy(newService, earlier.newService);
  }

  private static boolean sameCopy(TargetDocument a, TargetDocument b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.version() == b.version() && a.data().equals(b.data());
  }
}
