package dev.dualwrite.read.internal;

import dev.dualwrite.internal.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs shadow reads off the caller's thread: on a bounded executor (full: dropped and counted), each with a timeout
 * after which its comparison goes ahead with a {@link TimeoutException} in place of the answer. A read cut short by
 * {@link #close()} or by an interruption is abandoned: neither compared nor counted as a mismatch. In test mode it
 * runs them on the caller's thread instead. Thread-safe.
 */
final class ShadowRunner implements AutoCloseable {
  private final String entity;
  private final Executor executor;
  private final ThreadPoolExecutor ownExecutor;
  private final ScheduledThreadPoolExecutor timer;
  private final long timeoutNanos;
  private final ReadEvents events;
  private volatile boolean closed;

  /** One shadow read in flight: whichever of its answer and its timeout comes first is compared, once. */
  private static final class InFlight extends AtomicBoolean {
    private final Consumer<Observed> compare;
    private ScheduledFuture<?> timeout;

    InFlight(Consumer<Observed> compare) {
      this.compare = compare;
    }

    void answered(Observed answer) {
      if (compareAndSet(false, true)) {
        timeout.cancel(false);
        compare.accept(answer);
      }
    }

    /** Gives the read up without comparing it; false when it was compared (or given up) already. */
    boolean abandon() {
      if (!compareAndSet(false, true)) {
        return false;
      }
      if (timeout != null) {
        timeout.cancel(false);
      }
      return true;
    }
  }

  /**
   * @param given the user's executor, or null for the router's own
   * @param inline whether to run shadow reads on the caller's thread (test mode)
   */
  ShadowRunner(String entity, Executor given, Duration timeout, boolean inline, int threads, int queue,
      ReadEvents events) {
    this.entity = entity;
    this.events = events;
    this.timeoutNanos = timeout.toNanos();
    if (inline) {
      this.ownExecutor = null;
      this.executor = null;
      this.timer = null;
      return;
    }
    this.ownExecutor = given != null ? null : new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queue), DaemonThreads.numbered("dualwrite-shadow-" + entity + "-"),
        new ThreadPoolExecutor.AbortPolicy());
    this.executor = given != null ? given : ownExecutor;
    this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.numbered("dualwrite-shadow-timeout-" + entity + "-"));
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Reads the other store with {@code otherSide} in the background and hands its answer (or a timeout) to
   * {@code compare}, exactly once; or, when the executor is full or the runner closed, drops it and counts each key.
   */
  void run(List<String> keys, Supplier<Observed> otherSide, Consumer<Observed> compare) {
    if (executor == null) {
      compare.accept(otherSide.get());
      return;
    }
    InFlight read = new InFlight(compare);
    try {
      read.timeout = timer.schedule(() -> {
        if (closed) {
          abandon(read, keys, "the router closed");
        } else if (read.compareAndSet(false, true)) {
          compare.accept(Observed.failure(new TimeoutException("shadow read of " + entity + " " + keys
              + " took more than " + Duration.ofNanos(timeoutNanos)), timeoutNanos));
        }
      }, timeoutNanos, TimeUnit.NANOSECONDS);
      executor.execute(() -> {
        Observed answer = otherSide.get();
        if (answer.failed() && (closed || Thread.currentThread().isInterrupted() || interrupted(answer.failure))) {
          abandon(read, keys, closed ? "the router closed" : "it was interrupted");
        } else {
          read.answered(answer);
        }
      });
    } catch (RejectedExecutionException e) {
      if (read.compareAndSet(false, true)) {
        if (read.timeout != null) {
          read.timeout.cancel(false);
        }
        keys.forEach(events::dropped);
      }
    }
  }

  private void abandon(InFlight read, List<String> keys, String why) {
    if (read.abandon()) {
      events.abandoned(keys, why);
    }
  }

  /** Whether {@code failure} comes from an interrupted thread (a thread pool shutting down), not from the store. */
  private static boolean interrupted(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InterruptedException || t instanceof java.nio.channels.ClosedByInterruptException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    closed = true;
    if (timer != null) {
      timer.shutdownNow();
    }
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
      try {
        // the interrupted reads end and are abandoned before close returns, so nothing is compared after it
        ownExecutor.awaitTermination(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
