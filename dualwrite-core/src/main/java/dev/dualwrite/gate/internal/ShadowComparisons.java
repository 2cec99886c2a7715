package dev.dualwrite.gate.internal;

/**
 * Where read routers report their shadow comparisons, so that the {@code shadow-mismatch-rate} gate sees every node's
 * comparisons. Counts are kept in memory per entity and phase revision and written to {@code dualwrite_shadow_stats}
 * every few seconds. Thread-safe; recording never queries.
 */
public interface ShadowComparisons {
  /** Counts nothing: a node without a data source has nowhere to keep counts. */
  ShadowComparisons NONE = (entity, phaseRevision, mismatched) -> { };

  /**
   * Counts one comparison of {@code entity}'s reads that matched or, when {@code mismatched}, did not.
   *
   * @param phaseRevision the revision of the entity's phase the read was routed under
   */
  void record(String entity, long phaseRevision, boolean mismatched);
}
