package dev.dualwrite.test.service;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** The fault knobs of a {@link ReferenceMirrorService}: a delay before every answer and a run of failing answers. */
final class Faults {
  /** A run of failures still to answer: {@code remaining} more requests get {@code status}. */
  record Failure(int remaining, int status) {}

  private static final Failure NONE = new Failure(0, 0);

  private volatile long delayNanos;
  private final AtomicReference<Failure> failures = new AtomicReference<>(NONE);

  void respondSlowly(Duration delay) {
    long nanos;
    try {
      nanos = delay.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = Long.MAX_VALUE;
    }
    delayNanos = nanos;
  }

  long delayNanos() {
    return delayNanos;
  }

  void failNext(int count, int status) {
    failures.set(count == 0 ? NONE : new Failure(count, status));
  }

  /**
   * Takes one failure from the run for the request that just arrived, or returns null when the request is to be
   * served normally. The returned failure's {@code remaining} counts the failures left after this one.
   */
  Failure takeFailure() {
    Failure current;
    Failure next;
    do {
      current = failures.get();
      if (current.remaining() == 0) {
        return null;
      }
      next = current.remaining() == 1 ? NONE : new Failure(current.remaining() - 1, current.status());
    } while (!failures.compareAndSet(current, next));
    return next == NONE ? new Failure(0, current.status()) : next;
  }
}
