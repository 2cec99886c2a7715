package dev.dualwrite.verify.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.cutover.internal.NodeReverseSync;
import dev.dualwrite.internal.NodeServices;
import dev.dualwrite.jdbc.internal.Jdbc;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.legacy.internal.LegacyTransactions;
import dev.dualwrite.legacy.internal.RunControl;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.phase.Store;
import dev.dualwrite.storage.internal.ChunkLeasesTable;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.trace.ObservedWork;
import dev.dualwrite.trace.internal.GuardedTracing;
import dev.dualwrite.verify.RowDifference;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import dev.dualwrite.verify.VerifierConfig;
import dev.dualwrite.verify.internal.Observation.Verdict;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Verifier} that {@link dev.dualwrite.verify.VerifierBuilder} builds.
 *
 * <p>A run is shared by every node that verifies the entity with the same settings ({@link SharedRun}): each claims
 * chunks of the legacy key range, in key order, compares them and adds what it found to the run as it records the
 * chunk. When legacy scans in the listing order ({@link LegacySource#scansInListingOrder()}), each chunk is compared
 * with the new service's listing over its key range ({@link ListingWalk}: missing, different and extra at once), and
 * what is listed after legacy's last key is looked up in legacy (extra). Otherwise each chunk's ids are asked of the
 * new service (missing and different), then one node walks the whole listing and looks each page's ids up in legacy
 * (extra). Every read of the new service goes through {@link ServiceReads}, which retries what fails for a
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
 * progress line; this class starts or joins the run, records the verdicts of each piece and wires them. Thread-safe:
 * one execution at a time per entity and node, the others are refused.
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
  /** The node's name: the owner of the pieces of a run this node claims. */
  private final String node;
  /** The node and entity of each execution running in this JVM: one per entity and node at a time. */
  private static final Set<String> RUNNING = ConcurrentHashMap.newKeySet();

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
    this.node = node.name();
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
    String running = node + "\u0000" + entity;
    if (!RUNNING.add(running)) {
      control.finish();
      throw new IllegalStateException("a verification of '" + entity + "' is already running on node " + node
          + " (another Verifier of the same node); wait for it, or verify from it");
    }
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
      RUNNING.remove(running);
      control.finish();
    }
  }

  /**
   * Joins the entity's open run when it has the same repair and sample rate; otherwise gives the open run up (unless
   * another node is working on it) and starts a new one. Two nodes starting at once start one run: the second insert
   * breaks the one-open-run rule and joins the first.
   */
  private VerificationRun startOrResume(boolean repair) {
    for (int attempt = 1; ; attempt++) {
      try {
        return transactions.run("starting a verification run", tx -> {
          Optional<VerificationRun> open = runs.open(tx.connection(), entity);
          if (open.isPresent()) {
            VerificationRun found = open.get();
            if (found.repair == repair && found.sampleRate == config.sampleRate()) {
              log.info("verify {}: joining the run started at {} ({} rows compared so far)", entity, found.startedAt,
                  found.compared);
              return found;
            }
            if (runs.lockOpen(tx.connection(), found.id).isPresent()) {
              requireNoOtherNodeWorksOn(tx.connection(), found, repair);
              runs.close(tx.connection(), found.id);
              log.info("verify {}: giving up the unfinished {} run started at {} (sample rate {}) for a {} run",
                  entity, found.repair ? "repair" : "verification", found.startedAt, found.sampleRate,
                  repair ? "repair" : "verification");
            }
          }
          SharedRun.deleteChunks(tx.connection(), entity);
          VerificationRun run = new VerificationRun(entity, repair, config.sampleRate(), clock.instant());
          runs.insert(tx.connection(), run);
          log.info("verify {}: {} run started ({})", entity, repair ? "repair" : "verification", config);
          return run;
        });
      } catch (DualWriteException e) {
        if (attempt == 3 || !isConstraintViolation(e)) {
          throw e;
        }
        log.debug("verify {}: another node started a run first; joining it", entity);
      }
    }
  }

  private void requireNoOtherNodeWorksOn(Connection connection, VerificationRun open, boolean repair)
      throws SQLException {
    Instant now = clock.instant();
    for (ChunkLeasesTable.Chunk chunk : ChunkLeasesTable.VERIFICATION.all(connection, entity)) {
      if (!chunk.owner().equals(node) && chunk.leaseUntil().isAfter(now)) {
        throw new IllegalStateException("verify " + entity + ": node " + chunk.owner() + " is working on a "
            + (open.repair ? "repair" : "verification") + " run with sample rate " + open.sampleRate
            + " (started " + open.startedAt + "); a " + (repair ? "repair" : "verification") + " with sample rate "
            + config.sampleRate() + " cannot start until it finishes or is stopped. Run the same kind to join it.");
      }
    }
  }

  private static boolean isConstraintViolation(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException sql && Jdbc.isConstraintViolation(sql)) {
        return true;
      }
    }
    return false;
  }

  /**
   * One execution of a run on this node: wires the walk, the settling and the repair, and records the verdicts of
   * each piece in the piece's tally.
   */
  private final class Execution {
    private final VerificationRun run;
    private final ServiceReads reads = new ServiceReads(target, entity, migration.resource(), config.readRetries());
    private final VerificationProgress progress;
    private final SuspectSettling settling;
    private final KeyRepair repairs;
    private final LegacyRepair legacyRepairs;

    Execution(VerificationRun run, boolean legacyIsTheCopy) {
      this.run = run;
      this.progress = new VerificationProgress(entity, reads);
      this.settling = new SuspectSettling(entity, transactions, reads, comparison, MAPPER, progress);
      this.repairs = new KeyRepair(entity, migration.resource(), transactions, capture, settling, config);
      this.legacyRepairs = legacyIsTheCopy && reverseSync != null ? new LegacyRepair(entity, migration.resource(),
          transactions, target, reverseSync, settling, config) : null;
    }

    VerificationReport walk() {
      SharedRun shared = new SharedRun(run.id, entity, transactions, runs, node, config.chunkSize(),
          config.chunkLease(), config.sampleLimit(), source.scansInListingOrder(), clock);
      try (StoreWalk walk = new StoreWalk(run, migration.resource(), transactions, reads, settling, progress, config,
          shared, source.scansInListingOrder(), this::settle)) {
        walk.walk(control::stopRequested);
      }
      return shared.current().report();
    }

    /**
     * Settles the suspects among {@code observations} together, records the verdicts in {@code tally} and, for a
     * repair run, repairs the real differences.
     */
    private void settle(List<Observation> observations, VerificationRun tally) {
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
        tally.inFlight++;
        addSample(tally.inFlightSamples, id);
      }
      for (Observation difference : settled.differences()) {
        record(difference, tally);
      }
      if (run.repair && !settled.differences().isEmpty()) {
        KeyRepair.Outcome outcome = legacyRepairs != null ? legacyRepairs.repair(settled.differences())
            : repairs.repair(settled.differences());
        tally.repaired += outcome.sent() - outcome.unrepaired().size();
        tally.notRepaired += outcome.unrepaired().size();
        outcome.unrepaired().forEach(key -> addSample(tally.notRepairedSamples, key));
      }
    }

    private void record(Observation difference, VerificationRun tally) {
      switch (difference.verdict()) {
        case MISSING -> {
          tally.missing++;
          addSample(tally.missingSamples, difference.id());
        }
        case EXTRA -> {
          tally.extra++;
          addSample(tally.extraSamples, difference.id());
        }
        case DIFFERENT -> {
          tally.different++;
          addSample(tally.differentSamples, new RowDifference(difference.id(), difference.newService().version(),
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
