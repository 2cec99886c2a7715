package dev.dualwrite.verify;

import dev.dualwrite.DualWrite;
import dev.dualwrite.legacy.LegacySource;
import java.util.Optional;

/**
 * Proves that the legacy database and the new service hold the same entities, and repairs what differs.
 *
 * <pre>{@code
 * Verifier verifier = Verifier.builder(dualWrite, DualWriteHibernate.legacySource(sessionFactory, "users")).build();
 * VerificationReport report = verifier.verify();
 * log.info(report.summary());          // verify users: compared=100000 missing=0 extra=0 different=0
 * if (!report.isClean()) {
 *   VerificationReport repair = verifier.repair(); // re-sends what differs and confirms it arrived
 *   log.info(repair.describe());                   // what was repaired, and why any key was not
 * }
 * }</pre>
 *
 * <p>A run walks the legacy rows in key order, in chunks, and reads the same ids from the new service (missing,
 * different); then it walks the new service's key-ordered listing and looks those ids up in legacy (extra). The keys
 * of a chunk that differ are checked again together, waiting for the undelivered changes each check saw, until two
 * checks agree with no undelivered change in between, so that a write racing the verifier never shows as a
 * difference; keys that do not settle within 8 checks and the settle timeout are reported in flight. A read of the new service that
 * fails for a moment (no answer, 5xx, 408, 429) is tried again ({@link VerifierBuilder#withReadRetries}). Each run is
 * recorded in {@code dualwrite_verification}: a stopped run is resumed by the next, and the latest finished run is the
 * entity's last verification result.
 *
 * <p>Several nodes verify an entity together: a node that verifies while the entity has an open run with the same
 * settings (repair or not, sample rate) joins it. The nodes claim chunks of the key range, each leased to one node in
 * {@code dualwrite_verification_chunks} ({@link VerifierBuilder#withChunkLease}), and add what each chunk found to the
 * run's counts as they record it, so that every key is counted once; a chunk whose node died is taken over once its
 * lease passes. When legacy does not scan in the listing order, the walk of the new service's listing (extra) is done
 * by one node. Every node's {@link #verify()} returns when the run is finished, with the whole run's report.
 *
 * <p>Thread-safe; runs execute on the calling thread, one at a time per entity and node.
 */
public interface Verifier {

  /**
   * Starts the configuration of a verifier of {@code source}'s entity.
   *
   * @param dualWrite the node's dualwrite, with a target client that can read ({@code getMany}, {@code list})
   * @param source the entity's legacy rows, on the database that holds dualwrite's tables
   */
  static VerifierBuilder builder(DualWrite dualWrite, LegacySource source) {
    return new VerifierBuilder(dualWrite, source);
  }

  /** The entity this verifier checks. */
  String entity();

  /** The settings it runs with. */
  VerifierConfig config();

  /**
   * Verifies the entity: joins the entity's open run (unfinished, stopped or being verified by other nodes) when it is
   * a verification with the same sample rate, otherwise gives it up and starts a new one. Returns when the run is
   * finished (by this node and the others) or this node is stopped. Logs the
   * {@linkplain VerificationReport#summary() summary line}.
   *
   * @return what the run found; not {@linkplain VerificationReport#finished() finished} when {@link #stop()} was
   *     called
   * @throws dev.dualwrite.DualWriteException when the legacy database or the new service keeps failing; the run is
   *     kept and the next run resumes it
   * @throws IllegalStateException when this node is already verifying the entity, or when another node is working
   *     on an open run with other settings
   */
  VerificationReport verify();

  /**
   * Verifies the entity as {@link #verify()} does and repairs each difference as it is found: appends a fresh
   * snapshot (origin {@code REPAIR}) for missing and different rows, and a tombstone for extra ones, read and appended
   * under shared row locks. Each carries a fresh version (its outbox row id), newer than anything dualwrite sent for
   * the key, tombstones of deleted-and-re-created ids included. Then, per chunk, it waits at most the settle timeout
   * for the relay (this node's or another's) to deliver them and reads both stores again:
   * {@link VerificationReport#repaired()} counts the keys the new service then holds in legacy's state,
   * {@link VerificationReport#notRepaired()} the others, each sample with its reason (not delivered in time,
   * dead-lettered, or answered STALE because the service holds a version above dualwrite's sequence).
   *
   * @throws dev.dualwrite.DualWriteException also when the entity is not in a phase that mirrors legacy to new
   */
  VerificationReport repair();

  /** Asks a running {@link #verify()} or {@link #repair()} to stop after its current chunk. */
  void stop();

  /** The entity's latest finished run (this node's or another's), or empty when none finished yet. */
  Optional<VerificationReport> lastReport();
}
