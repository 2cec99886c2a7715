package dev.dualwrite.read;

/**
 * Recognises a known, accepted difference between the two stores' answers to one read, so that it is counted as
 * ignored instead of reported as a mismatch. A rule sees both whole observations: values, snapshots, or the exceptions
 * thrown. Rules run before the comparison, in the order added; the first that ignores wins.
 *
 * <p>Called on a shadow executor thread (or the caller's, in test mode). Must be thread-safe and quick. An exception
 * is counted as an error and never reaches the caller.
 */
@FunctionalInterface
public interface IgnoreRule {

  /**
   * Whether to ignore this pair of answers.
   *
   * @param key the read's key, as a string
   * @param legacy what legacy answered
   * @param newService what the new service answered
   */
  boolean ignores(String key, Observation legacy, Observation newService);

  /** Ignores every pair where either store failed or timed out: compare data only, not availability. */
  static IgnoreRule failures() {
    return (key, legacy, newService) -> legacy.failed() || newService.failed();
  }
}
