package dev.dualwrite.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * dualwrite's own threads: daemons, so that they never keep the application's JVM alive, and named, so that a thread
 * dump says whose they are ({@code dualwrite-...}). Thread-safe.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A daemon thread named {@code name} that runs {@code task}; not started. */
  public static Thread thread(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  /** Daemon threads all named {@code name}, for an executor of one thread. */
  public static ThreadFactory named(String name) {
    return task -> thread(task, name);
  }

  /** Daemon threads named {@code prefix} followed by 1, 2, 3, ... */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> thread(task, prefix + count.incrementAndGet());
  }
}
