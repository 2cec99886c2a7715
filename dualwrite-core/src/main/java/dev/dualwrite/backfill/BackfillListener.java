package dev.dualwrite.backfill;

/**
 * Hears a backfill's progress. Every method has a no-op default. Called on the thread running the backfill, after a
 * chunk committed: keep it quick. An exception it throws is logged and ignored.
 */
public interface BackfillListener {

  /** A chunk was committed to the outbox. */
  default void onProgress(BackfillProgress progress) {}

  /** The backfill copied its last row and recorded its end. */
  default void onFinished(BackfillProgress progress) {}
}
