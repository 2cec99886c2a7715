package dev.dualwrite.backfill.internal;

import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.backfill.BackfillCheckpoint;
import dev.dualwrite.backfill.BackfillConfig;
import dev.dualwrite.backfill.BackfillListener;
import dev.dualwrite.backfill.BackfillProgress;
import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.internal.DaemonThreads;
import dev.dualwrite.internal.NodeServices;
import dev.dualwrite.jdbc.internal.Jdbc;
import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.legacy.RowLock;
import dev.dualwrite.legacy.internal.LegacyTransactions;
import dev.dualwrite.legacy.internal.RunControl;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.storage.internal.ChunkLeasesTable;
import dev.dualwrite.storage.internal.ChunkLeasesTable.Chunk;
import dev.dualwrite.storage.internal.BackfillTable;
import dev.dualwrite.trace.ObservedWork;
import dev.dualwrite.trace.internal.GuardedTracing;
import dev.failsafe.RateLimiter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Backfill} that {@link dev.dualwrite.backfill.BackfillBuilder} builds.
 *
 * <p>The key range is split into chunks as it goes: a node claims the next {@code chunkSize} keys under the lock of the
 * entity's checkpoint row (a chunk row in {@code dualwrite_backfill_chunks}, leased to the node, and the checkpoint's
 * {@code last_id} moved to the chunk's last key), then copies the chunk in one legacy transaction of its own: lock the
 * chunk's row and check the lease, read the chunk's rows with shared row locks, copy them ({@link DirectCopy}), delete
 * the chunk's row and add its rows to the checkpoint, commit. Several threads and several nodes claim chunks beside
 * each other; a chunk whose node died is taken over once its lease has passed (at once by a later run of the same
 * node). The shared locks give the copies their place in the change sequence: a live write to a row of the chunk
 * either committed before the read (and is in the snapshot, with a lower version) or waits for the chunk to commit
 * (and gets a higher version). Thread-safe.
 */
public final class DefaultBackfill implements Backfill {
  private static final Logger log = LoggerFactory.getLogger(DefaultBackfill.class);
  /** How often a thread with no chunk to claim looks again, while other chunks are being copied. */
  private static final Duration WAIT_FOR_CHUNKS = Duration.ofMillis(200);
  private static final ChunkLeasesTable CHUNKS = ChunkLeasesTable.BACKFILL;

  private final String entity;
  private final LegacySource source;
  private final LegacyTransactions transactions;
  private final ChangeCapture capture;
  private final DirectCopy copy;
  private final Phases phases;
  private final BackfillConfig config;
  private final RateLimiter<Object> throttle;
  private final String node;
  /**
   * The node's clock, ticked to microseconds: what dualwrite's timestamp columns keep, so that a recorded time reads
   * back equal.
   */
  private final Clock clock;
  private final RunControl control;
  private final GuardedTracing tracing;

  /** What copying one chunk did: the checkpoint after it, its rows and the changes it appended to the outbox. */
  private record Copied(BackfillCheckpoint checkpoint, int rows, List<Change> queued) {}

  /** What a claim found: a chunk to copy, nothing to claim yet (other chunks are being copied), or the end. */
  private record Claim(Chunk chunk, boolean finished) {
    static final Claim WAIT = new Claim(null, false);
    static final Claim FINISHED = new Claim(null, true);
  }

  /** One run's shared state: what its threads copied and the chunks they hold. */
  private final class Run {
    final long startedNanos = System.nanoTime();
    final long rowsAtStart;
    final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    final ReentrantLock claiming = new ReentrantLock();
    /** When a claim last looked for chunks left by others, or null: at the next claim. Guarded by {@link #claiming}. */
    Instant lastLeftSearch;
    final AtomicLong rowsThisRun = new AtomicLong();
    volatile long lastLogNanos = startedNanos;

    Run(long rowsAtStart) {
      this.rowsAtStart = rowsAtStart;
    }
  }

  /** Runs on {@code dualWrite}'s node, with its capture and clock. */
  public DefaultBackfill(DualWrite dualWrite, LegacySource source, BackfillConfig config) {
    NodeServices services = NodeServices.of(dualWrite);
    this.entity = source.entity();
    EntityMigration migration = dualWrite.entity(entity);
    this.source = source;
    this.transactions = new LegacyTransactions(source);
    this.capture = services.capture().orElseThrow(() -> new IllegalStateException(
        "no outbox: configure withDataSource(...) with the monolith's database"));
    this.phases = dualWrite.phases();
    this.control = new RunControl("backfill", entity, phases);
    this.tracing = services.tracing();
    this.config = config;
    this.node = services.name();
    this.clock = Clock.tick(services.clock(), Duration.ofNanos(1000));
    this.copy = new DirectCopy(entity, migration.resource(), services, capture, clock);
    this.throttle = config.rowsPerSecond() == 0 ? null
        : RateLimiter.smoothBuilder(config.rowsPerSecond(), Duration.ofSeconds(1)).build();
  }

  @Override
  public String entity() {
    return entity;
  }

  @Override
  public BackfillConfig config() {
    return config;
  }

  @Override
  public BackfillCheckpoint run() {
    control.start();
    try {
      requireMirroringPhase();
      waitUntilEveryNodeMirrors();
      BackfillCheckpoint checkpoint = start();
      Instant mirroringSince = mirroringSince();
      if (mirroringSince != null && checkpoint.startedAt().isBefore(mirroringSince)) {
        // rows changed or deleted while mirroring was off are stale in the new service: copy every row again
        log.info("backfill {}: the checkpoint (started {}, {} rows) is from before mirroring began again at {};"
            + " starting over from the first key", entity, checkpoint.startedAt(), checkpoint.rowsDone(),
            mirroringSince);
        deleteCheckpoint();
        checkpoint = start();
      }
      if (checkpoint.finished()) {
        log.info("backfill {}: already finished at {} ({} rows); reset() it to copy every row again", entity,
            checkpoint.finishedAt(), checkpoint.rowsDone());
        return checkpoint;
      }
      return copyFrom(checkpoint);
    } finally {
      control.finish();
    }
  }

  private BackfillCheckpoint copyFrom(BackfillCheckpoint start) {
    String startId = start.lastId();
    long rowsAtStart = transactions.run("counting the rows to copy", tx -> tx.countAfter(startId));
    log.info("backfill {}: {} ({} rows to copy, {})", entity,
        startId == null ? "starting from the first key" : "continuing after id " + startId + " and with the chunks"
            + " claimed before it that are not copied yet", rowsAtStart, config);
    Run run = new Run(rowsAtStart);
    if (config.threads() == 1) {
      copyChunks(run);
    } else {
      ExecutorService threads = Executors.newFixedThreadPool(config.threads(),
          DaemonThreads.numbered("dualwrite-backfill-" + entity + "-"));
      try {
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < config.threads(); i++) {
          workers.add(threads.submit(() -> {
            try {
              copyChunks(run);
            } catch (RuntimeException | Error e) {
              control.requestStop(); // the other threads end after their current chunk, and the run fails
              throw e;
            }
          }));
        }
        RuntimeException failure = null;
        for (Future<?> worker : workers) {
          try {
            worker.get();
          } catch (ExecutionException e) {
            control.requestStop();
            if (failure == null) {
              failure = e.getCause() instanceof RuntimeException r ? r
                  : new DualWriteException("backfill " + entity + " failed: " + e.getCause(), e.getCause());
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            control.requestStop();
          }
        }
        if (failure != null) {
          throw failure;
        }
      } finally {
        threads.shutdownNow();
      }
    }
    BackfillCheckpoint checkpoint = checkpoint().orElseThrow(() -> new IllegalStateException("the backfill"
        + " checkpoint of '" + entity + "' disappeared while the backfill ran (reset by another node?); run the"
        + " backfill again"));
    BackfillProgress progress = progress(run, checkpoint, run.rowsThisRun.get());
    if (checkpoint.finished()) {
      log.info("{} ({} rows in all)", progress.describe(), checkpoint.rowsDone());
      notify(progress, true);
    } else {
      log.info("backfill {}: stopped with the key range claimed up to id {} ({} rows copied by this run, {} in"
          + " all); run it again to resume", entity, checkpoint.lastId(), run.rowsThisRun.get(),
          checkpoint.rowsDone());
    }
    return checkpoint;
  }

  /** One thread's work: claim a chunk, copy it, until every chunk is copied or the run is asked to stop. */
  private void copyChunks(Run run) {
    while (!control.stopRequested()) {
      requireMirroringPhase();
      Claim claim = claim(run);
      if (claim.finished()) {
        return;
      }
      if (claim.chunk() == null) {
        pause(WAIT_FOR_CHUNKS);
        continue;
      }
      Chunk chunk = claim.chunk();
      try {
        Copied copied = tracing.observe(ObservedWork.BACKFILL_CHUNK, entity, Map.of(), () -> copy(chunk),
            done -> done == null ? "taken over" : "copied");
        if (copied == null) {
          continue;
        }
        if (!copied.queued().isEmpty()) {
          capture.committed(copied.queued());
        }
        // the count this chunk brought the run to, not a later one: each progress a listener sees is its own
        long rowsThisRun = run.rowsThisRun.addAndGet(copied.rows());
        BackfillProgress progress = progress(run, copied.checkpoint(), rowsThisRun);
        notify(progress, false);
        long now = System.nanoTime();
        if (now - run.lastLogNanos >= config.progressLogInterval().toNanos()) {
          run.lastLogNanos = now;
          log.info(progress.describe());
        }
        throttle(copied.rows());
      } finally {
        run.inFlight.remove(chunk.upToId());
      }
    }
  }

  /**
   * The next chunk for this thread: first a chunk left by a dead node (its lease passed) or by an earlier run of this
   * node, then the next keys after the claimed range. One thread of the node claims at a time.
   */
  private Claim claim(Run run) {
    run.claiming.lock();
    try {
      Instant now = clock.instant();
      Instant leaseUntil = now.plus(config.chunkLease());
      Optional<Chunk> taken = Optional.empty();
      if (run.lastLeftSearch == null
          || !now.isBefore(run.lastLeftSearch.plus(ChunkLeasesTable.LEFT_CHUNKS_SEARCH_INTERVAL))) {
        taken = transactions.run("taking over a backfill chunk",
            tx -> CHUNKS.takeOverLeft(tx.connection(), entity, node, run.inFlight, leaseUntil, now));
        run.lastLeftSearch = now;
      }
      if (taken.isPresent()) {
        Chunk left = taken.get();
        log.info("backfill {}: taking over the chunk after id {} up to id {}, claimed by {} and not copied", entity,
            left.afterId(), left.upToId(), left.owner().equals(node) ? "an earlier run of this node"
                : "node " + left.owner() + " (lease ended " + left.leaseUntil() + ")");
        run.inFlight.add(left.upToId());
        return new Claim(new Chunk(left.afterId(), left.upToId(), node, leaseUntil), false);
      }
      Claim claim = transactions.run("claiming the next backfill chunk", tx -> {
        BackfillCheckpoint locked = BackfillTable.lock(tx.connection(), entity);
        if (locked.finished()) {
          return Claim.FINISHED;
        }
        List<String> ids = tx.scanIds(locked.lastId(), config.chunkSize());
        if (ids.isEmpty()) {
          if (!CHUNKS.all(tx.connection(), entity).isEmpty()) {
            return Claim.WAIT;
          }
          BackfillTable.finish(tx.connection(), entity, now);
          return Claim.FINISHED;
        }
        String upTo = ids.get(ids.size() - 1);
        CHUNKS.insert(tx.connection(), entity, locked.lastId(), upTo, node, leaseUntil, now);
        BackfillTable.claimTo(tx.connection(), entity, upTo, now);
        return new Claim(new Chunk(locked.lastId(), upTo, node, leaseUntil), false);
      });
      if (claim.chunk() != null) {
        run.inFlight.add(claim.chunk().upToId());
      } else if (claim == Claim.WAIT) {
        run.lastLeftSearch = null; // a node that waits for other nodes' chunks looks for lapsed ones at its next claim
      }
      return claim;
    } finally {
      run.claiming.unlock();
    }
  }

  /**
   * Copies one claimed chunk in one transaction; {@code null} when the chunk is no longer this node's (its lease
   * passed and another node took it over).
   */
  private Copied copy(Chunk chunk) {
    String what = chunk.afterId() == null ? "backfill chunk up to id " + chunk.upToId()
        : "backfill chunk after id " + chunk.afterId();
    Copied copied = transactions.run(what, tx -> {
      if (!CHUNKS.lockIfOwned(tx.connection(), entity, chunk.upToId(), node)) {
        return null;
      }
      int rows = 0;
      List<Change> queued = new ArrayList<>();
      String after = chunk.afterId();
      while (true) {
        List<LegacyRow> page = tx.scan(after, chunk.upToId(), config.chunkSize(), RowLock.SHARED);
        if (!page.isEmpty()) {
          queued.addAll(copy.copy(tx.connection(), page));
          rows += page.size();
          after = page.get(page.size() - 1).id();
        }
        if (page.size() < config.chunkSize() || after.equals(chunk.upToId())) {
          break;
        }
      }
      Instant now = clock.instant();
      CHUNKS.delete(tx.connection(), entity, chunk.upToId());
      return new Copied(BackfillTable.addRows(tx.connection(), entity, rows, now), rows, queued);
    });
    if (copied == null) {
      log.info("backfill {}: the chunk up to id {} was taken over by another node after its lease passed; skipped",
          entity, chunk.upToId());
    }
    return copied;
  }

  private void pause(Duration wait) {
    try {
      TimeUnit.NANOSECONDS.sleep(wait.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      control.requestStop();
    }
  }

  private BackfillProgress progress(Run run, BackfillCheckpoint checkpoint, long rowsThisRun) {
    double seconds = (System.nanoTime() - run.startedNanos) / 1e9;
    double rate = seconds > 0 ? rowsThisRun / seconds : 0;
    long rowsLeft = checkpoint.finished() ? 0 : Math.max(0, run.rowsAtStart - rowsThisRun);
    Duration timeLeft = rate > 0 ? Duration.ofMillis((long) (rowsLeft / rate * 1000)) : null;
    return new BackfillProgress(entity, checkpoint.rowsDone(), rowsThisRun, rate, rowsLeft, timeLeft,
        checkpoint.lastId(), checkpoint.finished());
  }

  /** Tells the listeners, one call at a time. */
  private synchronized void notify(BackfillProgress progress, boolean finished) {
    for (BackfillListener listener : config.listeners()) {
      try {
        if (finished) {
          listener.onFinished(progress);
        } else {
          listener.onProgress(progress);
        }
      } catch (RuntimeException e) {
        log.warn("backfill {}: a progress listener failed; ignored: {}", entity, e.toString(), e);
      }
    }
  }

  /** Holds the next chunk back so that the run stays within the configured rows per second. */
  private void throttle(int rows) {
    if (throttle == null || rows == 0) {
      return;
    }
    try {
      throttle.acquirePermits(rows);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      control.requestStop();
    }
  }

  /** The checkpoint, created at the first key when there is none (by this node or, concurrently, another). */
  private BackfillCheckpoint start() {
    Optional<BackfillCheckpoint> existing = checkpoint();
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      source.inTransaction(tx -> {
        BackfillTable.create(tx.connection(), entity, clock.instant());
        return null;
      });
    } catch (SQLException | RuntimeException e) {
      if (!isConstraintViolation(e)) {
        throw new DualWriteException("backfill " + entity + ": cannot create its checkpoint in dualwrite_backfill: "
            + e + ". Check that dualwrite's tables exist (migrations db/migration/dualwrite/<database>/ in dualwrite-core).", e);
      }
      log.debug("backfill {}: another node created the checkpoint first", entity);
    }
    return checkpoint().orElseThrow();
  }

  private static boolean isConstraintViolation(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException sql && Jdbc.isConstraintViolation(sql)) {
        return true;
      }
    }
    return false;
  }

  private void requireMirroringPhase() {
    control.requireMirroringPhase("backfill", "legacy writes are not mirrored to the new service, so rows changed"
        + " after their copy would go stale there. Move " + entity + " to DUAL_WRITE (or SHADOW_READS, NEW_READS)"
        + " first.");
  }

  /** When the current mirroring stretch began: the last move into a phase that mirrors from one that does not. */
  private Instant mirroringSince() {
    Instant since = null;
    for (PhaseMove move : phases.history(entity)) {
      if (move.to().mirrorsLegacyToNew() && !move.from().mirrorsLegacyToNew()) {
        since = move.at();
      }
    }
    return since;
  }

  /**
   * Waits, after a recent move, until every node sees the phase (at most the phases' staleness bound), so that no
   * node still writes the entity without mirroring when the first rows are copied.
   */
  private void waitUntilEveryNodeMirrors() {
    PhaseState state = phases.state(entity);
    Duration wait = Duration.between(clock.instant(), state.changedAt().plus(phases.maxStaleness()));
    if (wait.isNegative() || wait.isZero()) {
      return;
    }
    if (wait.compareTo(phases.maxStaleness()) > 0) {
      wait = phases.maxStaleness();
    }
    log.info("backfill {}: waiting {} ms until every node sees the move to {}", entity, wait.toMillis(),
        state.phase());
    try {
      TimeUnit.NANOSECONDS.sleep(wait.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DualWriteException("backfill of " + entity + " interrupted before it started", e);
    }
  }

  @Override
  public void stop() {
    control.requestStop();
  }

  @Override
  public Optional<BackfillCheckpoint> checkpoint() {
    return transactions.run("reading the backfill checkpoint",
        tx -> BackfillTable.read(tx.connection(), entity));
  }

  private void deleteCheckpoint() {
    transactions.run("resetting the backfill checkpoint", tx -> {
      CHUNKS.deleteAll(tx.connection(), entity);
      BackfillTable.delete(tx.connection(), entity);
      return null;
    });
  }

  @Override
  public void reset() {
    if (control.running()) {
      throw new IllegalStateException("the backfill of '" + entity + "' is running; stop() it before reset()");
    }
    deleteCheckpoint();
    log.info("backfill {}: checkpoint reset; the next run copies every row from the first key", entity);
  }
}
