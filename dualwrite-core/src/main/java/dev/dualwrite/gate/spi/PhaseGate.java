package dev.dualwrite.gate.spi;

import dev.dualwrite.gate.GateResult;
import dev.dualwrite.phase.MigrationPhase;

/**
 * A check of your own that a forward phase move must pass, next to dualwrite's built-in gates. Called on the thread
 * that moves the phase; must be thread-safe. Throwing counts as failing, with the exception's message as the measured
 * value.
 */
@FunctionalInterface
public interface PhaseGate {

  /**
   * Checks a one-step forward move of {@code entity} from {@code from} to {@code to}.
   *
   * @return the result, or {@code null} when this gate does not apply to this move
   */
  GateResult check(String entity, MigrationPhase from, MigrationPhase to);
}
