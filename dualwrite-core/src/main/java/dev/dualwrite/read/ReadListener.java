package dev.dualwrite.read;

/**
 * Hears what a {@link ReadRouter} does besides serving: comparisons and their outcome, shadow reads dropped because
 * the executor was full, fallbacks to legacy, and errors of comparators, rules and cleaners. Every method has a no-op
 * default; implement the ones you need, e.g. to feed metrics.
 *
 * <p>Called on the router's threads (a shadow executor thread, the shadow timeout thread, or the caller's for drops,
 * fallbacks and in test mode): keep it quick and thread-safe. An exception is logged, counted as an error and
 * ignored; it never reaches the caller.
 */
public interface ReadListener {

  /** Both stores agreed. */
  default void onMatched(ComparedRead read) {}

  /** The stores disagreed. The report is cleaned: it holds no sensitive field's value. */
  default void onMismatched(Mismatch mismatch) {}

  /** The stores' answers were not compared because an {@link IgnoreRule} recognised them. */
  default void onIgnored(ComparedRead read) {}

  /** A shadow read was not run because the shadow executor was full. */
  default void onDropped(String entity, String key) {}

  /**
   * In {@code NEW_READS}, the new service's read of a canary key failed (or timed out) and legacy served it instead.
   *
   * @param failure what the new-service read threw; its message may quote the service's answer
   */
  default void onFallback(String entity, String key, Throwable failure) {}

  /** A snapshot, normaliser, rule, comparator, cleaner or listener threw; the read was served regardless. */
  default void onError(String entity, String key, Throwable error) {}
}
