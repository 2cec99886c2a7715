package dev.dualwrite.verify.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.cutover.internal.NodeReverseSync;
import dev.dualwrite.internal.NodeServices;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.legacy.internal.LegacyTransactions;
import dev.dualwrite.legacy.internal.RunControl;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.phase.Store;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.trace.ObservedWork;
import dev.dualwrite.trace.internal.GuardedTracing;
import dev.dualwrite.verify.RowDifference;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import dev.dualwrite.verify.VerifierConfig;
import dev.dualwrite.verify.internal.Observation.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Verifier} that {@link dev.dualwrite.verify.VerifierBuilder} builds.
 *
 * <p>A run walks legacy keys in key order, chunk by chunk, recording the run after every chunk. When legacy scans in
 * the listing order ({@link LegacySource#scansInListingOrder()}), the new service's listing is walked beside it
 * ({@link ListingWalk}): each chunk is compared with the listed documents up to its last key (missing, different and
 * extra at once), and what is listed after legacy's last key is looked up in legacy (extra). Otherwise each chunk's ids
 * are asked of the new service (missing and different), then the whole listing is walked and each page's ids looked up
 * in legacy (extra). Every read of the new service goes through {@link ServiceReads}, which retries what fails for a
 * moment.
 *
 * <p>The keys of a chunk (or of a piece of the listing) whose first check differs are its suspects, settled together:
 * checked again in bulk, and between two checks one wait for the whole batch, until the undelivered changes the check
 * saw are delivered. A suspect settles when a check sees agreement, or a real difference: exactly what the previous
 * check saw with nothing undelivered, or an unchanged copy although the changes undelivered at the previous check were
 * delivered since. What is still unsettled after {@value SuspectSettling#MAX_SETTLE_ROUNDS} checks or at the settle
 * timeout is in flight. A repair run then appends a fresh snapshot or tombstone per real difference, waits once for
 * the batch's delivery and settles the repaired keys again: only a key that then agrees counts as repaired, the others
 * are not repaired, each with its reason.
 *
 * <p>The work is split among package-private classes, created per execution: {@link StoreWalk} walks both stores,
 * {@link SuspectSettling} settles the suspects, {@link KeyRepair} repairs and {@link VerificationProgress} logs the
 * progress line; this class keeps the run's bookkeeping and wires them. Thread-safe: one execution at a time per
 * instance, the others are refused.
 */
public final class DefaultVerifier implements Verifier {
  private static final Logger log = LoggerFactory.getLogger(DefaultVerifier.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String entity;
  private final EntityMigration migration;
  private final LegacySource source;
  private final LegacyTransactions transactions;
  private final TargetClient target;
  private final ChangeCapture capture;
  private final VerifierConfig config;
  private final SnapshotComparison comparison;
  private final VerificationRuns runs = new VerificationRuns(MAPPER);
  /**
   * The node's clock, ticked to microseconds: what dualwrite's timestamp columns keep, so that a recorded time reads
   * back equal.
   */
  private final Clock clock;
  private final RunControl control;
  private final Phases phases;
  private final NodeReverseSync reverseSync;
  private final GuardedTracing tracing;

  /** Runs on {@code dualWrite}'s node, with its target client, capture and clock. */
  public DefaultVerifier(DualWrite dualWrite, LegacySource source, VerifierConfig config) {
    NodeServices node = NodeServices.of(dualWrite);
    this.entity = source.entity();
    this.migration = dualWrite.entity(entity);
    this.source = source;
    this.transactions = new LegacyTransactions(source);
    this.target = node.targetClient().orElseThrow(() -> new IllegalStateException(
        "no target is configured: call withTargetUrl(...) or withTargetClient(...)"));
    this.capture = node.capture().orElseThrow(() -> new IllegalStateException(
        "no outbox: configure withDataSource(...) with the monolith's database"));
    this.control = new RunControl("verifier", entity, dualWrite.phases());
    this.phases = dualWrite.phases();
    this.reverseSync = node.reverseSyncNode().orElse(null);
    this.tracing = node.tracing();
    this.config = config;
    this.clock = Clock.tick(node.clock(), Duration.ofNanos(1000));
    this.comparison = new SnapshotComparison(config.ignoredFields(), migration.sensitiveFields());
  }

  @Override
  public String entity() {
    return entity;
  }

  @Override
  public VerifierConfig config() {
    return config;
  }

  @Override
  public VerificationReport verify() {
    return execute(false);
  }

  @Override
  public VerificationReport repair() {
    return execute(true);
  }

  @Override
  public void stop() {
    control.requestStop();
  }

  @Override
  public Optional<VerificationReport> lastReport() {
    return transactions.run("reading the last verification", tx -> runs.latestFinished(tx.connection(), entity))
        .map(VerificationRun::report);
  }

  private VerificationReport execute(boolean repair) {
    control.start();
    try {
      // in NEW_WRITES and NEW_ONLY the new service is the truth: a repair writes its state into legacy
      boolean legacyIsTheCopy = phases.current(entity).writeAuthority() == Store.NEW;
      if (repair && !legacyIsTheCopy) {
        requireMirroringPhase();
      }
      VerificationRun run = startOrResume(repair);
      if (legacyIsTheCopy) {
        log.info("verify {}: the new service is the truth in {}; missing and extra are legacy's{}", entity,
            phases.current(entity), repair ? ", and a repair writes the new service's state into legacy" : "");
      }
      VerificationReport report = tracing.observe(ObservedWork.VERIFICATION_RUN, entity,
          Map.of("repair", Boolean.toString(repair)), () -> new Execution(run, legacyIsTheCopy).walk(),
          done -> !done.finished() ? "stopped" : done.isClean() ? "agreed" : "differed");
      log.info("{}", report.describe());
      return report;
    } finally {
      control.finish();
    }
  }

  private VerificationRun startOrResume(boolean repair) {
    return transactions.run("starting a verification run", tx -> {
      Optional<VerificationRun> latest = runs.latest(tx.connection(), entity);
      if (latest.isPresent() && latest.get().finishedAt == null && latest.get().repair == repair
          && latest.get().sampleRate == config.sampleRate()) {
        VerificationRun resumed = latest.get();
        log.info("verify {}: resuming the run started at {} ({} rows compared so far)", entity, resumed.startedAt,
            resumed.compared);
        return resumed;
      }
      VerificationRun run = new VerificationRun(entity, repair, config.sampleRate(), clock.instant());
      runs.insert(tx.connection(), run);
      log.info("verify {}: {} run started ({})", entity, repair ? "repair" : "verification", config);
      return run;
    });
  }


  /**
   * One execution of a run on the calling thread: wires the walk, the settling and the repair, and keeps the run's
   * bookkeeping (verdicts, counts, samples, the recorded progress).
   */
  private final class Execution {
    private final VerificationRun run;
    private final ServiceReads reads = new ServiceReads(target, entity, migration.resource(), config.readRetries());
    private final VerificationProgress progress;
    private final SuspectSettling settling;
    private final KeyRepair repairs;
    private final LegacyRepair legacyRepairs;
    private final long retriesBefore;

    Execution(VerificationRun run, boolean legacyIsTheCopy) {
      this.run = run;
      this.retriesBefore = run.retries;
      this.progress = new VerificationProgress(entity, run, reads);
      this.settling = new SuspectSettling(entity, transactions, reads, comparison, MAPPER, progress);
      this.repairs = new KeyRepair(entity, migration.resource(), transactions, capture, settling, config);
      this.legacyRepairs = legacyIsTheCopy && reverseSync != null ? new LegacyRepair(entity, migration.resource(),
          transactions, target, reverseSync, settling, config) : null;
    }

    VerificationReport walk() {
      if (run.stage == VerificationRun.Stage.LEGACY) {
        progress.legacyRowsAtStart(
            transactions.run("counting the rows to verify", tx -> tx.countAfter(run.legacyAfter)));
      }
      try (StoreWalk walk = new StoreWalk(run, source, migration.resource(), transactions, reads, settling, progress,
          config, this::settle)) {
        while (!control.stopRequested() && run.stage != VerificationRun.Stage.DONE) {
          walk.step();
          if (run.stage == VerificationRun.Stage.DONE) {
            run.finishedAt = clock.instant();
          }
          run.retries = retriesBefore + reads.retried();
          save();
          progress.log(0);
        }
      }
      return run.report();
    }

    private void save() {
      transactions.run("recording verification progress", tx -> {
        runs.update(tx.connection(), run, clock.instant());
        return null;
      });
    }

    /**
     * Settles the suspects among {@code observations} together, records the verdicts in the run and, for a repair
     * run, repairs the real differences.
     */
    private void settle(List<Observation> observations) {
      Map<String, Observation> suspects = new LinkedHashMap<>();
      for (Observation observation : observations) {
        if (observation.verdict() != Verdict.SAME) {
          suspects.put(observation.id(), observation);
        }
      }
      if (suspects.isEmpty()) {
        return;
      }
      SuspectSettling.Settled settled =
          settling.settleTogether(suspects, Set.of(), System.nanoTime() + config.settleTimeout().toNanos());
      for (String id : settled.unsettled().keySet()) {
        run.inFlight++;
        addSample(run.inFlightSamples, id);
      }
      for (Observation difference : settled.differences()) {
        record(difference);
      }
      if (run.repair && !settled.differences().isEmpty()) {
        KeyRepair.Outcome outcome = legacyRepairs != null ? legacyRepairs.repair(settled.differences())
            : repairs.repair(settled.differences());
        run.repaired += outcome.sent() - outcome.unrepaired().size();
        run.notRepaired += outcome.unrepaired().size();
        outcome.unrepaired().forEach(key -> addSample(run.notRepairedSamples, key));
      }
    }

    private void record(Observation difference) {
      switch (difference.verdict()) {
        case MISSING -> {
          run.missing++;
          addSample(run.missingSamples, difference.id());
        }
        case EXTRA -> {
          run.extra++;
          addSample(run.extraSamples, difference.id());
        }
        case DIFFERENT -> {
          run.different++;
          addSample(run.differentSamples, new RowDifference(difference.id(), difference.newService().version(),
              difference.differences()));
        }
        case SAME -> throw new IllegalStateException("a key that agrees is not a difference: " + difference.id());
      }
    }
  }

  private <T> void addSample(List<T> samples, T sample) {
    if (samples.size() < config.sampleLimit()) {
      samples.add(sample);
    }
  }

  private void requireMirroringPhase() {
    control.requireMirroringPhase("repair", "legacy is not mirrored to the new service. Repair while " + entity
        + " is in DUAL_WRITE, SHADOW_READS or NEW_READS (repair into the new service) or in NEW_WRITES or NEW_ONLY"
        + " (repair into legacy); verify() works in every phase.");
  }
}
