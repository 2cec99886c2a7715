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
import dev.dualwrite.internal.NodeServices;
import dev.dualwrite.jdbc.internal.Jdbc;
import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.legacy.RowLock;
import dev.dualwrite.legacy.internal.LegacyTransactions;
import dev.dualwrite.legacy.internal.RunControl;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.ChangeOrigin;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.Phases;
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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Backfill} that {@link dev.dualwrite.backfill.BackfillBuilder} builds.
 *
 * <p>One chunk is one legacy transaction: lock the checkpoint row, scan the next rows after its last id, append their
 * snapshots to the outbox and advance the checkpoint, then commit. The rows are read with shared row locks, because a
 * change's version is its outbox row id: a live write to a row of the chunk then either committed before the read (and
 * is in the snapshot) or waits for the chunk to commit (and gets a higher version). A copy is thereby newer than
 * whatever an earlier mirroring stretch left in the new service, tombstones included, and older than every live write
 * that follows it.
 * Thread-safe.
 */
public final class DefaultBackfill implements Backfill {
  private static final Logger log = LoggerFactory.getLogger(DefaultBackfill.class);

  private final String entity;
  private final EntityMigration migration;
  private final LegacySource source;
  private final LegacyTransactions transactions;
  private final ChangeCapture capture;
  private final Phases phases;
  private final BackfillConfig config;
  private final RateLimiter<Object> throttle;
  /**
   * The node's clock, ticked to microseconds: what dualwrite's timestamp columns keep, so that a recorded time reads
   * back equal.
   */
  private final Clock clock;
  private final RunControl control;
  private final GuardedTracing tracing;

  /** What one chunk's transaction did: the checkpoint after it and the changes it appended. */
  private record Chunk(BackfillCheckpoint checkpoint, List<Change> changes) {}

  /** Runs on {@code dualWrite}'s node, with its capture and clock. */
  public DefaultBackfill(DualWrite dualWrite, LegacySource source, BackfillConfig config) {
    NodeServices node = NodeServices.of(dualWrite);
    this.entity = source.entity();
    this.migration = dualWrite.entity(entity);
    this.source = source;
    this.transactions = new LegacyTransactions(source);
    this.capture = node.capture().orElseThrow(() -> new IllegalStateException(
        "no outbox: configure withDataSource(...) with the monolith's database"));
    this.phases = dualWrite.phases();
    this.control = new RunControl("backfill", entity, phases);
    this.tracing = node.tracing();
    this.config = config;
    this.clock = Clock.tick(node.clock(), Duration.ofNanos(1000));
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
        startId == null ? "starting from the first key" : "resuming after id " + startId, rowsAtStart, config);
    long startedNanos = System.nanoTime();
    long lastLogNanos = startedNanos;
    long rowsThisRun = 0;
    BackfillCheckpoint checkpoint = start;
    while (!control.stopRequested()) {
      requireMirroringPhase();
      String after = checkpoint.lastId();
      String what = after == null ? "first backfill chunk" : "backfill chunk after id " + after;
      Chunk chunk = tracing.observe(ObservedWork.BACKFILL_CHUNK, entity, Map.of(), () -> transactions.run(what, tx -> {
        BackfillCheckpoint locked = BackfillTable.lock(tx.connection(), entity);
        if (locked.finished()) {
          return new Chunk(locked, List.of());
        }
        List<LegacyRow> rows = tx.scan(locked.lastId(), config.chunkSize(), RowLock.SHARED);
        Instant now = clock.instant();
        if (rows.isEmpty()) {
          BackfillTable.finish(tx.connection(), entity, now);
          return new Chunk(BackfillTable.lock(tx.connection(), entity), List.of());
        }
        List<Change> changes = new ArrayList<>(rows.size());
        for (LegacyRow row : rows) {
          changes.add(Change.of(entity, migration.resource(), row.id(), ChangeOperation.UPSERT, row.payload(),
              ChangeOrigin.BACKFILL));
        }
        List<Change> appended = capture.append(tx.connection(), changes);
        String lastId = rows.get(rows.size() - 1).id();
        BackfillTable.advance(tx.connection(), entity, lastId, rows.size(), now);
        return new Chunk(new BackfillCheckpoint(entity, lastId, locked.rowsDone() + rows.size(),
            locked.startedAt(), now, null), appended);
      }), done -> done.checkpoint().finished() ? "finished" : "copied");
      checkpoint = chunk.checkpoint();
      int copied = chunk.changes().size();
      if (copied > 0) {
        capture.committed(chunk.changes());
      }
      rowsThisRun += copied;
      long now = System.nanoTime();
      BackfillProgress progress = progress(checkpoint, rowsThisRun, rowsAtStart, now - startedNanos);
      if (checkpoint.finished()) {
        log.info("{} ({} rows in all)", progress.describe(), checkpoint.rowsDone());
        notify(progress, true);
        return checkpoint;
      }
      notify(progress, false);
      if (now - lastLogNanos >= config.progressLogInterval().toNanos()) {
        log.info(progress.describe());
        lastLogNanos = now;
      }
      throttle(copied);
    }
    log.info("backfill {}: stopped after id {} ({} rows copied by this run, {} in all); run it again to resume",
        entity, checkpoint.lastId(), rowsThisRun, checkpoint.rowsDone());
    return checkpoint;
  }

  private BackfillProgress progress(BackfillCheckpoint checkpoint, long rowsThisRun, long rowsAtStart, long nanos) {
    double seconds = nanos / 1e9;
    double rate = seconds > 0 ? rowsThisRun / seconds : 0;
    long rowsLeft = checkpoint.finished() ? 0 : Math.max(0, rowsAtStart - rowsThisRun);
    Duration timeLeft = rate > 0 ? Duration.ofMillis((long) (rowsLeft / rate * 1000)) : null;
    return new BackfillProgress(entity, checkpoint.rowsDone(), rowsThisRun, rate, rowsLeft, timeLeft,
        checkpoint.lastId(), checkpoint.finished());
  }

  private void notify(BackfillProgress progress, boolean finished) {
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
