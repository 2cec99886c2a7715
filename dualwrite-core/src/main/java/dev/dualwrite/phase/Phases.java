package dev.dualwrite.phase;

import dev.dualwrite.gate.GateResult;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Every configured entity's phase, as the write and read paths see it, and the one place to move it.
 *
 * <p>Reading a phase ({@link #current}, {@link #state}) never queries the store on the caller's thread while the
 * cached copy is younger than {@link #maxStaleness()}: a background refresh keeps it fresh, so another node's move is
 * seen within that bound. Moves go straight to the {@link dev.dualwrite.phase.spi.PhaseStore} as a compare-and-set:
 * of two concurrent moves of one entity exactly one wins and the other gets a {@link PhaseConflictException}.
 *
 * <p>Implementations are thread-safe. Every method throws {@link IllegalArgumentException} naming the configured
 * entities when given an entity that is not configured.
 */
public interface Phases extends AutoCloseable {

  /** The configured entities' names. */
  Set<String> entities();

  /** The entity's current phase, from the cache (no query while the cache is fresh). */
  MigrationPhase current(String entity);

  /** The entity's current phase, canary override and revision, from the cache. */
  PhaseState state(String entity);

  /**
   * Moves the entity one step forward or back. A forward move, and the step back out of {@code NEW_WRITES} (legacy
   * must have every change the new service made), must pass its gates ({@link #checkGates}).
   *
   * @param actor who moves it (recorded), not blank
   * @param reason why (recorded), may be null
   * @return the recorded move
   * @throws PhaseMoveException when {@code target} is not one step away, naming the allowed moves, or when a gate
   *     fails, naming the gate and its measured value
   * @throws PhaseConflictException when another move of this entity won meanwhile
   */
  PhaseMove move(String entity, MigrationPhase target, String actor, String reason);

  /**
   * Moves the entity to any phase, skipping steps and overriding failing gates. The reason is required and recorded
   * with the move, together with the gates it overrode.
   *
   * @throws PhaseMoveException when {@code reason} is blank
   * @throws PhaseConflictException when another move of this entity won meanwhile
   */
  PhaseMove forceMove(String entity, MigrationPhase target, String actor, String reason);

  /**
   * Sets the share of keys that {@link MigrationPhase#NEW_READS} serves from the new service, overriding the
   * configured percentage. Recorded in the history as a move from the current phase to itself.
   *
   * @param percent from 0 to 100
   * @throws IllegalArgumentException when {@code percent} is outside 0 to 100
   */
  PhaseMove setCanaryPercent(String entity, double percent, String actor, String reason);

  /**
   * Checks, without moving, the gates a move of the entity to {@code target} must pass (see
   * {@link dev.dualwrite.gate.PhaseGates}); empty for a backward move other than the one out of {@code NEW_WRITES}.
   */
  List<GateResult> checkGates(String entity, MigrationPhase target);

  /** The entity's recorded moves, oldest first. Reads the store. */
  List<PhaseMove> history(String entity);

  /** The bound on how old a phase read from the cache can be. */
  Duration maxStaleness();

  /** Reloads every entity's phase from the store now. */
  void refresh();

  /** Stops the background refresh. */
  @Override
  void close();
}
