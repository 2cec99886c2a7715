package dev.dualwrite.gate;

/**
 * Where read routers report their shadow comparisons, so that the {@code shadow-mismatch-rate} gate sees every node's
 * comparisons. Counts are kept in memory per entity and phase revision and written to {@code dualwrite_shadow_stats}
 * every few seconds. Thread-safe; recording never queries.
 */
public interface ShadowComparisons {

  /** Counts one comparison of {@code entity}'s reads that matched or, when {@code mismatched}, did not. */
  void record(String entity, boolean mismatched);
}
