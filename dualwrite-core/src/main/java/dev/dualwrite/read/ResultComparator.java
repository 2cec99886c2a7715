package dev.dualwrite.read;

/**
 * Decides whether a legacy result and a new-service result of one read say the same, when they are of different
 * types or when comparing their JSON snapshots is not the right test. Without one, the router compares normalised
 * snapshots (see {@link ReadRouterBuilder}).
 *
 * <p>Called on a shadow executor thread (or the caller's, in test mode), after the caller has the served result: do
 * not rely on the caller's transaction or session, and expect the served value as the caller may have left it.
 * Must be thread-safe. An exception is counted as an error and never reaches the caller.
 *
 * @param <L> the legacy result's type
 * @param <N> the new service's result's type
 */
@FunctionalInterface
public interface ResultComparator<L, N> {

  /**
   * Whether the two results agree.
   *
   * @param legacy the legacy result, may be null
   * @param newService the new service's result, may be null
   */
  boolean same(L legacy, N newService);
}
