package dev.dualwrite.backfill;

import dev.dualwrite.DualWrite;
import dev.dualwrite.legacy.LegacySource;
import java.util.Optional;

/**
 * Copies one entity's existing legacy rows to the new service: scans them in key order (keyset pagination), in chunks,
 * and appends each row's snapshot to the outbox with its version, origin {@code BACKFILL}, in one transaction per
 * chunk together with the checkpoint. The relay delivers the snapshots like live writes, under the version rule, so a
 * backfilled snapshot never overwrites a newer live change.
 *
 * <pre>{@code
 * Backfill backfill = Backfill.builder(dualWrite, DualWriteHibernate.legacySource(sessionFactory, "users"))
 *     .withChunkSize(1000)
 *     .withRowsPerSecond(20_000)
 *     .onProgress(p -> metrics.record(p))
 *     .build();
 * BackfillCheckpoint done = backfill.run();     // resumes from the checkpoint after a crash or stop()
 * }</pre>
 *
 * <p>The entity must be in a phase that mirrors legacy to new ({@code DUAL_WRITE}, {@code SHADOW_READS} or
 * {@code NEW_READS}), so that every row changed after its copy is mirrored again. Several nodes may run the backfill
 * of one entity at once: each chunk locks the checkpoint row, so they share the work and never copy a chunk twice.
 *
 * <p>Thread-safe; {@link #run()} runs on the calling thread, one run per instance at a time.
 */
public interface Backfill {

  /**
   * Starts the configuration of the backfill of {@code source}'s entity.
   *
   * @param dualWrite the node's dualwrite, with a data source (the outbox lives there)
   * @param source the entity's legacy rows, on the database that holds dualwrite's tables
   */
  static BackfillBuilder builder(DualWrite dualWrite, LegacySource source) {
    return new BackfillBuilder(dualWrite, source);
  }

  /** The entity this backfill copies. */
  String entity();

  /** The settings it runs with. */
  BackfillConfig config();

  /**
   * Runs the backfill from its checkpoint (from the first key when there is none) until every row is copied or
   * {@link #stop()} is called, and records each chunk and the end in the checkpoint. Returns at once when the
   * checkpoint says the backfill already finished; {@link #reset()} to copy everything again.
   *
   * @return the checkpoint when the run ended: {@linkplain BackfillCheckpoint#finished() finished}, or where it stopped
   * @throws dev.dualwrite.DualWriteException when the entity is not in a phase that mirrors legacy to new, or the
   *     legacy database keeps failing; the checkpoint keeps the last committed chunk, so a later run resumes there
   * @throws IllegalStateException when this instance is already running
   */
  BackfillCheckpoint run();

  /** Asks a running {@link #run()} to stop after its current chunk. Does nothing when not running. */
  void stop();

  /** The entity's checkpoint, or empty when no backfill of it has started (or since {@link #reset()}). */
  Optional<BackfillCheckpoint> checkpoint();

  /**
   * Forgets the checkpoint: the next {@link #run()} copies every row again from the first key. Harmless for the new
   * service (older snapshots are STALE there), but it sends every row again.
   *
   * @throws IllegalStateException when this instance is running
   */
  void reset();
}
