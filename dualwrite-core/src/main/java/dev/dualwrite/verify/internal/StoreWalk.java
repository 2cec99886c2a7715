package dev.dualwrite.verify.internal;

import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.legacy.RowLock;
import dev.dualwrite.legacy.internal.LegacyTransactions;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.TargetPage;
import dev.dualwrite.verify.VerifierConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The walk of both stores in one execution of a verification run, one {@link #step} at a time: legacy chunks in key
 * order, read ahead, each compared with the new service's listing walked beside it ({@link ListingWalk}, when legacy
 * scans in the listing order) or with lookups of its ids; then, unless the listing was walked beside legacy, the
 * pages of the new service's listing, each looked up in legacy. Each step's first observations (sampled at the
 * configured rate) go to the run's {@code settle}; the step moves the run's position. Used by one execution on one
 * thread; not thread-safe. {@link #close} stops its readers.
 */
final class StoreWalk implements AutoCloseable {
  private final VerificationRun run;
  private final String entity;
  private final String resource;
  private final LegacyTransactions transactions;
  private final ServiceReads reads;
  private final SuspectSettling settling;
  private final VerificationProgress progress;
  private final VerifierConfig config;
  private final Consumer<List<Observation>> settle;
  private final SplittableRandom random = new SplittableRandom();
  /** The legacy chunks read ahead, or null when the run is past the legacy walk. */
  private final ReadAhead<List<LegacyRow>> chunks;
  /** The new service's listing walked beside legacy, or null. */
  private final ListingWalk listing;

  /**
   * Starts the readers of the walk from the run's position: when it is in the legacy walk, the first chunk and, when
   * legacy scans in the listing order, the listing.
   *
   * @param settle settles a step's observations together and records their verdicts in the run
   */
  StoreWalk(VerificationRun run, LegacySource source, String resource, LegacyTransactions transactions,
      ServiceReads reads, SuspectSettling settling, VerificationProgress progress, VerifierConfig config,
      Consumer<List<Observation>> settle) {
    this.run = run;
    this.entity = source.entity();
    this.resource = resource;
    this.transactions = transactions;
    this.reads = reads;
    this.settling = settling;
    this.progress = progress;
    this.config = config;
    this.settle = settle;
    boolean legacyWalk = run.stage == VerificationRun.Stage.LEGACY;
    this.chunks = legacyWalk ? new ReadAhead<List<LegacyRow>>("dualwrite-verify-legacy-" + entity) : null;
    try {
      this.listing = legacyWalk && source.scansInListingOrder()
          ? new ListingWalk(reads, entity, resource, run.legacyAfter, config.chunkSize())
          : null;
    } catch (RuntimeException | Error e) {
      if (chunks != null) {
        chunks.close();
      }
      throw e;
    }
    if (chunks != null) {
      try {
        startScan(run.legacyAfter);
      } catch (RuntimeException | Error e) {
        close();
        throw e;
      }
    }
  }

  /** Checks the next legacy chunk, or the next page of the listing, and moves the run's position past it. */
  void step() {
    if (run.stage == VerificationRun.Stage.LEGACY) {
      checkLegacyChunk();
    } else {
      checkNewPage();
    }
  }

  /**
   * Compares the next legacy chunk, read ahead, with the new service: missing and different, and with a listing,
   * extra within the chunk's key range. Starts reading the chunk after it.
   */
  private void checkLegacyChunk() {
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
    startScan(last);
    List<LegacyRow> sampled = sample(rows);
    // A first look asks nothing of the outbox: only keys that differ need to know about undelivered changes, and
    // their re-check reads them (a key-by-key lookup for every row would cost more than the rest of the chunk).
    Map<String, TargetDocument> copies = listing == null ? settling.readNew(ids(sampled)) : listedCopies(rows);
    List<Observation> observations = new ArrayList<>(sampled.size());
    for (LegacyRow row : sampled) {
      observations.add(settling.observe(row.id(), row, false, copies.get(row.id())));
    }
    run.compared += sampled.size();
    progress.walked(rows.size());
    settle.accept(observations);
    run.legacyAfter = last;
  }

  /**
   * Takes the listing up to the chunk's last key, in pieces of at most a chunk: the copies of the chunk's rows are
   * returned, the others are extra (each piece is settled at once, so memory stays bounded however many there are).
   */
  private Map<String, TargetDocument> listedCopies(List<LegacyRow> rows) {
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
        extras.add(settling.observe(extra.id(), null, false, extra));
      }
      settle.accept(extras);
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
          tx -> SuspectSettling.byId(tx.read(ids, RowLock.NONE)).keySet());
      List<Observation> observations = new ArrayList<>();
      for (TargetDocument copy : sampled) {
        if (!inLegacy.contains(copy.id())) {
          observations.add(settling.observe(copy.id(), null, false, copy));
        }
      }
      settle.accept(observations);
    }
    if (page.next() == null || page.items().isEmpty()) {
      run.stage = VerificationRun.Stage.DONE;
    } else if (page.next().equals(run.newAfter)) {
      throw ListingWalk.stalled(entity, resource, run.newAfter, page.next());
    } else {
      run.newAfter = page.next();
    }
  }

  /** Reads the legacy chunk after {@code after} ahead, in a transaction of its own. */
  private void startScan(String after) {
    String what = after == null ? "first verification chunk" : "verification chunk after id " + after;
    chunks.start(() -> transactions.run(what, tx -> tx.scan(after, null, config.chunkSize(), RowLock.NONE)));
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

  private static List<String> ids(List<LegacyRow> rows) {
    return rows.stream().map(LegacyRow::id).toList();
  }

  /** Stops the readers: the listing's, then the legacy chunks'. */
  @Override
  public void close() {
    try {
      if (listing != null) {
        listing.close();
      }
    } finally {
      if (chunks != null) {
        chunks.close();
      }
    }
  }
}
