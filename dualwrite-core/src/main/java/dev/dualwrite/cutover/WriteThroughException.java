package dev.dualwrite.cutover;

import dev.dualwrite.DualWriteException;

/**
 * A monolith write of an entity in {@code NEW_WRITES} that could not be written through to the new service, which is
 * authoritative in that phase: the service could not be reached or refused the change. The legacy transaction is
 * rolled back, so nothing of it was written; the message names the entity, the id, the phase and what to do.
 */
public class WriteThroughException extends DualWriteException {
  private static final long serialVersionUID = 1L;

  public WriteThroughException(String message, Throwable cause) {
    super(message, cause);
  }
}
