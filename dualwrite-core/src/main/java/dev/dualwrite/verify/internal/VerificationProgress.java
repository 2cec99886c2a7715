package dev.dualwrite.verify.internal;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress line of one execution of a verification run: rows compared and their rate, legacy rows left to walk,
 * keys waiting to settle and retried reads, logged at most every 10 seconds. Used by one execution on one thread; not
 * thread-safe.
 */
final class VerificationProgress {
  private static final Logger log = LoggerFactory.getLogger(DefaultVerifier.class);
  private static final long PROGRESS_LOG_NANOS = Duration.ofSeconds(10).toNanos();

  private final String entity;
  private final VerificationRun run;
  private final ServiceReads reads;
  private final long startedNanos = System.nanoTime();
  private final long comparedAtStart;
  private long lastLogNanos = startedNanos;
  /** Legacy rows after the run's position when this execution started, or -1 when past the legacy walk. */
  private long legacyRowsAtStart = -1;
  private long legacyRowsWalked;

  VerificationProgress(String entity, VerificationRun run, ServiceReads reads) {
    this.entity = entity;
    this.run = run;
    this.reads = reads;
    this.comparedAtStart = run.compared;
  }

  /** Sets the legacy rows after the run's position when this execution started. */
  void legacyRowsAtStart(long rows) {
    legacyRowsAtStart = rows;
  }

  /** Counts {@code rows} more legacy rows walked by this execution. */
  void walked(int rows) {
    legacyRowsWalked += rows;
  }

  /**
   * Logs where the run stands, at most every 10 seconds: rows compared and their rate, legacy rows left to walk,
   * keys of the current batch {@code waiting} to settle, and retried reads.
   */
  void log(int waiting) {
    long now = System.nanoTime();
    if (now - lastLogNanos < PROGRESS_LOG_NANOS) {
      return;
    }
    lastLogNanos = now;
    StringBuilder line = new StringBuilder("verify ").append(entity).append(": ").append(run.compared)
        .append(" rows compared so far (")
        .append(Math.round((run.compared - comparedAtStart) / ((now - startedNanos) / 1e9))).append(" rows/s)");
    if (run.stage == VerificationRun.Stage.LEGACY && legacyRowsAtStart >= 0) {
      line.append(", about ").append(Math.max(0, legacyRowsAtStart - legacyRowsWalked)).append(" legacy rows left");
    }
    if (waiting > 0) {
      line.append(", ").append(waiting).append(" keys waiting to settle");
    }
    long retried = reads.retried();
    if (retried > 0) {
      line.append(", ").append(retried).append(" reads of the new service retried");
    }
    line.append(run.stage == VerificationRun.Stage.LEGACY ? "; walking the legacy keys"
        : "; walking the new service's listing");
    log.info("{}", line);
  }
}
