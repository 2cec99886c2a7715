package dev.dualwrite.phase;

import java.time.Instant;
import java.util.Objects;

/**
 * The current phase of one entity as stored.
 *
 * @param entity the entity's name
 * @param phase its phase
 * @param canaryPercent the canary percentage set at run time, or {@code null} to use the configured one
 * @param revision grows by one with every move; 0 means never moved (the entity is in {@link MigrationPhase#LEGACY_ONLY})
 * @param changedAt when the last move was recorded, or {@link Instant#EPOCH} when never moved
 */
public record PhaseState(String entity, MigrationPhase phase, Double canaryPercent, long revision, Instant changedAt) {
  public PhaseState {
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(changedAt, "changedAt");
  }

  /** The state of an entity that was never moved. */
  public static PhaseState initial(String entity) {
    return new PhaseState(entity, MigrationPhase.LEGACY_ONLY, null, 0, Instant.EPOCH);
  }
}
