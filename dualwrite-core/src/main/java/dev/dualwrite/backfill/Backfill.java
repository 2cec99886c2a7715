package dev.dualwrite.backfill;

import dev.dualwrite.DualWrite;
import dev.dualwrite.legacy.LegacySource;
import java.util.Optional;

/**
 * Copies one entity's existing legacy rows to the new service: splits the key range into chunks as it goes, claims
 * them (several threads and nodes side by side, a lease per chunk) and copies each in one transaction, reading its rows
 * with shared locks in key order (keyset pagination). The snapshots go straight to the new service in batches when
 * this node delivers the entity, through the outbox otherwise or when the service does not take them; either way
 * under a version from the change sequence and the version rule, so a backfilled snapshot never overwrites a newer
 * live change.
 *
 * <pre>{@code
 * Backfill backfill = Backfill.builder(dualWrite, DualWriteHibernate.legacySource(sessionFactory, "users"))
 *     .withChunkSize(1000)
 *     .withThreads(2)
 *     .withRowsPerSecond(20_000)
 *     .onProgress(p -> metrics.record(p))
 *     .build();
 * BackfillCheckpoint done = backfill.run();     // resumes from the checkpoint after a crash or stop()
 * }</pre>
 *
 * <p>The entity must be in a phase that mirrors legacy to new ({@code DUAL_WRITE}, {@code SHADOW_READS} or
 * {@code NEW_READS}), so that every row changed after its copy is mirrored again. Several nodes may run the backfill
 * of one entity at once: chunks are claimed under the checkpoint row's lock, so they share the work and never copy a
 * chunk twice, and a chunk whose node died is taken over once its lease has passed.
 *
 * <p>Thread-safe; {@link #run()} copies on the calling thread (and as many more as {@code withThreads} says), one run
 * per instance at a time.
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
   *     legacy database keeps failing; the copied chunks stay copied, and a later run copies the claimed ones first
   * @throws IllegalStateException when this instance is already running
   */
  BackfillCheckpoint run();

  /** Asks a running {@link #run()} to stop after each thread's current chunk. Does nothing when not running. */
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
