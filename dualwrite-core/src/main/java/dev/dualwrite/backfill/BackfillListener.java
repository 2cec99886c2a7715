package dev.dualwrite.backfill;

/**
 * Hears a backfill's progress: a lambda hears every chunk, the last one included ({@code onProgress(p -> ...)});
 * override {@link #onFinished} to tell the end apart. Called on the thread running the backfill, after a chunk committed: keep it
 * quick. An exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface BackfillListener {

  /** A chunk was committed to the outbox. */
  void onProgress(BackfillProgress progress);

  /** The backfill copied its last row and recorded its end; by default, the last {@link #onProgress}. */
  default void onFinished(BackfillProgress progress) {
    onProgress(progress);
  }
}
