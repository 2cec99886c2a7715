package dev.dualwrite.gate.internal;

import dev.dualwrite.DualWriteStorageException;
import dev.dualwrite.backfill.BackfillCheckpoint;
import dev.dualwrite.cutover.internal.NodeReverseSync;
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
import dev.dualwrite.target.FeedPage;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.verify.VerificationReport;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Checks forward moves against the built-in gates and the custom ones. The built-in gates judge a {@link GateEvidence}
 * (phase history, backfill checkpoint, last verification, outbox backlog) and every node's shadow statistics; the
 * status view shows the same evidence. Thread-safe.
 */
public final class GateKeeper implements MoveCheck {
  /** How recently the reverse sync must have caught up for the move into NEW_ONLY. */
  static final Duration REVERSE_SYNC_RECENTLY = Duration.ofSeconds(10);

  private final PhaseGates gates;
  private final DataSource dataSource;
  private final PhaseStore store;
  private final Outbox outbox;
  private final JdbcShadowComparisons shadow;
  private final TargetClient target;
  private final Function<String, String> resources;
  private final NodeReverseSync reverseSync;
  private final Clock clock;

  /**
   * {@code dataSource}, {@code outbox} and {@code shadow} are null when there is no data source, {@code target} when
   * the node has no target client.
   *
   * @param resources each entity's resource in the new service
   * @param reverseSync the node's reverse sync, null when there is no data source
   */
  public GateKeeper(PhaseGates gates, DataSource dataSource, PhaseStore store, Outbox outbox,
      JdbcShadowComparisons shadow, TargetClient target, Function<String, String> resources,
      NodeReverseSync reverseSync, Clock clock) {
    this.gates = gates;
    this.dataSource = dataSource;
    this.store = store;
    this.outbox = outbox;
    this.shadow = shadow;
    this.target = target;
    this.resources = resources;
    this.reverseSync = reverseSync;
    this.clock = clock;
  }

  @Override
  public List<GateResult> check(String entity, MigrationPhase from, MigrationPhase to) {
    return judge(entity, from, to, gates.builtIn() && dataSource != null ? evidence(entity) : null);
  }

  /** What the tables record of {@code entity} now; never throws for a database failure (see {@link GateEvidence}). */
  public GateEvidence evidence(String entity) {
    PhaseState state = store.loadAll().getOrDefault(entity, PhaseState.initial(entity));
    List<PhaseMove> history = store.history(entity);
    if (dataSource == null) {
      return new GateEvidence(state, history, null, null, Backlog.empty(entity), true, null);
    }
    try (Connection c = dataSource.getConnection()) {
      BackfillCheckpoint backfill = BackfillTable.read(c, entity).orElse(null);
      VerificationReport verification = VerificationTable.latestFinished(c, entity)
          .map(VerificationTable.Row::report).orElse(null);
      Backlog backlog = outbox.backlog().getOrDefault(entity, Backlog.empty(entity));
      return new GateEvidence(state, history, backfill, verification, backlog, true, null);
    } catch (SQLException | DualWriteStorageException e) {
      return new GateEvidence(state, history, null, null, Backlog.empty(entity), false, e.getMessage());
    }
  }

  /**
   * The results of the gates a move of {@code entity} from {@code from} to {@code to} must pass, judged on {@code e}
   * (which only the built-in gates read: null when they do not apply).
   */
  public List<GateResult> judge(String entity, MigrationPhase from, MigrationPhase to, GateEvidence e) {
    List<GateResult> results = new ArrayList<>();
    if (to.ordinal() < from.ordinal()) {
      // back out of NEW_WRITES only once legacy has every change the new service made: it becomes the truth again
      if (from == MigrationPhase.NEW_WRITES && reverseSync != null) {
        results.add(reverseSync.caughtUpGate(entity));
      }
      return results;
    }
    if (gates.builtIn() && dataSource != null) {
      if (!e.readable()) {
        results.add(unreadable(e.failure()));
      } else {
        builtIn(entity, to, e, results);
      }
    }
    for (PhaseGate gate : gates.custom()) {
      try {
        GateResult result = gate.check(entity, from, to);
        if (result != null) {
          results.add(result);
        }
      } catch (RuntimeException ex) {
        results.add(new GateResult(gate.getClass().getSimpleName(), false, "threw " + ex, "no exception"));
      }
    }
    return results;
  }

  private static GateResult unreadable(String failure) {
    return new GateResult("gate-evidence", false, "cannot read it: " + failure, "dualwrite's tables to be readable");
  }

  private void builtIn(String entity, MigrationPhase to, GateEvidence e, List<GateResult> results) {
    switch (to) {
      case SHADOW_READS -> {
        Instant backfillFinished = backfillFinished(e, results);
        verificationClean(e, backfillFinished, results);
      }
      case NEW_READS -> {
        shadowMismatchRate(entity, e, results);
        backlog(e, gates.maxBacklog(), "outbox-backlog", results);
      }
      case NEW_WRITES -> {
        canaryComplete(e, results);
        shadowMismatchRate(entity, e, results);
        noDeadLetters(e, results);
        backlog(e, gates.maxBacklog(), "outbox-backlog", results);
        changeFeedReadable(entity, results);
      }
      case NEW_ONLY -> {
        soakTime(e, results);
        if (reverseSync != null) {
          results.add(reverseSync.recentlyCaughtUpGate(entity, REVERSE_SYNC_RECENTLY));
          legacyWritesQuiet(entity, results);
        }
        noDeadLetters(e, results);
        backlog(e, 0, "outbox-empty", results);
      }
      default -> { }
    }
  }

  /** Adds the backfill gate; returns when the qualifying backfill finished, or null. */
  private static Instant backfillFinished(GateEvidence e, List<GateResult> results) {
    Instant mirroringSince = e.enteredAt(MigrationPhase.DUAL_WRITE);
    String required = "a backfill that started after the entity entered DUAL_WRITE"
        + (mirroringSince == null ? "" : " (" + mirroringSince + ")") + " and finished";
    BackfillCheckpoint checkpoint = e.backfill();
    if (checkpoint == null) {
      results.add(new GateResult("backfill-finished", false, "no backfill has run", required));
      return null;
    }
    Instant started = checkpoint.startedAt();
    Instant finished = checkpoint.finishedAt();
    long rows = checkpoint.rowsDone();
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

  private void verificationClean(GateEvidence e, Instant backfillFinished, List<GateResult> results) {
    String required = "a verification that ran after the backfill with at most "
        + gates.maxVerificationDifferences() + " missing, extra or different rows";
    VerificationReport run = e.lastVerification();
    if (run == null) {
      results.add(new GateResult("verification-clean", false, "no verification has finished", required));
      return;
    }
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

  /** The share of shadow comparisons that mismatched, every node's, since the entity last entered SHADOW_READS. */
  private void shadowMismatchRate(String entity, GateEvidence e, List<GateResult> results) {
    String required = String.format(Locale.ROOT, "at most %.2f %% over at least %d comparisons since entering"
        + " SHADOW_READS", gates.maxShadowMismatchRate() * 100, gates.minShadowComparisons());
    shadow.flush();
    ShadowStatsTable.Total total;
    try {
      total = shadow.total(entity, e.enteredRevision(MigrationPhase.SHADOW_READS));
    } catch (SQLException ex) {
      results.add(unreadable(ex.getMessage()));
      return;
    }
    double rate = total.compared() == 0 ? 0 : (double) total.mismatched() / total.compared();
    String measured = String.format(Locale.ROOT, "%.2f %% (%d of %d comparisons mismatched)", rate * 100,
        total.mismatched(), total.compared());
    results.add(new GateResult("shadow-mismatch-rate",
        total.compared() >= gates.minShadowComparisons() && rate <= gates.maxShadowMismatchRate(), measured,
        required));
  }

  /**
   * Whether this node reads the new service's change feed of the entity's resource: what reverse sync needs once the
   * service is authoritative.
   */
  private void changeFeedReadable(String entity, List<GateResult> results) {
    String resource = resources.apply(entity);
    String required = "the new service's change feed of " + resource + " readable from this node"
        + " (GET /v1/_changes/" + resource + ", docs/protocol.md)";
    if (target == null) {
      results.add(new GateResult("change-feed", false, "this node has no target client; move the phase from a node"
          + " configured with withTargetUrl(...)", required));
      return;
    }
    try {
      FeedPage page = target.changes(resource, null, 1);
      results.add(new GateResult("change-feed", true, "readable, "
          + (page.head() == null ? "no change yet" : "head at cursor " + page.head()), required));
    } catch (RuntimeException ex) {
      results.add(new GateResult("change-feed", false, "cannot read it: " + ex.getMessage(), required));
    }
  }

  private static void backlog(GateEvidence e, long max, String gate, List<GateResult> results) {
    long pending = e.backlog().pending();
    results.add(new GateResult(gate, pending <= max, pending + " undelivered changes", "at most " + max));
  }

  private static void noDeadLetters(GateEvidence e, List<GateResult> results) {
    long dead = e.backlog().deadLetters();
    results.add(new GateResult("no-dead-letters", dead == 0, dead + " dead letters",
        "none (retry or discard them first)"));
  }

  private static void canaryComplete(GateEvidence e, List<GateResult> results) {
    Double canary = e.state().canaryPercent();
    results.add(new GateResult("canary-complete", canary != null && canary >= 100,
        "canary " + (canary == null ? "not set (the configured percentage applies)" : canary + " %"),
        "NEW_READS serving 100 % of keys (setCanaryPercent 100)"));
  }

  /** No monolith write of the entity (written through from legacy) for the soak time: legacy's code paths moved. */
  private void legacyWritesQuiet(String entity, List<GateResult> results) {
    String required = "no monolith write of the entity for at least " + gates.minNewWritesSoak();
    try {
      Optional<Instant> last = reverseSync.lastMonolithWrite(entity);
      Duration quiet = last.map(at -> Duration.between(at, clock.instant())).orElse(null);
      results.add(new GateResult("legacy-writes-quiet", quiet == null || quiet.compareTo(gates.minNewWritesSoak()) >= 0,
          last.map(at -> "last monolith write at " + at).orElse("no monolith write since entering NEW_WRITES"),
          required));
    } catch (SQLException ex) {
      results.add(unreadable(ex.getMessage()));
    }
  }

  private void soakTime(GateEvidence e, List<GateResult> results) {
    Instant since = e.enteredAt(MigrationPhase.NEW_WRITES);
    Duration soaked = since == null ? Duration.ZERO : Duration.between(since, clock.instant());
    results.add(new GateResult("soak-time", soaked.compareTo(gates.minNewWritesSoak()) >= 0,
        "in NEW_WRITES for " + soaked.withNanos(0), "at least " + gates.minNewWritesSoak()));
  }
}
