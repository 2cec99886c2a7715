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
 * (the chunk row whose {@code up_to_id} is empty). A piece is recorded in one transaction that locks its chunk row,
 * checks that the node still holds the lease, adds the tally to the run's counts and samples, and deletes the row (or
 * moves the listing's position): a piece whose lease passed and that another node took over is found not held and its
 * tally dropped, so that every key is counted once. A piece whose node died is taken over once its lease has passed,
 * and at once by the same node's next execution. Used by one execution; {@link #claim} may run on its read-ahead
 * thread beside the execution's thread.
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
   * The next piece for this node: first one left by a dead node (its lease passed) or by an earlier execution of this
   * node, then the next legacy keys after the claimed range, then the listing walk.
   */
  Piece claim() {
    Instant now = clock.instant();
    Instant leaseUntil = now.plus(lease);
    Optional<Chunk> taken = transactions.run("taking over a verification chunk", tx -> {
      for (Chunk chunk : CHUNKS.all(tx.connection(), entity)) {
        boolean orphaned = chunk.owner().equals(node) || chunk.leaseUntil().isBefore(now);
        if (orphaned && !held.contains(chunk.upToId())
            && CHUNKS.takeOver(tx.connection(), entity, chunk, node, leaseUntil, now)) {
          return Optional.of(chunk);
        }
      }
      return Optional.empty();
    });
    if (taken.isPresent()) {
      return takenOver(taken.get());
    }
    return transactions.run("claiming the next verification chunk", tx -> {
      Connection connection = tx.connection();
      Optional<VerificationRun> open = runs.lockOpen(connection, runId);
      if (open.isEmpty()) {
        return Piece.DONE; // finished, or given up for a run with other settings
      }
      VerificationRun run = open.get();
      if (run.stage == VerificationRun.Stage.LEGACY) {
        List<LegacyRow> rows = scanAfter(tx, run.legacyAfter);
        if (!rows.isEmpty()) {
          String upTo = rows.get(rows.size() - 1).id();
          CHUNKS.insert(connection, entity, run.legacyAfter, upTo, node, leaseUntil, now);
          held.add(upTo);
          Piece piece = new Piece(Kind.CHUNK, run.legacyAfter, upTo, rows);
          run.legacyAfter = upTo;
          runs.update(connection, run, now);
          return piece;
        }
        if (!CHUNKS.all(connection, entity).isEmpty()) {
          return Piece.WAIT;
        }
        run.stage = VerificationRun.Stage.NEW;
        // what is listed after legacy's last key has no legacy row in the chunks walked
        run.newAfter = listingBesideLegacy ? run.legacyAfter : null;
        runs.update(connection, run, now);
      }
      if (run.stage == VerificationRun.Stage.DONE) {
        return Piece.DONE;
      }
      if (!CHUNKS.all(connection, entity).isEmpty()) {
        return Piece.WAIT; // another node walks the listing
      }
      CHUNKS.insert(connection, entity, null, LISTING, node, leaseUntil, now);
      held.add(LISTING);
      return new Piece(Kind.LISTING, run.newAfter, LISTING, List.of());
    });
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
   * Adds what a legacy chunk found to the run and ends its lease; false (and nothing added) when the chunk is no
   * longer this node's.
   */
  boolean recordChunk(Piece chunk, VerificationRun tally) {
    boolean recorded = transactions.run("recording the verification chunk up to id " + chunk.upTo(), tx -> {
      Connection connection = tx.connection();
      if (!CHUNKS.lockIfOwned(connection, entity, chunk.upTo(), node)) {
        return false;
      }
      Optional<VerificationRun> run = runs.lockOpen(connection, runId);
      if (run.isEmpty()) {
        return false;
      }
      run.get().add(tally, sampleLimit);
      runs.update(connection, run.get(), clock.instant());
      CHUNKS.delete(connection, entity, chunk.upTo());
      return true;
    });
    held.remove(chunk.upTo());
    if (!recorded) {
      log.info("verify {}: the chunk up to id {} was taken over by another node after its lease passed, or the run"
          + " was given up; what this node found in it is dropped", entity, chunk.upTo());
    }
    return recorded;
  }

  /**
   * Adds what a page of the listing walk found to the run and moves the listing's position from {@code after} to
   * {@code next} ({@code null}: the listing is walked, the run finished), keeping the lease; false (and nothing
   * added) when the walk is no longer this node's.
   */
  boolean recordListing(String after, String next, VerificationRun tally) {
    boolean recorded = transactions.run("recording the verification of the listing after " + after, tx -> {
      Connection connection = tx.connection();
      if (!CHUNKS.lockIfOwned(connection, entity, LISTING, node)) {
        return false;
      }
      Optional<VerificationRun> open = runs.lockOpen(connection, runId);
      if (open.isEmpty() || open.get().stage != VerificationRun.Stage.NEW
          || !Objects.equals(open.get().newAfter, after)) {
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
