package dev.dualwrite.hibernate.internal;

import java.sql.SQLException;

/**
 * Marks the writes the reverse sync makes on a thread: the new service's changes applied to legacy. The listeners do
 * not capture them (no echo back into the outbox) nor refuse them in {@code NEW_ONLY}, and the bulk-write guard lets
 * their statements through.
 */
final class ReverseSyncWrites {
  private static final ThreadLocal<Boolean> ACTIVE = ThreadLocal.withInitial(() -> Boolean.FALSE);

  private ReverseSyncWrites() {}

  /** Work that writes legacy rows. */
  @FunctionalInterface
  interface Work {
    void run() throws SQLException;
  }

  /** Runs {@code work} with this thread's writes marked as the reverse sync's. */
  static void run(Work work) throws SQLException {
    boolean outer = ACTIVE.get();
    ACTIVE.set(Boolean.TRUE);
    try {
      work.run();
    } finally {
      ACTIVE.set(outer);
    }
  }

  /** Whether this thread's writes are the reverse sync's now. */
  static boolean active() {
    return ACTIVE.get();
  }
}
