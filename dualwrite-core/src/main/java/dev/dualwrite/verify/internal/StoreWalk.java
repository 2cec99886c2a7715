package dev.dualwrite.verify.internal;

import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.legacy.RowLock;
import dev.dualwrite.legacy.internal.LegacyTransactions;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.TargetPage;
import dev.dualwrite.verify.VerifierConfig;
import dev.dualwrite.verify.internal.SharedRun.Compared;
import dev.dualwrite.verify.internal.SharedRun.Kind;
import dev.dualwrite.verify.internal.SharedRun.Piece;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * One node's walk of both stores in one execution of a shared verification run ({@link SharedRun}), one piece at a
 * time: the next piece is claimed ahead, on a thread of its own, while the current one is compared. A legacy chunk is
 * compared with the new service's listing over its key range ({@link ListingWalk}, when legacy scans in the listing
 * order: missing, different and extra at once) or with lookups of its ids (missing and different); the listing walk
 * then looks what is listed in legacy (extra): what is listed after the last legacy key, or the whole listing when
 * legacy's order is not the listing's. Each piece's first observations (sampled at the configured rate) go to the
 * execution's {@code settle} with the piece's tally, and the tally is recorded with the piece. Used by one execution on
 * one thread; not thread-safe. {@link #close} stops the readers and releases the pieces still held.
 */
final class StoreWalk implements AutoCloseable {
  /** How long a node with no piece to claim waits before it looks again, while other nodes hold the pieces left. */
  private static final long WAIT_FOR_PIECES_MILLIS = 200;


  private final VerificationRun run;
  private final String entity;
  private final String resource;
  private final LegacyTransactions transactions;
  private final ServiceReads reads;
  private final SuspectSettling settling;
  private final VerificationProgress progress;
  private final VerifierConfig config;
  private final SharedRun shared;
  private final boolean listingBesideLegacy;
  private final BiConsumer<List<Observation>, VerificationRun> settle;
  private final SplittableRandom random = new SplittableRandom();
  private final ReadAhead<Piece> claims;
  /** The listing walked beside the legacy chunks, or null; {@link #listedUpTo} says how far it was handed out. */
  private ListingWalk listing;
  private String listedUpTo;
  /** The chunk compared last and not yet handed to a claim to record, or null. */
  private Compared compared;

  /**
   * @param run the run as this execution found it: its settings, for the tallies
   * @param listingBesideLegacy whether legacy scans in the listing order
   * @param settle settles a piece's observations together and records their verdicts in the piece's tally
   */
  StoreWalk(VerificationRun run, String resource, LegacyTransactions transactions, ServiceReads reads,
      SuspectSettling settling, VerificationProgress progress, VerifierConfig config, SharedRun shared,
      boolean listingBesideLegacy, BiConsumer<List<Observation>, VerificationRun> settle) {
    this.run = run;
    this.entity = run.entity;
    this.resource = resource;
    this.transactions = transactions;
    this.reads = reads;
    this.settling = settling;
    this.progress = progress;
    this.config = config;
    this.shared = shared;
    this.listingBesideLegacy = listingBesideLegacy;
    this.settle = settle;
    this.claims = new ReadAhead<>("dualwrite-verify-" + entity);
  }

  /**
   * Verifies pieces of the run until it is finished or {@code stopRequested}: each legacy chunk recorded with the
   * claim that follows its comparison (the claim for the piece after the next one, on the read-ahead thread), or
   * alone when the walk stops; the listing walk recorded a page at a time.
   */
  void walk(BooleanSupplier stopRequested) {
    try {
      walkPieces(stopRequested);
    } catch (RuntimeException e) {
      try {
        recordCompared(); // what was compared before the failure still counts
      } catch (RuntimeException recordFailure) {
        e.addSuppressed(recordFailure);
      }
      throw e;
    }
    recordCompared();
  }

  private void walkPieces(BooleanSupplier stopRequested) {
    claimAhead();
    while (true) {
      Piece piece = claims.take();
      if (piece.kind() == Kind.DONE) {
        return;
      }
      if (piece.kind() == Kind.WAIT) {
        // with a chunk of its own still to record, the node claims again at once: the record may free what it waits for
        if (compared == null && (stopRequested.getAsBoolean() || !pause())) {
          return;
        }
        claimAhead();
        continue;
      }
      if (piece.kind() == Kind.CHUNK) {
        ListingWalk beside = listingFor(piece);
        if (!stopRequested.getAsBoolean()) {
          claimAhead();
        }
        VerificationRun tally = VerificationRun.tally(run);
        long retriedBefore = reads.retried();
        compareChunk(piece, beside, tally);
        tally.retries = reads.retried() - retriedBefore;
        compared = new Compared(piece, tally);
      } else {
        progress.walkingListing();
        walkListing(piece, stopRequested);
        if (!stopRequested.getAsBoolean()) {
          claimAhead();
        }
      }
      if (stopRequested.getAsBoolean()) {
        return;
      }
    }
  }

  /** Records the chunk compared last alone, when no claim follows it. */
  private void recordCompared() {
    if (compared != null) {
      Compared last = compared;
      compared = null;
      shared.record(last);
    }
  }

  /** Claims the next piece on the read-ahead thread, recording the chunk compared last in the same transaction. */
  private void claimAhead() {
    Compared record = compared;
    compared = null;
    claims.start(() -> shared.claim(record));
  }

  /**
   * The listing over {@code chunk}'s key range when legacy scans in the listing order: the walk so far when the chunk
   * follows the one before it, otherwise a new walk from the chunk's first key.
   */
  private ListingWalk listingFor(Piece chunk) {
    if (!listingBesideLegacy) {
      return null;
    }
    if (listing == null || !Objects.equals(listedUpTo, chunk.after())) {
      closeListing();
      listing = new ListingWalk(reads, entity, resource, chunk.after(), config.chunkSize());
    }
    listedUpTo = chunk.upTo();
    return listing;
  }

  private void closeListing() {
    if (listing != null) {
      listing.close();
      listing = null;
    }
  }

  /**
   * Compares a legacy chunk with the new service, in batches of at most a chunk (a chunk taken over can hold more
   * rows than when it was claimed): missing and different, and with a listing, extra within the chunk's key range.
   */
  private void compareChunk(Piece chunk, ListingWalk listing, VerificationRun tally) {
    List<LegacyRow> rows = chunk.rows();
    for (int from = 0; from < rows.size(); from += config.chunkSize()) {
      List<LegacyRow> batch = rows.subList(from, Math.min(rows.size(), from + config.chunkSize()));
      List<LegacyRow> sampled = sample(batch);
      // A first look asks nothing of the outbox: only keys that differ need to know about undelivered changes, and
      // their re-check reads them (a key-by-key lookup for every row would cost more than the rest of the chunk).
      Map<String, TargetDocument> copies = listing == null ? settling.readNew(ids(sampled))
          : listedCopies(listing, batch, batch.get(batch.size() - 1).id(), tally);
      List<Observation> observations = new ArrayList<>(sampled.size());
      for (LegacyRow row : sampled) {
        observations.add(settling.observe(row.id(), row, false, copies.get(row.id())));
      }
      tally.compared += sampled.size();
      progress.walked(sampled.size());
      progress.log(0);
      settle.accept(observations, tally);
    }
    if (listing != null) {
      listedCopies(listing, List.of(), chunk.upTo(), tally); // listed after the chunk's last row still there
    }
  }

  /**
   * Takes the listing up to {@code last}, in pieces of at most a chunk: the copies of {@code rows} are returned, the
   * others are extra (each piece is settled at once, so memory stays bounded however many there are).
   */
  private Map<String, TargetDocument> listedCopies(ListingWalk listing, List<LegacyRow> rows, String last,
      VerificationRun tally) {
    Set<String> legacyIds = new HashSet<>(ids(rows));
    Map<String, TargetDocument> copies = new HashMap<>();
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
      settle.accept(extras, tally);
    }
    return copies;
  }

  /** Walks the new service's listing from the piece's position, a page at a time, each looked up in legacy: extra. */
  private void walkListing(Piece listing, BooleanSupplier stopRequested) {
    String after = listing.after();
    while (true) {
      VerificationRun tally = VerificationRun.tally(run);
      long retriedBefore = reads.retried();
      TargetPage page = reads.list(after, config.chunkSize());
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
        settle.accept(observations, tally);
      }
      progress.log(0);
      String next = page.next() == null || page.items().isEmpty() ? null : page.next();
      if (next != null && next.equals(after)) {
        throw ListingWalk.stalled(entity, resource, after, next);
      }
      tally.retries = reads.retried() - retriedBefore;
      if (!shared.recordListing(after, next, tally) || next == null || stopRequested.getAsBoolean()) {
        return;
      }
      after = next;
    }
  }

  /** Waits before the next claim; false when interrupted. */
  private boolean pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(WAIT_FOR_PIECES_MILLIS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
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

  /**
   * Waits for a claim still running ahead, stops the readers and releases the pieces this execution holds, so that
   * the next node to claim takes them at once.
   */
  @Override
  public void close() {
    try {
      closeListing();
      if (claims.started()) {
        try {
          claims.take();
        } catch (RuntimeException e) {
          // the claim failed: it holds nothing, or what it holds is released below
        }
      }
      shared.releaseHeld();
    } finally {
      claims.close();
    }
  }
}
