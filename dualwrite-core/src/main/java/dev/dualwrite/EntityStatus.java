package dev.dualwrite;

import dev.dualwrite.backfill.BackfillCheckpoint;
import dev.dualwrite.cutover.LegacyWritePath;
import dev.dualwrite.cutover.ReverseSyncStatus;
import dev.dualwrite.gate.GateResult;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.relay.MirrorStats;
import dev.dualwrite.verify.VerificationReport;
import java.util.List;
import java.util.Objects;

/**
 * Where one entity's migration stands: the view the CLI's {@code status}, the Actuator endpoint and the admin page
 * show, read from the same records the phase gates judge. The counters in {@link #mirror()} are this node's since it
 * started; everything else is every node's. Immutable.
 *
 * @param entity the entity's migration name
 * @param resource the new service's resource it is mirrored to
 * @param state the stored phase, canary override, revision and time of the last move
 * @param canaryPercent the share of keys {@code NEW_READS} serves from the new service: the override in {@code state}
 *     when set, else the configured one
 * @param mirror the outbox backlog, the age of its oldest undelivered change, its dead letters and this node's counters
 * @param backfill the backfill checkpoint; null when no backfill has run (or it was reset)
 * @param lastVerification the latest finished verification; null when none has finished
 * @param reverseSync where the reverse sync of {@code NEW_WRITES} stands ({@link ReverseSyncStatus#started()} false
 *     before the entity first entered NEW_WRITES); null on a node without a data source
 * @param legacyWritePaths the places in the application that wrote the entity to legacy since its last move, seen
 *     from {@code NEW_READS} on (every node's, most writes first, at most 50): the code to move before NEW_ONLY
 * @param nextPhase the phase one step forward; null in {@code NEW_ONLY}
 * @param nextGates the gates a move to {@code nextPhase} must pass, each with what it measured now; empty in
 *     {@code NEW_ONLY}
 * @param recordsUnreadable why dualwrite's tables could not be read (then the backfill, verification and backlog
 *     figures are absent, and the gates fail); null when they were read
 */
public record EntityStatus(
    String entity,
    String resource,
    PhaseState state,
    double canaryPercent,
    MirrorStats mirror,
    BackfillCheckpoint backfill,
    VerificationReport lastVerification,
    ReverseSyncStatus reverseSync,
    List<LegacyWritePath> legacyWritePaths,
    MigrationPhase nextPhase,
    List<GateResult> nextGates,
    String recordsUnreadable) {
  public EntityStatus {
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(mirror, "mirror");
    nextGates = List.copyOf(nextGates);
    legacyWritePaths = List.copyOf(legacyWritePaths);
  }

  /** The entity's phase. */
  public MigrationPhase phase() {
    return state.phase();
  }

  /** Whether every gate of the next move passes now (true in {@code NEW_ONLY}, where there is no next move). */
  public boolean nextMoveOpen() {
    return nextGates.stream().allMatch(GateResult::passed);
  }
}
