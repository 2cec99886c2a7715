package dev.dualwrite.phase.internal;

import dev.dualwrite.phase.PhaseConflictException;

/** Builds the one message every phase store gives for a lost compare-and-set. */
final class PhaseConflicts {
  private PhaseConflicts() {}

  static PhaseConflictException conflict(String entity, long expectedRevision, Long storedRevision) {
    return new PhaseConflictException(
        entity,
        "entity '" + entity + "' was moved by someone else meanwhile (expected revision " + expectedRevision
            + (storedRevision == null ? "" : ", found " + storedRevision)
            + "); nothing was changed. Check the current phase and history, then move again if still needed.");
  }
}
