package dev.dualwrite.verify.internal;

import dev.dualwrite.internal.DaemonThreads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * One read running ahead of its reader, on a thread of its own: {@link #start} the next read as soon as the previous
 * one is {@link #take taken}, and the store answers while the reader compares. Holds at most one read. Used by one
 * verification run's thread; {@link #close} stops the thread.
 */
final class ReadAhead<T> implements AutoCloseable {
  private final ExecutorService thread;
  private CompletableFuture<T> next;

  ReadAhead(String threadName) {
    this.thread = Executors.newSingleThreadExecutor(DaemonThreads.named(threadName));
  }

  /** Starts {@code read}; the previous one must have been taken. */
  void start(Supplier<T> read) {
    if (next != null) {
      throw new IllegalStateException("the previous read was not taken");
    }
    next = CompletableFuture.supplyAsync(read, thread);
  }

  /** Whether a read was started and not taken yet. */
  boolean started() {
    return next != null;
  }

  /** Waits for the started read: its result, or what it threw, as thrown. */
  T take() {
    CompletableFuture<T> read = next;
    next = null;
    try {
      return read.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error failure) {
        throw failure;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
