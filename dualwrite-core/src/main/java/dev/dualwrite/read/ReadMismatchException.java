package dev.dualwrite.read;

import dev.dualwrite.DualWriteException;

/**
 * Thrown to the caller in test mode ({@link ReadRouterBuilder#withTestMode}) when the two stores disagree on a read,
 * or when comparing them failed. Never thrown outside test mode. The message is cleaned like every report.
 */
public class ReadMismatchException extends DualWriteException {
  private final transient Mismatch mismatch;

  public ReadMismatchException(Mismatch mismatch) {
    super("reads disagree: " + mismatch.describe() + ". Fix the new service's copy (backfill, repair) or, for an"
        + " accepted difference, add a normaliser, ignored field or ignore rule to the ReadRouter.");
    this.mismatch = mismatch;
  }

  public ReadMismatchException(String message, Throwable cause) {
    super(message, cause);
    this.mismatch = null;
  }

  /** The report, or null when comparing failed rather than disagreed (see the cause). */
  public Mismatch mismatch() {
    return mismatch;
  }
}
