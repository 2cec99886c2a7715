package dev.dualwrite.verify.internal;

import dev.dualwrite.DualWriteException;
import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.legacy.LegacyTransaction;
import dev.dualwrite.legacy.RowLock;
import dev.dualwrite.legacy.internal.LegacyTransactions;
import dev.dualwrite.storage.internal.ChunkLeasesTable;
import dev.dualwrite.storage.internal.ChunkLeasesTable.Chunk;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An entity's open verification run as the nodes verifying it share it: the pieces they claim, each leased to one
 * node in {@code dualwrite_verification_chunks} ({@link ChunkLeasesTable#VERIFICATION}), and what each finds, added to
 * the run's row when the piece is recorded.
 *
 * <p>A piece is a chunk of the legacy key range (the next {@code chunkSize} keys after the range claimed so far,
 * claimed under the lock of the run's row, which then says how far the range is claimed) or, once every legacy chunk
 * is recorded, the walk of the new service's listing from the run's {@code new_after}, which one node at a time holds
 * (the chunk row whose {@code up_to_id} is empty). A piece is recorded in a transaction that locks the run's row,
 * ends the node's lease of the piece if the node still holds it (a delete, or for the listing a lock, that finds no
 * row otherwise), adds the tally to the run's counts and samples (or moves the listing's position); a legacy chunk is
 * recorded in the transaction that claims the node's next piece but one, its lease row turned into the lease of the
 * chunk claimed, so that the node writes once per chunk and its comparing thread not at all. Every transaction of the
 * run locks the run's row before any chunk row. A piece whose lease passed and that another node took over is found
 * not held and its tally dropped, so that every key is counted once. A piece whose node died is taken over once its
 * lease has passed (a node looks for such pieces at its first claim, after waiting, and once a second:
 * {@link ChunkLeasesTable#LEFT_CHUNKS_SEARCH_INTERVAL}), and at once by the same node's next execution. Used by one
 * execution; {@link #claim} runs on its read-ahead thread, one claim at a time, beside the execution's thread.
 */
final class SharedRun {
  private static final Logger log = LoggerFactory.getLogger(DefaultVerifier.class);
  private static final ChunkLeasesTable CHUNKS = ChunkLeasesTable.VERIFICATION;
  /** The {@code up_to_id} of the lease of the listing walk: never a key (a key is not empty). */
  static final String LISTING = "";

  /** What a claim found. */
  enum Kind {
    /** A chunk of legacy keys to compare. */
    CHUNK,
    /** The walk of the new service's listing, from {@link Piece#after}. */
    LISTING,
    /** Nothing to claim now: other nodes hold the pieces left. */
    WAIT,
    /** The run is finished. */
    DONE
  }

  /**
   * A claimed piece of the run.
   *
   * @param after the last key before the piece ({@code null}: from the first); for the listing, the listing's
   *     position
   * @param upTo the chunk's last key, or {@link #LISTING}
   * @param rows the chunk's legacy rows, read when it was claimed
   */
  record Piece(Kind kind, String after, String upTo, List<LegacyRow> rows) {
    static final Piece WAIT = new Piece(Kind.WAIT, null, null, List.of());
    static final Piece DONE = new Piece(Kind.DONE, null, null, List.of());
  }

  private final long runId;
  private final String entity;
  private final LegacyTransactions transactions;
  private final VerificationRuns runs;
  private final String node;
  private final int chunkSize;
  private final Duration lease;
  private final int sampleLimit;
  private final boolean listingBesideLegacy;
  private final Clock clock;
  /** When this execution last looked for chunks left by others, or null: at its next claim. Used by claims alone. */
  private Instant lastLeftSearch;
  /** The pieces this execution holds: claimed and not yet recorded or released. */
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  /**
   * @param listingBesideLegacy whether each legacy chunk is compared with the listing over its key range, so that the
   *     listing walk only covers what is listed after the last legacy key
   */
  SharedRun(long runId, String entity, LegacyTransactions transactions, VerificationRuns runs, String node,
      int chunkSize, Duration lease, int sampleLimit, boolean listingBesideLegacy, Clock clock) {
    this.runId = runId;
    this.entity = entity;
    this.transactions = transactions;
    this.runs = runs;
    this.node = node;
    this.chunkSize = chunkSize;
    this.lease = lease;
    this.sampleLimit = sampleLimit;
    this.listingBesideLegacy = listingBesideLegacy;
    this.clock = clock;
  }

  /**
   * A legacy chunk this node has compared, and what it found there, to be recorded with the next claim.
   *
   * @param chunk the chunk as it was claimed
   * @param tally what was found in it
   */
  record Compared(Piece chunk, VerificationRun tally) {}

  /** What the claim's transaction did: the piece claimed or taken over, and whether the compared chunk was recorded. */
  private record Claimed(Piece piece, Chunk takenOver, boolean recorded) {}

  /**
   * Records {@code compared} ({@code null}: nothing to record) and claims the next piece for this node, in one
   * transaction: first a piece left by a dead node (its lease passed) or by an earlier execution of this node, then
   * the next legacy keys after the claimed range, then the listing walk. The record locks the compared chunk's row,
   * checks that this node still holds it, adds its tally to the run and deletes the row, as {@link #record}
   * does; a node verifying alone so writes once per chunk, as the claim's transaction.
   */
  Piece claim(Compared compared) {
    Instant now = clock.instant();
    Instant leaseUntil = now.plus(lease);
    Claimed claimed;
    try {
      claimed = claimAndRecord(compared, now, leaseUntil);
    } catch (RuntimeException e) {
      if (compared != null) {
        try {
          record(compared); // what was compared still counts when the next claim fails
        } catch (RuntimeException recordFailure) {
          e.addSuppressed(recordFailure);
        }
      }
      throw e;
    }
    if (compared != null) {
      recorded(compared, claimed.recorded());
    }
    if (claimed.takenOver() != null) {
      return takenOver(claimed.takenOver());
    }
    Piece piece = claimed.piece();
    if (piece.kind() == Kind.CHUNK || piece.kind() == Kind.LISTING) {
      held.add(piece.upTo());
    }
    return piece;
  }

  private Claimed claimAndRecord(Compared compared, Instant now, Instant leaseUntil) {
    boolean searchLeft = lastLeftSearch == null
        || !now.isBefore(lastLeftSearch.plus(ChunkLeasesTable.LEFT_CHUNKS_SEARCH_INTERVAL));
    Claimed claimed = transactions.run("claiming the next verification chunk", tx -> {
      Connection connection = tx.connection();
      // the run's row first, then chunk rows: the order every transaction of the run takes its locks in. It is a
      // locking read, so every plain read below comes after the run's lock: on MariaDB and MySQL, where a transaction
      // reads the snapshot of its first plain read, it sees every claim committed before.
      Optional<VerificationRun> open = runs.lockOpen(connection, runId);
      if (open.isEmpty()) {
        return new Claimed(Piece.DONE, null, false); // finished, or given up for a run with other settings
      }
      VerificationRun run = open.get();
      Chunk orphan = searchLeft ? CHUNKS.takeOverLeft(connection, entity, node, held, leaseUntil, now).orElse(null)
          : null;
      String claimedUpTo = run.legacyAfter;
      VerificationRun.Stage stage = run.stage;
      List<LegacyRow> rows = orphan == null && run.stage == VerificationRun.Stage.LEGACY
          ? scanAfter(tx, run.legacyAfter) : List.of();
      String upTo = rows.isEmpty() ? null : rows.get(rows.size() - 1).id();
      boolean owned = false;
      boolean leased = false;
      if (compared != null) {
        String comparedUpTo = compared.chunk().upTo();
        // the compared chunk's lease becomes the next chunk's: one row written for both
        leased = upTo != null
            && CHUNKS.moveIfOwned(connection, entity, comparedUpTo, node, run.legacyAfter, upTo, leaseUntil, now);
        owned = leased || upTo == null && CHUNKS.deleteIfOwned(connection, entity, comparedUpTo, node);
        if (owned) {
          run.add(compared.tally(), sampleLimit);
        }
      }
      Piece piece = orphan != null ? null : next(connection, run, rows, leased, now, leaseUntil);
      if (owned || run.stage != stage || !Objects.equals(run.legacyAfter, claimedUpTo)) {
        runs.update(connection, run, now);
      }
      return new Claimed(piece, orphan, owned);
    });
    // a node that waits for other nodes' pieces looks for lapsed ones at its next claim
    lastLeftSearch = claimed.piece() == Piece.WAIT ? null : searchLeft ? now : lastLeftSearch;
    return claimed;
  }

  /**
   * The next piece after the claimed range of {@code run}, locked: a chunk of legacy keys, the {@code rows} read after
   * the claimed range (its lease inserted unless {@code leased}, and the run's position moved), the listing walk (the
   * run moved to its stage), or a wait while other nodes hold the pieces left.
   */
  private Piece next(Connection connection, VerificationRun run, List<LegacyRow> rows, boolean leased, Instant now,
      Instant leaseUntil) throws SQLException {
    if (run.stage == VerificationRun.Stage.LEGACY) {
      if (!rows.isEmpty()) {
        String upTo = rows.get(rows.size() - 1).id();
        if (!leased) {
          CHUNKS.insert(connection, entity, run.legacyAfter, upTo, node, leaseUntil, now);
        }
        Piece piece = new Piece(Kind.CHUNK, run.legacyAfter, upTo, rows);
        run.legacyAfter = upTo;
        return piece;
      }
      if (!CHUNKS.all(connection, entity).isEmpty()) {
        return Piece.WAIT;
      }
      run.stage = VerificationRun.Stage.NEW;
      // what is listed after legacy's last key has no legacy row in the chunks walked
      run.newAfter = listingBesideLegacy ? run.legacyAfter : null;
    }
    if (run.stage == VerificationRun.Stage.DONE) {
      return Piece.DONE;
    }
    if (!CHUNKS.all(connection, entity).isEmpty()) {
      return Piece.WAIT; // another node walks the listing
    }
    CHUNKS.insert(connection, entity, null, LISTING, node, leaseUntil, now);
    return new Piece(Kind.LISTING, run.newAfter, LISTING, List.of());
  }

  /** The next chunk's rows after the claimed range, failing with the chunk's position. */
  private List<LegacyRow> scanAfter(LegacyTransaction tx, String after) {
    try {
      return tx.scan(after, null, chunkSize, RowLock.NONE);
    } catch (SQLException | RuntimeException e) {
      throw new DualWriteException(entity + ": " + (after == null ? "first verification chunk"
          : "verification chunk after id " + after) + " failed on the legacy database: " + e, e);
    }
  }

  private Piece takenOver(Chunk chunk) {
    held.add(chunk.upToId());
    log.info("verify {}: taking over the {}, claimed by {} and not recorded", entity,
        chunk.upToId().equals(LISTING) ? "walk of the new service's listing"
            : (chunk.afterId() == null ? "first chunk" : "chunk after id " + chunk.afterId()) + " up to id "
                + chunk.upToId(),
        chunk.owner().equals(node) ? "an earlier execution on this node"
            : "node " + chunk.owner() + " (lease ended " + chunk.leaseUntil() + ")");
    if (chunk.upToId().equals(LISTING)) {
      String after = current().newAfter;
      return new Piece(Kind.LISTING, after, LISTING, List.of());
    }
    List<LegacyRow> rows = transactions.run("reading the verification chunk after id " + chunk.afterId(), tx -> {
      List<LegacyRow> read = new ArrayList<>();
      String after = chunk.afterId();
      while (true) {
        List<LegacyRow> page = tx.scan(after, chunk.upToId(), chunkSize, RowLock.NONE);
        read.addAll(page);
        if (page.size() < chunkSize) {
          return read;
        }
        after = page.get(page.size() - 1).id();
        if (after.equals(chunk.upToId())) {
          return read;
        }
      }
    });
    return new Piece(Kind.CHUNK, chunk.afterId(), chunk.upToId(), rows);
  }

  /**
   * Records {@code compared} alone, when no claim follows it: adds what it found to the run and ends its lease, or
   * drops it when the chunk is no longer this node's.
   */
  void record(Compared compared) {
    boolean recorded = transactions.run("recording the verification chunk up to id " + compared.chunk().upTo(),
        tx -> {
          Connection connection = tx.connection();
          Optional<VerificationRun> run = runs.lockOpen(connection, runId);
          if (run.isEmpty() || !CHUNKS.deleteIfOwned(connection, entity, compared.chunk().upTo(), node)) {
            return false;
          }
          run.get().add(compared.tally(), sampleLimit);
          runs.update(connection, run.get(), clock.instant());
          return true;
        });
    recorded(compared, recorded);
  }

  private void recorded(Compared compared, boolean recorded) {
    held.remove(compared.chunk().upTo());
    if (!recorded) {
      logDropped(compared.chunk());
    }
  }

  private void logDropped(Piece chunk) {
    log.info("verify {}: the chunk up to id {} was taken over by another node after its lease passed, or the run"
        + " was given up; what this node found in it is dropped", entity, chunk.upTo());
  }

  /**
   * Adds what a page of the listing walk found to the run and moves the listing's position from {@code after} to
   * {@code next} ({@code null}: the listing is walked, the run finished), keeping the lease; false (and nothing
   * added) when the walk is no longer this node's.
   */
  boolean recordListing(String after, String next, VerificationRun tally) {
    boolean recorded = transactions.run("recording the verification of the listing after " + after, tx -> {
      Connection connection = tx.connection();
      Optional<VerificationRun> open = runs.lockOpen(connection, runId);
      if (open.isEmpty() || open.get().stage != VerificationRun.Stage.NEW
          || !Objects.equals(open.get().newAfter, after) || !CHUNKS.lockIfOwned(connection, entity, LISTING, node)) {
        return false;
      }
      VerificationRun run = open.get();
      Instant now = clock.instant();
      run.add(tally, sampleLimit);
      if (next == null) {
        run.stage = VerificationRun.Stage.DONE;
        run.finishedAt = now;
        CHUNKS.delete(connection, entity, LISTING);
      } else {
        run.newAfter = next;
        CHUNKS.extend(connection, entity, LISTING, node, now.plus(lease));
      }
      runs.update(connection, run, now);
      return true;
    });
    if (!recorded || next == null) {
      held.remove(LISTING);
    }
    if (!recorded) {
      log.info("verify {}: the walk of the listing was taken over by another node after its lease passed, or the run"
          + " was given up; what this node found after {} is dropped", entity, after);
    }
    return recorded;
  }

  /** Ends the leases of the pieces this execution still holds, so that the next node to claim takes them at once. */
  void releaseHeld() {
    for (String upTo : List.copyOf(held)) {
      try {
        transactions.run("releasing a verification chunk", tx ->
            CHUNKS.extend(tx.connection(), entity, upTo, node, clock.instant()));
        held.remove(upTo);
      } catch (RuntimeException e) {
        log.warn("verify {}: could not release the chunk up to id '{}'; another node takes it over when its lease"
            + " passes: {}", entity, upTo, e.toString());
      }
    }
  }

  /** The run as recorded now. */
  VerificationRun current() {
    return transactions.run("reading the verification run", tx -> runs.byId(tx.connection(), runId));
  }

  /** Starts the entity's run over: deletes the chunks claimed for an earlier one. */
  static void deleteChunks(Connection connection, String entity) throws SQLException {
    CHUNKS.deleteAll(connection, entity);
  }
}
