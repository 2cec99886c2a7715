package dev.dualwrite.verify.internal;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress line of one node's execution of a verification run: rows this node compared and their rate, keys
 * waiting to settle, retried reads and which walk it is in, logged at most every 10 seconds. Used by one execution on
 * one thread; not thread-safe.
 */
final class VerificationProgress {
  private static final Logger log = LoggerFactory.getLogger(DefaultVerifier.class);
  private static final long PROGRESS_LOG_NANOS = Duration.ofSeconds(10).toNanos();

  private final String entity;
  private final ServiceReads reads;
  private final long startedNanos = System.nanoTime();
  private long lastLogNanos = startedNanos;
  private long compared;
  private boolean walkingListing;

  VerificationProgress(String entity, ServiceReads reads) {
    this.entity = entity;
    this.reads = reads;
  }

  /** Counts {@code rows} more legacy rows compared by this execution. */
  void walked(int rows) {
    compared += rows;
  }

  /** Says that this execution walks the new service's listing from now on. */
  void walkingListing() {
    walkingListing = true;
  }

  /**
   * Logs where this execution stands, at most every 10 seconds: rows compared and their rate, keys of the current
   * batch {@code waiting} to settle, and retried reads.
   */
  void log(int waiting) {
    long now = System.nanoTime();
    if (now - lastLogNanos < PROGRESS_LOG_NANOS) {
      return;
    }
    lastLogNanos = now;
    StringBuilder line = new StringBuilder("verify ").append(entity).append(": ").append(compared)
        .append(" rows compared by this node (")
        .append(Math.round(compared / ((now - startedNanos) / 1e9))).append(" rows/s)");
    if (waiting > 0) {
      line.append(", ").append(waiting).append(" keys waiting to settle");
    }
    long retried = reads.retried();
    if (retried > 0) {
      line.append(", ").append(retried).append(" reads of the new service retried");
    }
    line.append(walkingListing ? "; walking the new service's listing" : "; walking the legacy keys");
    log.info("{}", line);
  }
}
