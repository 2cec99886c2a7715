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
import dev.dualwrite.outbox.internal.JdbcOutbox;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.TargetException;
import dev.dualwrite.target.TargetPage;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.verify.RowDifference;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import dev.dualwrite.verify.VerifierConfig;
import dev.dualwrite.verify.internal.Observation.Verdict;
import java.sql.SQLException;
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
 * in legacy (extra). A key whose first check differs is a suspect: it is checked again, after its undelivered changes
 * are delivered, until a check sees exactly what the previous one saw with nothing undelivered (a real difference),
 * sees agreement, or the settle timeout passes (in flight). Thread-safe.
 */
public final class DefaultVerifier implements Verifier {
  private static final Logger log = LoggerFactory.getLogger(DefaultVerifier.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long PROGRESS_LOG_NANOS = Duration.ofSeconds(10).toNanos();
  private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(10).toNanos();
  private static final long LONGEST_PAUSE_NANOS = Duration.ofMillis(250).toNanos();

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

  /** Legacy rows by id and the ids with undelivered changes, read in one transaction. */
  private record LegacyRead(Map<String, LegacyRow> rows, Set<String> pending) {}

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
      SplittableRandom random = new SplittableRandom();
      long startedNanos = System.nanoTime();
      long lastLogNanos = startedNanos;
      long comparedAtStart = run.compared;
      boolean legacyWalk = run.stage == VerificationRun.Stage.LEGACY;
      try (ReadAhead<List<LegacyRow>> chunks =
              legacyWalk ? new ReadAhead<List<LegacyRow>>("dualwrite-verify-legacy-" + entity) : null;
          ListingWalk listing = legacyWalk && source.scansInListingOrder()
              ? new ListingWalk(target, entity, migration.resource(), run.legacyAfter, config.chunkSize())
              : null) {
        if (chunks != null) {
          startScan(chunks, run.legacyAfter);
        }
        while (!stopRequested && run.stage != VerificationRun.Stage.DONE) {
          check(run, random, chunks, listing);
          if (run.stage == VerificationRun.Stage.DONE) {
            run.finishedAt = clock.instant();
          }
          save(run);
          long now = System.nanoTime();
          if (now - lastLogNanos >= PROGRESS_LOG_NANOS) {
            double rate = (run.compared - comparedAtStart) / ((now - startedNanos) / 1e9);
            log.info("verify {}: {} rows compared so far ({} rows/s), walking the {} keys", entity, run.compared,
                Math.round(rate), run.stage == VerificationRun.Stage.LEGACY ? "legacy" : "new service's");
            lastLogNanos = now;
          }
        }
      }
      VerificationReport report = run.report();
      log.info("{}", report.describe());
      return report;
    } finally {
      running.set(false);
    }
  }

  private void check(
      VerificationRun run, SplittableRandom random, ReadAhead<List<LegacyRow>> chunks, ListingWalk listing) {
    try {
      if (run.stage == VerificationRun.Stage.LEGACY) {
        checkLegacyChunk(run, random, chunks, listing);
      } else {
        checkNewPage(run, random);
      }
    } catch (TargetException e) {
      throw newServiceFailed(e);
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

  private void save(VerificationRun run) {
    transactions.run("recording verification progress", tx -> {
      runs.update(tx.connection(), run, clock.instant());
      return null;
    });
  }

  /** Reads the legacy chunk after {@code after} ahead, in a transaction of its own. */
  private void startScan(ReadAhead<List<LegacyRow>> chunks, String after) {
    String what = after == null ? "first verification chunk" : "verification chunk after id " + after;
    chunks.start(() -> transactions.run(what, tx -> tx.scan(after, config.chunkSize(), RowLock.NONE)));
  }

  /**
   * Compares the next legacy chunk, read ahead in {@code chunks}, with the new service: missing and different, and
   * with a {@code listing}, extra within the chunk's key range. Starts reading the chunk after it.
   */
  private void checkLegacyChunk(
      VerificationRun run, SplittableRandom random, ReadAhead<List<LegacyRow>> chunks, ListingWalk listing) {
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
    List<LegacyRow> sampled = sample(rows, random);
    // A first look asks nothing of the outbox: only keys that differ need to know about undelivered changes, and
    // their re-check reads them (a key-by-key lookup for every row would cost more than the rest of the chunk).
    Map<String, TargetDocument> copies =
        listing == null ? readNew(ids(sampled)) : listedCopies(run, random, rows, listing);
    List<Observation> observations = new ArrayList<>(sampled.size());
    for (LegacyRow row : sampled) {
      observations.add(observe(row.id(), row, false, copies.get(row.id())));
    }
    run.compared += sampled.size();
    settle(run, observations);
    run.legacyAfter = last;
  }

  /**
   * Takes the listing up to the chunk's last key, in pieces of at most a chunk: the copies of the chunk's rows are
   * returned, the others are extra (each piece is settled at once, so memory stays bounded however many there are).
   */
  private Map<String, TargetDocument> listedCopies(
      VerificationRun run, SplittableRandom random, List<LegacyRow> rows, ListingWalk listing) {
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
      for (TargetDocument extra : sample(unmatched, random)) {
        extras.add(observe(extra.id(), null, false, extra));
      }
      settle(run, extras);
    }
    return copies;
  }

  /** Looks the next page of the new service's listing up in legacy: extra. */
  private void checkNewPage(VerificationRun run, SplittableRandom random) {
    TargetPage page = target.list(migration.resource(), run.newAfter, config.chunkSize());
    List<TargetDocument> sampled = sample(page.items(), random);
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
      settle(run, observations);
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
   * Checks the suspects among {@code observations} again until each settles, records the verdicts in {@code run} and,
   * for a repair run, repairs the differences.
   */
  private void settle(VerificationRun run, List<Observation> observations) {
    Map<String, Observation> unsettled = new LinkedHashMap<>();
    for (Observation observation : observations) {
      if (observation.verdict() != Verdict.SAME) {
        unsettled.put(observation.id(), observation);
      }
    }
    List<Observation> differences = new ArrayList<>();
    long deadline = System.nanoTime() + config.settleTimeout().toNanos();
    int round = 0;
    while (!unsettled.isEmpty()) {
      if (round > 0 && System.nanoTime() - deadline > 0) {
        for (String id : unsettled.keySet()) {
          run.inFlight++;
          addSample(run.inFlightSamples, id);
        }
        break;
      }
      if (unsettled.values().stream().anyMatch(Observation::pending)) {
        awaitDelivery(unsettled.keySet(), deadline);
      } else if (round > 0) {
        pause(round);
      }
      Map<String, Observation> next = new LinkedHashMap<>();
      for (Observation now : recheck(unsettled.keySet())) {
        if (now.verdict() == Verdict.SAME) {
          continue;
        }
        if (!now.pending() && now.sameAs(unsettled.get(now.id()))) {
          differences.add(now);
        } else {
          next.put(now.id(), now);
        }
      }
      unsettled = next;
      round++;
    }
    for (Observation difference : differences) {
      record(run, difference);
    }
    if (run.repair && !differences.isEmpty()) {
      repair(run, differences);
    }
  }

  private void record(VerificationRun run, Observation difference) {
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
   * extra key. The rows are read again in that transaction with shared locks, so what is sent is legacy's state as of
   * the append, under a version (the outbox row id) newer than anything the new service holds for the key, its
   * tombstones included, and older than any live write that follows.
   */
  private void repair(VerificationRun run, List<Observation> differences) {
    List<Change> repairs = transactions.run("repairing " + differences.size() + " keys", tx -> {
      Map<String, LegacyRow> rows = byId(tx.read(differences.stream().map(Observation::id).toList(), RowLock.SHARED));
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
    if (!repairs.isEmpty()) {
      capture.committed(repairs);
    }
    run.repaired += repairs.size();
  }

  /** Checks {@code ids} again: legacy rows and undelivered ids in one transaction, then the new service. */
  private List<Observation> recheck(Collection<String> ids) {
    LegacyRead read = readLegacy("re-checking " + ids.size() + " keys", ids);
    Map<String, TargetDocument> copies = readNew(ids);
    List<Observation> observations = new ArrayList<>(ids.size());
    for (String id : ids) {
      observations.add(observe(id, read.rows().get(id), read.pending().contains(id), copies.get(id)));
    }
    return observations;
  }

  private LegacyRead readLegacy(String what, Collection<String> ids) {
    return transactions.run(what, tx -> new LegacyRead(byId(tx.read(ids, RowLock.NONE)),
        JdbcOutbox.pendingIds(tx.connection(), entity, ids)));
  }

  private Map<String, TargetDocument> readNew(Collection<String> ids) {
    Map<String, TargetDocument> copies = new HashMap<>();
    if (!ids.isEmpty()) {
      for (TargetDocument copy : target.getMany(migration.resource(), List.copyOf(ids))) {
        copies.put(copy.id(), copy);
      }
    }
    return copies;
  }

  /** Waits until none of {@code ids} has undelivered changes, or the deadline passes. */
  private void awaitDelivery(Collection<String> ids, long deadline) {
    for (int round = 0; System.nanoTime() - deadline < 0; round++) {
      Set<String> pending = transactions.run("waiting for deliveries",
          tx -> JdbcOutbox.pendingIds(tx.connection(), entity, ids));
      if (pending.isEmpty()) {
        return;
      }
      pause(round);
    }
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

  private <T> List<T> sample(List<T> items, SplittableRandom random) {
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

  private DualWriteException newServiceFailed(TargetException e) {
    return new DualWriteException("verify " + entity + ": the new service could not answer: " + e.getMessage()
        + ". The run is kept; verify again to resume it.", e);
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
