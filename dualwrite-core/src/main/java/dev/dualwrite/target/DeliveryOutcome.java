package dev.dualwrite.target;

/** What became of one change sent to the new service. */
public enum DeliveryOutcome {
  /** The service applied the change. */
  APPLIED,
  /** The service already held this version or a newer one and changed nothing: delivered all the same. */
  STALE,
  /** The service refused the change for good (a permanent 4xx): it becomes a dead letter. */
  REJECTED,
  /** The service could not take the change now: it is retried with backoff. */
  RETRY;

  /** Whether the change has reached the service (applied, or superseded there). */
  public boolean delivered() {
    return this == APPLIED || this == STALE;
  }
}
