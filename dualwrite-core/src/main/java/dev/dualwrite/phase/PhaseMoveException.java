package dev.dualwrite.phase;

import dev.dualwrite.DualWriteException;

/** A phase move that is not allowed: a skip without {@code force}, a forced skip without a reason, or a failed gate. */
public class PhaseMoveException extends DualWriteException {
  private final String entity;
  private final MigrationPhase from;
  private final MigrationPhase to;

  public PhaseMoveException(String entity, MigrationPhase from, MigrationPhase to, String message) {
    super(message);
    this.entity = entity;
    this.from = from;
    this.to = to;
  }

  /** The entity whose move was refused. */
  public String entity() {
    return entity;
  }

  /** The entity's phase when the move was refused. */
  public MigrationPhase from() {
    return from;
  }

  /** The phase that was asked for. */
  public MigrationPhase to() {
    return to;
  }
}
