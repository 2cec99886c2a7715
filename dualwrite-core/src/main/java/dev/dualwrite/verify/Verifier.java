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
 * <p>Thread-safe; runs execute on the calling thread, one at a time per instance. Run one verification of an entity at
 * a time across nodes.
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
   * Verifies the entity: resumes the entity's last run when it is an unfinished verification with the same sample
   * rate, otherwise starts a new one. Logs the {@linkplain VerificationReport#summary() summary line}.
   *
   * @return what the run found; not {@linkplain VerificationReport#finished() finished} when {@link #stop()} was
   *     called
   * @throws dev.dualwrite.DualWriteException when the legacy database or the new service keeps failing; the run is
   *     kept and the next run resumes it
   * @throws IllegalStateException when this instance is already running
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
