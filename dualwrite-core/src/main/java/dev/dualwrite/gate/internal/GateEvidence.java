package dev.dualwrite.gate.internal;

import dev.dualwrite.backfill.BackfillCheckpoint;
import dev.dualwrite.outbox.Backlog;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.verify.VerificationReport;
import java.time.Instant;
import java.util.List;

/**
 * What dualwrite's tables record of one entity at one moment: what the built-in gates judge and what the status view
 * shows, read together so both see the same figures. Immutable.
 *
 * @param state the stored phase, canary override and revision
 * @param history the recorded moves, oldest first
 * @param backfill the backfill checkpoint, or null when none has run
 * @param lastVerification the latest finished verification, or null when none has finished
 * @param backlog what the outbox holds for the entity; empty without a data source
 * @param readable false when the tables could not be read (then {@code failure} says why)
 * @param failure why the tables could not be read, or null
 */
public record GateEvidence(
    PhaseState state,
    List<PhaseMove> history,
    BackfillCheckpoint backfill,
    VerificationReport lastVerification,
    Backlog backlog,
    boolean readable,
    String failure) {

  /** When the entity last moved into {@code phase}, or null. */
  public Instant enteredAt(MigrationPhase phase) {
    for (int i = history.size() - 1; i >= 0; i--) {
      PhaseMove move = history.get(i);
      if (move.to() == phase && move.from() != phase) {
        return move.at();
      }
    }
    return null;
  }

  /** The revision of the entity's last move into {@code phase} (history is ordered by revision from 1), or 0. */
  public long enteredRevision(MigrationPhase phase) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).to() == phase && history.get(i).from() != phase) {
        return i + 1;
      }
    }
    return 0;
  }
}
