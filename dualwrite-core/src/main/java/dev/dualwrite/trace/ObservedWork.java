package dev.dualwrite.trace;

/**
 * The kinds of dualwrite's own work that are observed through {@link dev.dualwrite.trace.spi.Tracing#start}, each
 * with its observation name. Every observation has the low-cardinality tag {@code entity} (the migration entity's
 * name; {@code several} for a relay delivery whose batch holds changes of more than one) and, when it ends, the tag
 * {@code outcome}; a verification run also has {@code repair}. No tag takes ids, keys or counts.
 */
public enum ObservedWork {
  /**
   * One request of the relay to the new service: a claimed batch of changes, sent once. It continues the trace of the
   * first change of the batch that has a stored trace context. {@code outcome}: {@code delivered} (every change
   * applied or already held newer), {@code rejected} (some change refused for good or to be tried again, the others
   * delivered) or {@code failed} (the request as a whole failed; every change is tried again).
   */
  RELAY_DELIVERY("dualwrite.relay.delivery"),

  /**
   * One chunk of a backfill: a claimed chunk of legacy rows copied in one transaction, straight to the new service or
   * through the outbox. The rows it appends to the outbox carry its trace context, so their deliveries continue its
   * trace. {@code outcome}: {@code copied}, {@code taken over} (its lease had passed and another node copies it),
   * {@code failed}.
   */
  BACKFILL_CHUNK("dualwrite.backfill.chunk"),

  /**
   * One execution of a verification or repair run, from its start (or resumption) to its report. {@code repair}:
   * {@code true} or {@code false}. {@code outcome}: {@code agreed} (nothing missing, extra, different or in flight),
   * {@code differed}, {@code stopped} (stopped before the end), {@code failed}.
   */
  VERIFICATION_RUN("dualwrite.verification.run");

  private final String observationName;

  ObservedWork(String observationName) {
    this.observationName = observationName;
  }

  /** The name of the observation (and of the timer a Micrometer meter handler makes of it). */
  public String observationName() {
    return observationName;
  }
}
