package dev.dualwrite.phase.internal;

import dev.dualwrite.gate.GateResult;
import dev.dualwrite.phase.MigrationPhase;
import java.util.List;

/** The gates a forward move is checked against. */
@FunctionalInterface
public interface MoveCheck {
  /** No gates at all. */
  MoveCheck NONE = (entity, from, to) -> List.of();

  /** Every applicable gate's result for moving {@code entity} from {@code from} forward to {@code to}. */
  List<GateResult> check(String entity, MigrationPhase from, MigrationPhase to);
}
