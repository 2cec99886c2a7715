package dev.dualwrite.phase;

import dev.dualwrite.DualWriteException;

/**
 * Another operator (or node) moved the entity between the moment this move read the phase and the moment it tried to
 * write it. Nothing was changed by the losing move; read the current phase and decide again.
 */
public class PhaseConflictException extends DualWriteException {
  private final String entity;

  public PhaseConflictException(String entity, String message) {
    super(message);
    this.entity = entity;
  }

  /** The entity that was moved concurrently. */
  public String entity() {
    return entity;
  }
}
