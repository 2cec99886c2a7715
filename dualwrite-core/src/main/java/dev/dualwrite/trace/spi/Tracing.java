package dev.dualwrite.trace.spi;

import dev.dualwrite.trace.ObservedWork;
import dev.dualwrite.trace.Traceparent;

/**
 * What dualwrite asks of the application's tracer: the trace context current on a thread, and observations of its own
 * work. Set with {@code DualWrite.builder().withTracing(...)}; dualwrite-spring sets one over Micrometer when the
 * application has an {@code ObservationRegistry}. {@link #none()} is the default: nothing is stored with the outbox
 * rows and nothing observed.
 *
 * <p>Implementations must be thread-safe and cheap: {@link #current} runs on the application's thread in every
 * transaction that writes a mirrored entity. dualwrite catches what they throw, logs it and goes on without tracing,
 * so a tracer's failure never fails a write or a delivery.
 */
public interface Tracing {

  /** No tracing: no trace context, and observations that record nothing. */
  static Tracing none() {
    return NoTracing.INSTANCE;
  }

  /**
   * The trace context of the span current on the calling thread, as it would be propagated to a callee; called when a
   * transaction appends its changes to the outbox, on that transaction's thread.
   *
   * @return the context, or {@code null} when no span is current (or the trace is not recorded at all)
   */
  Traceparent current();

  /**
   * Starts observing a piece of dualwrite's work on the calling thread and makes it current there (so that
   * {@link #current} is its context) until {@link Scope#close}.
   *
   * @param work what is observed
   * @param entity the tag {@code entity}
   * @param parent the trace context to continue (a relay delivery's stored context); {@code null} to continue what is
   *     current on the thread, if anything
   */
  Scope start(ObservedWork work, String entity, Traceparent parent);

  /**
   * A started observation, current on the thread that started it until closed. Used by that one thread; closed
   * exactly once, in a finally block.
   */
  interface Scope extends AutoCloseable {
    /** Adds a low-cardinality tag (a handful of values per key, see {@link ObservedWork}). */
    void tag(String key, String value);

    /** Records that the work failed with {@code error}. */
    void error(Throwable error);

    /** Ends the observation and restores what was current before {@link Tracing#start}. */
    @Override
    void close();
  }
}
