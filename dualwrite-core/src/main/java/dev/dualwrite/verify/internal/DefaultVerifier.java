package dev.dualwrite.verify.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.legacy.internal.LegacyTransactions;
import dev.dualwrite.legacy.spi.LegacyRow;
import dev.dualwrite.legacy.spi.LegacySource;
import dev.dualwrite.legacy.spi.LegacyTransaction;
import dev.dualwrite.legacy.spi.RowLock;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.ChangeOrigin;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.storage.internal.OutboxTable;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.TargetPage;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.verify.RowDifference;
import dev.dualwrite.verify.UnrepairedKey;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import dev.dualwrite.verify.VerifierConfig;
import dev.dualwrite.verify.internal.Observation.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * delivered since. What is still unsettled after {@value #MAX_SETTLE_ROUNDS} checks or at the settle timeout is in
 * flight. A repair run then appends a fresh snapshot or tombstone per real difference, waits once for the batch's
 * delivery and settles the repaired keys again: only a key that then agrees counts as repaired, the others are not
 * repaired, each with its reason. Thread-safe.
 */
public final class DefaultVerifier implements Verifier {
  private static final Logger log = LoggerFactory.getLogger(DefaultVerifier.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long PROGRESS_LOG_NANOS = Duration.ofSeconds(10).toNanos();
  private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(10).toNanos();
  private static final long LONGEST_PAUSE_NANOS = Duration.ofMillis(250).toNanos();
  /**
   * Bulk checks per batch of suspects, the first included: a key that still changes after that many is in flight.
   * Keys that settle do so in one to three; the bound keeps a key written many times a second from holding up the
   * walk until the settle timeout.
   */
  static final int MAX_SETTLE_ROUNDS = 8;

  private final String entity;
  private final EntityMigration migration;
  private final LegacySource source;
  private final LegacyTransactions transactions;
  private final TargetClient target;
  private final ChangeCapture capture;
  private final Phases phases;
  private final VerifierConfig config;
  private final SnapshotComparison comparison;
  private final VerificationRuns runs = new VerificationRuns(MAPPER);
  /** Microseconds: what dualwrite's timestamp columns keep, so that a recorded time reads back equal. */
  private final Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000));
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean stopRequested;

  public DefaultVerifier(DualWrite dualWrite, LegacySource source, VerifierConfig config) {
    this.entity = source.entity();
    this.migration = dualWrite.entity(entity);
    this.source = source;
    this.transactions = new LegacyTransactions(source);
    this.target = dualWrite.targetClient();
    this.capture = dualWrite.capture();
    this.phases = dualWrite.phases();
    this.config = config;
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
    stopRequested = true;
  }

  @Override
  public Optional<VerificationReport> lastReport() {
    return transactions.run("reading the last verification", tx -> runs.latestFinished(tx.connection(), entity))
        .map(VerificationRun::report);
  }

  private VerificationReport execute(boolean repair) {
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("the verifier of '" + entity + "' is already running in this instance");
    }
    stopRequested = false;
    try {
      if (repair) {
        requireMirroringPhase();
      }
      VerificationRun run = startOrResume(repair);
      VerificationReport report = new Execution(run).walk();
      log.info("{}", report.describe());
      return report;
    } finally {
      running.set(false);
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

  /** Legacy rows by id and, for the ids with undelivered changes, the newest of them, read in one transaction. */
  private record LegacyRead(Map<String, LegacyRow> rows, Map<String, Long> pending) {}

  /** One bulk check of some keys, and the newest undelivered change (its outbox row id) of each key that has one. */
  private record Recheck(List<Observation> observations, Map<String, Long> pending) {}

  /**
   * What settling a batch found: the real differences, and the keys still unsettled at the deadline, each with what
   * it was last seen as.
   */
  private record Settled(List<Observation> differences, Map<String, Observation> unsettled) {}

  /** One execution of a run on the calling thread: the walk, its reads of the new service and its progress line. */
  private final class Execution {
    private final VerificationRun run;
    private final ServiceReads reads = new ServiceReads(target, entity, migration.resource(), config.readRetries());
    private final SplittableRandom random = new SplittableRandom();
    private final long retriesBefore;
    private final long startedNanos = System.nanoTime();
    private final long comparedAtStart;
    private long lastLogNanos = startedNanos;
    /** Legacy rows after the run's position when this execution started, or -1 when past the legacy walk. */
    private long legacyRowsAtStart = -1;
    private long legacyRowsWalked;

    Execution(VerificationRun run) {
      this.run = run;
      this.retriesBefore = run.retries;
      this.comparedAtStart = run.compared;
    }

    VerificationReport walk() {
      boolean legacyWalk = run.stage == VerificationRun.Stage.LEGACY;
      if (legacyWalk) {
        legacyRowsAtStart = transactions.run("counting the rows to verify", tx -> tx.countAfter(run.legacyAfter));
      }
      try (ReadAhead<List<LegacyRow>> chunks =
              legacyWalk ? new ReadAhead<List<LegacyRow>>("dualwrite-verify-legacy-" + entity) : null;
          ListingWalk listing = legacyWalk && source.scansInListingOrder()
              ? new ListingWalk(reads, entity, migration.resource(), run.legacyAfter, config.chunkSize())
              : null) {
        if (chunks != null) {
          startScan(chunks, run.legacyAfter);
        }
        while (!stopRequested && run.stage != VerificationRun.Stage.DONE) {
          if (run.stage == VerificationRun.Stage.LEGACY) {
            checkLegacyChunk(chunks, listing);
          } else {
            checkNewPage();
          }
          if (run.stage == VerificationRun.Stage.DONE) {
            run.finishedAt = clock.instant();
          }
          run.retries = retriesBefore + reads.retried();
          save();
          progress(0);
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
     * Logs where the run stands, at most every 10 seconds: rows compared and their rate, legacy rows left to walk,
     * keys of the current batch {@code waiting} to settle, and retried reads.
     */
    private void progress(int waiting) {
      long now = System.nanoTime();
      if (now - lastLogNanos < PROGRESS_LOG_NANOS) {
        return;
      }
      lastLogNanos = now;
      StringBuilder line = new StringBuilder("verify ").append(entity).append(": ").append(run.compared)
          .append(" rows compared so far (")
          .append(Math.round((run.compared - comparedAtStart) / ((now - startedNanos) / 1e9))).append(" rows/s)");
      if (run.stage == VerificationRun.Stage.LEGACY && legacyRowsAtStart >= 0) {
        line.append(", about ").append(Math.max(0, legacyRowsAtStart - legacyRowsWalked)).append(" legacy rows left");
      }
      if (waiting > 0) {
        line.append(", ").append(waiting).append(" keys waiting to settle");
      }
      long retried = reads.retried();
      if (retried > 0) {
        line.append(", ").append(retried).append(" reads of the new service retried");
      }
      line.append(run.stage == VerificationRun.Stage.LEGACY ? "; walking the legacy keys"
          : "; walking the new service's listing");
      log.info("{}", line);
    }

    /**
     * Compares the next legacy chunk, read ahead in {@code chunks}, with the new service: missing and different, and
     * with a {@code listing}, extra within the chunk's key range. Starts reading the chunk after it.
     */
    private void checkLegacyChunk(ReadAhead<List<LegacyRow>> chunks, ListingWalk listing) {
      String after = run.legacyAfter;
      List<LegacyRow> rows = chunks.take();
      if (rows.isEmpty()) {
        run.stage = VerificationRun.Stage.NEW;
        if (listing != null) {
          run.newAfter = after; // what is listed after legacy's last key has no legacy row in the chunks walked
        }
        return;
      }
      String last = rows.get(rows.size() - 1).id();
      startScan(chunks, last);
      List<LegacyRow> sampled = sample(rows);
      // A first look asks nothing of the outbox: only keys that differ need to know about undelivered changes, and
      // their re-check reads them (a key-by-key lookup for every row would cost more than the rest of the chunk).
      Map<String, TargetDocument> copies = listing == null ? readNew(ids(sampled)) : listedCopies(rows, listing);
      List<Observation> observations = new ArrayList<>(sampled.size());
      for (LegacyRow row : sampled) {
        observations.add(observe(row.id(), row, false, copies.get(row.id())));
      }
      run.compared += sampled.size();
      legacyRowsWalked += rows.size();
      settle(observations);
      run.legacyAfter = last;
    }

    /**
     * Takes the listing up to the chunk's last key, in pieces of at most a chunk: the copies of the chunk's rows are
     * returned, the others are extra (each piece is settled at once, so memory stays bounded however many there are).
     */
    private Map<String, TargetDocument> listedCopies(List<LegacyRow> rows, ListingWalk listing) {
      Set<String> legacyIds = new HashSet<>(ids(rows));
      Map<String, TargetDocument> copies = new HashMap<>();
      String last = rows.get(rows.size() - 1).id();
      for (List<TargetDocument> listed = listing.through(last, config.chunkSize()); !listed.isEmpty();
          listed = listing.through(last, config.chunkSize())) {
        List<TargetDocument> unmatched = new ArrayList<>();
        for (TargetDocument copy : listed) {
          if (legacyIds.contains(copy.id())) {
            copies.put(copy.id(), copy);
          } else {
            unmatched.add(copy);
          }
        }
        List<Observation> extras = new ArrayList<>();
        for (TargetDocument extra : sample(unmatched)) {
          extras.add(observe(extra.id(), null, false, extra));
        }
        settle(extras);
      }
      return copies;
    }

    /** Looks the next page of the new service's listing up in legacy: extra. */
    private void checkNewPage() {
      TargetPage page = reads.list(run.newAfter, config.chunkSize());
      List<TargetDocument> sampled = sample(page.items());
      if (!sampled.isEmpty()) {
        List<String> ids = sampled.stream().map(TargetDocument::id).toList();
        Set<String> inLegacy = transactions.run("checking " + ids.size() + " listed keys in legacy",
            tx -> byId(tx.read(ids, RowLock.NONE)).keySet());
        List<Observation> observations = new ArrayList<>();
        for (TargetDocument copy : sampled) {
          if (!inLegacy.contains(copy.id())) {
            observations.add(observe(copy.id(), null, false, copy));
          }
        }
        settle(observations);
      }
      if (page.next() == null || page.items().isEmpty()) {
        run.stage = VerificationRun.Stage.DONE;
      } else if (page.next().equals(run.newAfter)) {
        throw ListingWalk.stalled(entity, migration.resource(), run.newAfter, page.next());
      } else {
        run.newAfter = page.next();
      }
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
      Settled settled = settleTogether(suspects, Set.of(), System.nanoTime() + config.settleTimeout().toNanos());
      for (String id : settled.unsettled().keySet()) {
        run.inFlight++;
        addSample(run.inFlightSamples, id);
      }
      for (Observation difference : settled.differences()) {
        record(difference);
      }
      if (run.repair && !settled.differences().isEmpty()) {
        repair(settled.differences());
      }
    }

    /**
     * Checks {@code keys} (each with what it was last seen as) again, all in one bulk check per round, until each
     * agrees, shows a real difference, {@value #MAX_SETTLE_ROUNDS} rounds were made or {@code deadline} passes; at
     * least once. A difference is real when a check sees what the previous check saw with nothing undelivered, or
     * when every change the previous check saw undelivered has been delivered since and the copy did not change: the
     * service did not take them (a write it applies raises the copy's version), so a key that keeps being written
     * settles too. Between two rounds, one wait for the batch: until the undelivered changes the last check saw are
     * delivered (changes appended later do not prolong it, so live writes cannot hold it up), or a short pause when a
     * key changed with nothing undelivered. {@code deliveredBefore} names the keys whose undelivered changes, as of
     * their last observation, were delivered before this call.
     */
    private Settled settleTogether(Map<String, Observation> keys, Set<String> deliveredBefore, long deadline) {
      Map<String, Observation> unsettled = keys;
      Set<String> delivered = deliveredBefore;
      List<Observation> differences = new ArrayList<>();
      for (int round = 0; ; round++) {
        Recheck check = recheck(unsettled.keySet());
        Map<String, Observation> next = new LinkedHashMap<>();
        for (Observation now : check.observations()) {
          if (now.verdict() == Verdict.SAME) {
            continue;
          }
          Observation before = unsettled.get(now.id());
          if (!now.pending() && now.sameAs(before) || delivered.contains(now.id()) && now.sameCopyAs(before)) {
            differences.add(now);
          } else {
            next.put(now.id(), now);
          }
        }
        unsettled = next;
        if (unsettled.isEmpty() || round + 1 >= MAX_SETTLE_ROUNDS || System.nanoTime() - deadline >= 0) {
          return new Settled(differences, unsettled);
        }
        progress(unsettled.size());
        Set<String> waitFor = new HashSet<>(unsettled.keySet());
        waitFor.retainAll(check.pending().keySet());
        if (waitFor.isEmpty()) {
          delivered = Set.of();
          pause(round);
        } else {
          long newest = waitFor.stream().mapToLong(check.pending()::get).max().orElseThrow();
          Set<String> undelivered = awaitDelivery(waitFor, newest, deadline);
          waitFor.removeAll(undelivered);
          delivered = waitFor;
        }
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
          addSample(run.differentSamples, new RowDifference(difference.id(), difference.current().version(),
              difference.differences()));
        }
        case SAME -> throw new IllegalStateException("a key that agrees is not a difference: " + difference.id());
      }
    }

    /**
     * Appends, in one legacy transaction, a fresh snapshot for each missing or different key and a tombstone for each
     * extra key. The rows are read again in that transaction with shared locks, so what is sent is legacy's state as
     * of the append, under a version (the outbox row id) newer than anything dualwrite sent for the key, tombstones
     * included, and older than any live write that follows. Then waits once, at most the settle timeout,
     * for the batch to be delivered and settles the repaired keys again: a key that agrees is repaired, any other is
     * not repaired, with its reason.
     */
    private void repair(List<Observation> differences) {
      List<Change> repairs = transactions.run("repairing " + differences.size() + " keys", tx -> {
        Map<String, LegacyRow> rows =
            byId(tx.read(differences.stream().map(Observation::id).toList(), RowLock.SHARED));
        List<Change> changes = new ArrayList<>();
        for (Observation difference : differences) {
          LegacyRow row = rows.get(difference.id());
          if (row != null) {
            changes.add(Change.of(entity, migration.resource(), row.id(), ChangeOperation.UPSERT, row.payload(),
                ChangeOrigin.REPAIR));
          } else if (difference.current() != null) {
            changes.add(Change.of(entity, migration.resource(), difference.id(), ChangeOperation.DELETE, null,
                ChangeOrigin.REPAIR));
          }
        }
        return capture.append(tx.connection(), changes);
      });
      if (repairs.isEmpty()) {
        return;
      }
      capture.committed(repairs);
      Map<String, Long> versions = new HashMap<>();
      for (Change repair : repairs) {
        versions.put(repair.entityId(), repair.version());
      }
      Map<String, Observation> sent = new LinkedHashMap<>();
      for (Observation difference : differences) {
        if (versions.containsKey(difference.id())) {
          sent.put(difference.id(), difference);
        }
      }
      long deadline = System.nanoTime() + config.settleTimeout().toNanos();
      Set<String> delivered = new HashSet<>(sent.keySet());
      delivered.removeAll(awaitDelivery(sent.keySet(),
          versions.values().stream().mapToLong(Long::longValue).max().orElseThrow(), deadline));
      Settled settled = settleTogether(sent, delivered, deadline);
      List<Long> failedRows = new ArrayList<>();
      settled.differences().forEach(d -> failedRows.add(versions.get(d.id())));
      settled.unsettled().keySet().forEach(id -> failedRows.add(versions.get(id)));
      Map<Long, OutboxTable.RowState> states = failedRows.isEmpty() ? Map.of()
          : transactions.run("reading " + failedRows.size() + " repairs in the outbox",
              tx -> OutboxTable.states(tx.connection(), failedRows));
      List<UnrepairedKey> unrepaired = new ArrayList<>();
      for (Observation still : settled.differences()) {
        long version = versions.get(still.id());
        unrepaired.add(new UnrepairedKey(still.id(), whyNotRepaired(still, version, states.get(version))));
      }
      for (String id : settled.unsettled().keySet()) {
        OutboxTable.RowState state = states.get(versions.get(id));
        unrepaired.add(new UnrepairedKey(id, state != null && state.pending()
            ? "its change was not delivered within the settle timeout (" + config.settleTimeout() + "); check that a"
                + " relay runs and delivers (dualwrite status: backlog, oldest undelivered), then verify again"
            : "it kept changing while it was checked again; verify again once its writes calm down"));
      }
      run.repaired += sent.size() - unrepaired.size();
      run.notRepaired += unrepaired.size();
      unrepaired.forEach(key -> addSample(run.notRepairedSamples, key));
      unrepaired.stream().limit(Math.max(1, config.sampleLimit()))
          .forEach(key -> log.warn("repair {}: not repaired: {}", entity, key.describe()));
      if (unrepaired.size() > Math.max(1, config.sampleLimit())) {
        log.warn("repair {}: {} of the {} keys repaired in this chunk not repaired in all", entity,
            unrepaired.size(), sent.size());
      }
    }

    /** Why a repaired key that was delivered (or given up on) still differs, and what to do. No field values. */
    private String whyNotRepaired(Observation still, long version, OutboxTable.RowState state) {
      if (state != null && state.dead()) {
        return "its change is dead-lettered (the new service last answered "
            + (state.lastStatus() == null ? "nothing" : state.lastStatus()) + "); see the entity's dead letters"
            + " (dualwrite dead-letters list " + entity + "), fix their cause, then retry them or repair again";
      }
      if (still.current() != null && still.current().version() > version) {
        return "the new service holds a newer version than dualwrite's sequence (v" + still.current().version()
            + ") and answered STALE; find what wrote that copy, remove it from the new service, then repair again";
      }
      if (still.current() == null) {
        return "the new service still lacks it after the fresh snapshot (v" + version + ") was delivered: it holds a"
            + " tombstone with a version above dualwrite's sequence and answered STALE; remove the tombstone from the"
            + " new service, then repair again";
      }
      return "the new service accepted the repair (v" + version + ") but holds another state (v"
          + still.current().version() + "); compare what it stores with legacy's row, or leave a field it does not"
          + " keep out with VerifierBuilder.withIgnoredFields";
    }

    /** Checks {@code ids} again: legacy rows and undelivered changes in one transaction, then the new service. */
    private Recheck recheck(Collection<String> ids) {
      LegacyRead read = transactions.run("re-checking " + ids.size() + " keys",
          tx -> new LegacyRead(byId(tx.read(ids, RowLock.NONE)),
              OutboxTable.newestPending(tx.connection(), entity, ids)));
      Map<String, TargetDocument> copies = readNew(ids);
      List<Observation> observations = new ArrayList<>(ids.size());
      for (String id : ids) {
        observations.add(observe(id, read.rows().get(id), read.pending().containsKey(id), copies.get(id)));
      }
      return new Recheck(observations, read.pending());
    }

    private Map<String, TargetDocument> readNew(Collection<String> ids) {
      Map<String, TargetDocument> copies = new HashMap<>();
      if (!ids.isEmpty()) {
        for (TargetDocument copy : reads.getMany(List.copyOf(ids))) {
          copies.put(copy.id(), copy);
        }
      }
      return copies;
    }

    /**
     * One wait for a batch: until no key among {@code ids} has an undelivered change up to outbox row
     * {@code throughId}, or the deadline passes.
     *
     * @return the keys among {@code ids} that still have such a change: empty unless the deadline passed
     */
    private Set<String> awaitDelivery(Collection<String> ids, long throughId, long deadline) {
      Set<String> waiting = new HashSet<>(ids);
      for (int round = 0; System.nanoTime() - deadline < 0; round++) {
        Set<String> keys = waiting;
        waiting = transactions.run("waiting for " + keys.size() + " deliveries",
            tx -> OutboxTable.pendingThrough(tx.connection(), entity, keys, throughId));
        if (waiting.isEmpty()) {
          break;
        }
        progress(waiting.size());
        pause(round);
      }
      return waiting;
    }

    private <T> List<T> sample(List<T> items) {
      if (config.sampleRate() >= 1) {
        return items;
      }
      List<T> sampled = new ArrayList<>();
      for (T item : items) {
        if (random.nextDouble() < config.sampleRate()) {
          sampled.add(item);
        }
      }
      return sampled;
    }
  }

  /** Reads the legacy chunk after {@code after} ahead, in a transaction of its own. */
  private void startScan(ReadAhead<List<LegacyRow>> chunks, String after) {
    String what = after == null ? "first verification chunk" : "verification chunk after id " + after;
    chunks.start(() -> transactions.run(what, tx -> tx.scan(after, config.chunkSize(), RowLock.NONE)));
  }

  /** Pauses between re-checks: 10 ms, doubling up to 250 ms. */
  private void pause(int round) {
    long nanos = Math.min(LONGEST_PAUSE_NANOS, FIRST_PAUSE_NANOS << Math.min(round, 5));
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DualWriteException("verify " + entity + " interrupted; the run is kept, verify again to resume", e);
    }
  }

  private Observation observe(String id, LegacyRow legacy, boolean pending, TargetDocument current) {
    if (legacy != null && current != null && legacy.payload().equals(current.data().toString())) {
      // the copy reads back as the very text legacy sends, as it does for most keys: equal without parsing legacy's
      // snapshot, which would cost more than the rest of the comparison
      return Observation.agreeing(id, legacy, pending, current);
    }
    return Observation.of(id, legacy, legacy == null ? null : snapshot(legacy), pending, current, comparison);
  }

  private JsonNode snapshot(LegacyRow row) {
    try {
      return MAPPER.readTree(row.payload());
    } catch (JsonProcessingException e) {
      throw new DualWriteException("verify " + entity + ": the legacy source produced a snapshot of " + row.id()
          + " that is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private <T> void addSample(List<T> samples, T sample) {
    if (samples.size() < config.sampleLimit()) {
      samples.add(sample);
    }
  }

  private void requireMirroringPhase() {
    MigrationPhase phase = phases.current(entity);
    if (!phase.mirrorsLegacyToNew()) {
      throw new DualWriteException("repair of " + entity + " refused: the entity is in " + phase + ", where legacy is"
          + " not mirrored to the new service. Repair while " + entity + " is in DUAL_WRITE, SHADOW_READS or"
          + " NEW_READS; verify() works in every phase.");
    }
  }

  private static List<String> ids(List<LegacyRow> rows) {
    return rows.stream().map(LegacyRow::id).toList();
  }

  private static Map<String, LegacyRow> byId(List<LegacyRow> rows) {
    Map<String, LegacyRow> byId = new HashMap<>();
    for (LegacyRow row : rows) {
      byId.put(row.id(), row);
    }
    return byId;
  }
}
