package dev.dualwrite.phase;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded move of an entity's phase (or of its canary percentage): a row of the phase history.
 *
 * @param entity the entity's name
 * @param from the phase before the move
 * @param to the phase after the move
 * @param canaryPercent the canary percentage in force after the move, or {@code null} for the configured default
 * @param actor who moved it, as given by the caller
 * @param reason why, as given by the caller; may be {@code null} for an ordinary one-step move
 * @param forced whether the move skipped a step or a gate with {@code force}
 * @param at when the move was recorded
 */
public record PhaseMove(
    String entity,
    MigrationPhase from,
    MigrationPhase to,
    Double canaryPercent,
    String actor,
    String reason,
    boolean forced,
    Instant at) {
  public PhaseMove {
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(at, "at");
  }
}
