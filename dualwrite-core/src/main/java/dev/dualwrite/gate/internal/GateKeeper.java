package dev.dualwrite.gate.internal;

import dev.dualwrite.backfill.BackfillCheckpoint;
import dev.dualwrite.gate.GateResult;
import dev.dualwrite.gate.PhaseGates;
import dev.dualwrite.gate.spi.PhaseGate;
import dev.dualwrite.outbox.Backlog;
import dev.dualwrite.outbox.Outbox;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.internal.MoveCheck;
import dev.dualwrite.phase.spi.PhaseStore;
import dev.dualwrite.storage.internal.BackfillTable;
import dev.dualwrite.storage.internal.ShadowStatsTable;
import dev.dualwrite.storage.internal.VerificationTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Checks forward moves against the built-in gates (evidence from dualwrite's tables: phase history, backfill
 * checkpoint, verification runs, outbox backlog, shadow statistics) and the custom ones. Thread-safe.
 */
public final class GateKeeper implements MoveCheck {
  private final PhaseGates gates;
  private final DataSource dataSource;
  private final PhaseStore store;
  private final Outbox outbox;
  private final JdbcShadowComparisons shadow;
  private final Clock clock;

  /** {@code dataSource}, {@code outbox} and {@code shadow} may be null when there is no data source. */
  public GateKeeper(PhaseGates gates, DataSource dataSource, PhaseStore store, Outbox outbox,
      JdbcShadowComparisons shadow, Clock clock) {
    this.gates = gates;
    this.dataSource = dataSource;
    this.store = store;
    this.outbox = outbox;
    this.shadow = shadow;
    this.clock = clock;
  }

  @Override
  public List<GateResult> check(String entity, MigrationPhase from, MigrationPhase to) {
    List<GateResult> results = new ArrayList<>();
    if (gates.builtIn() && dataSource != null) {
      try {
        builtIn(entity, to, results);
      } catch (SQLException e) {
        results.add(new GateResult("gate-evidence", false, "cannot read it: " + e.getMessage(),
            "dualwrite's tables to be readable"));
      }
    }
    for (PhaseGate gate : gates.custom()) {
      try {
        GateResult result = gate.check(entity, from, to);
        if (result != null) {
          results.add(result);
        }
      } catch (RuntimeException e) {
        results.add(new GateResult(gate.getClass().getSimpleName(), false, "threw " + e, "no exception"));
      }
    }
    return results;
  }

  private void builtIn(String entity, MigrationPhase to, List<GateResult> results) throws SQLException {
    switch (to) {
      case SHADOW_READS -> {
        Instant backfillFinished = backfillFinished(entity, results);
        verificationClean(entity, backfillFinished, results);
      }
      case NEW_READS -> {
        shadowMismatchRate(entity, results);
        backlog(entity, gates.maxBacklog(), "outbox-backlog", results);
      }
      case NEW_WRITES -> {
        canaryComplete(entity, results);
        noDeadLetters(entity, results);
        backlog(entity, gates.maxBacklog(), "outbox-backlog", results);
      }
      case NEW_ONLY -> {
        soakTime(entity, results);
        noDeadLetters(entity, results);
        backlog(entity, 0, "outbox-empty", results);
      }
      default -> { }
    }
  }

  /** Adds the backfill gate; returns when the qualifying backfill finished, or null. */
  private Instant backfillFinished(String entity, List<GateResult> results) throws SQLException {
    Instant mirroringSince = enteredAt(entity, MigrationPhase.DUAL_WRITE);
    String required = "a backfill that started after the entity entered DUAL_WRITE"
        + (mirroringSince == null ? "" : " (" + mirroringSince + ")") + " and finished";
    Optional<BackfillCheckpoint> checkpoint;
    try (Connection c = dataSource.getConnection()) {
      checkpoint = BackfillTable.read(c, entity);
    }
    if (checkpoint.isEmpty()) {
      results.add(new GateResult("backfill-finished", false, "no backfill has run", required));
      return null;
    }
    Instant started = checkpoint.get().startedAt();
    Instant finished = checkpoint.get().finishedAt();
    long rows = checkpoint.get().rowsDone();
    if (finished == null) {
      results.add(new GateResult("backfill-finished", false, "backfill running: " + rows + " rows copied",
          required));
      return null;
    }
    if (mirroringSince != null && started.isBefore(mirroringSince)) {
      results.add(new GateResult("backfill-finished", false, "the last backfill started at " + started
          + ", before mirroring began; reset and run it again", required));
      return null;
    }
    results.add(new GateResult("backfill-finished", true, "finished at " + finished + ", " + rows + " rows",
        required));
    return finished;
  }

  private void verificationClean(String entity, Instant backfillFinished, List<GateResult> results)
      throws SQLException {
    String required = "a verification that ran after the backfill with at most "
        + gates.maxVerificationDifferences() + " missing, extra or different rows";
    Optional<VerificationTable.Row> last;
    try (Connection c = dataSource.getConnection()) {
      last = VerificationTable.latestFinished(c, entity);
    }
    if (last.isEmpty()) {
      results.add(new GateResult("verification-clean", false, "no verification has finished", required));
      return;
    }
    VerificationTable.Row run = last.get();
    long differences = run.missing() + run.extra() + run.different();
    String measured = "last verification " + run.finishedAt() + ": compared=" + run.compared() + " missing="
        + run.missing() + " extra=" + run.extra() + " different=" + run.different()
        + (run.sampleRate() < 1 ? " (sampled " + run.sampleRate() + ")" : "");
    if (backfillFinished != null && run.startedAt().isBefore(backfillFinished)) {
      results.add(new GateResult("verification-clean", false, measured + ", but it started before the backfill"
          + " finished", required));
      return;
    }
    results.add(new GateResult("verification-clean", differences <= gates.maxVerificationDifferences(),
        measured, required));
  }

  private void shadowMismatchRate(String entity, List<GateResult> results) throws SQLException {
    String required = String.format(Locale.ROOT, "at most %.2f %% over at least %d comparisons since entering"
        + " SHADOW_READS", gates.maxShadowMismatchRate() * 100, gates.minShadowComparisons());
    shadow.flush();
    ShadowStatsTable.Total total = shadow.total(entity, enteredRevision(entity, MigrationPhase.SHADOW_READS));
    double rate = total.compared() == 0 ? 0 : (double) total.mismatched() / total.compared();
    String measured = String.format(Locale.ROOT, "%.2f %% (%d of %d comparisons mismatched)", rate * 100,
        total.mismatched(), total.compared());
    results.add(new GateResult("shadow-mismatch-rate",
        total.compared() >= gates.minShadowComparisons() && rate <= gates.maxShadowMismatchRate(), measured,
        required));
  }

  private void backlog(String entity, long max, String gate, List<GateResult> results) {
    Backlog backlog = outbox.backlog().getOrDefault(entity, Backlog.empty(entity));
    results.add(new GateResult(gate, backlog.pending() <= max, backlog.pending() + " undelivered changes",
        "at most " + max));
  }

  private void noDeadLetters(String entity, List<GateResult> results) {
    long dead = outbox.backlog().getOrDefault(entity, Backlog.empty(entity)).deadLetters();
    results.add(new GateResult("no-dead-letters", dead == 0, dead + " dead letters",
        "none (retry or discard them first)"));
  }

  private void canaryComplete(String entity, List<GateResult> results) {
    PhaseState state = store.loadAll().get(entity);
    Double canary = state == null ? null : state.canaryPercent();
    results.add(new GateResult("canary-complete", canary != null && canary >= 100,
        "canary " + (canary == null ? "not set (the configured percentage applies)" : canary + " %"),
        "NEW_READS serving 100 % of keys (setCanaryPercent 100)"));
  }

  private void soakTime(String entity, List<GateResult> results) {
    Instant since = enteredAt(entity, MigrationPhase.NEW_WRITES);
    Duration soaked = since == null ? Duration.ZERO : Duration.between(since, clock.instant());
    results.add(new GateResult("soak-time", soaked.compareTo(gates.minNewWritesSoak()) >= 0,
        "in NEW_WRITES for " + soaked.withNanos(0), "at least " + gates.minNewWritesSoak()));
  }

  /** When the entity last moved into {@code phase}, or null. */
  private Instant enteredAt(String entity, MigrationPhase phase) {
    List<PhaseMove> history = store.history(entity);
    for (int i = history.size() - 1; i >= 0; i--) {
      PhaseMove move = history.get(i);
      if (move.to() == phase && move.from() != phase) {
        return move.at();
      }
    }
    return null;
  }

  /** The revision of the entity's last move into {@code phase} (history is ordered by revision from 1), or 0. */
  private long enteredRevision(String entity, MigrationPhase phase) {
    List<PhaseMove> history = store.history(entity);
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).to() == phase && history.get(i).from() != phase) {
        return i + 1;
      }
    }
    return 0;
  }
}
