package dev.dualwrite.trace.internal;

import dev.dualwrite.trace.ObservedWork;
import dev.dualwrite.trace.Traceparent;
import dev.dualwrite.trace.spi.Tracing;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link Tracing}, as its parts use it: what the application's tracer throws is logged (at WARN the first
 * time, then at DEBUG) and taken as no tracing, so that it never fails a write, a delivery, a backfill or a
 * verification. Thread-safe.
 */
public final class GuardedTracing {
  private static final Logger log = LoggerFactory.getLogger(GuardedTracing.class);

  private final Tracing tracing;
  private volatile boolean warned;

  public GuardedTracing(Tracing tracing) {
    this.tracing = Objects.requireNonNull(tracing, "tracing");
  }

  /** The context current on the calling thread, or {@code null}: none, or the tracer failed. */
  public Traceparent current() {
    try {
      return tracing.current();
    } catch (RuntimeException e) {
      failed("read the current trace context", e);
      return null;
    }
  }

  /** {@link Tracing#start}; an observation that does nothing when the tracer fails, and none of whose calls throws. */
  public Tracing.Scope start(ObservedWork work, String entity, Traceparent parent) {
    Tracing.Scope observation;
    try {
      observation = tracing.start(work, entity, parent);
    } catch (RuntimeException e) {
      failed("start the observation " + work.observationName(), e);
      return Tracing.none().start(work, entity, parent);
    }
    return new Tracing.Scope() {
      @Override
      public void tag(String key, String value) {
        guard(() -> observation.tag(key, value), "tag the observation " + work.observationName());
      }

      @Override
      public void error(Throwable error) {
        guard(() -> observation.error(error), "record an error on the observation " + work.observationName());
      }

      @Override
      public void close() {
        guard(observation::close, "end the observation " + work.observationName());
      }
    };
  }

  /**
   * Runs {@code body} as an observation of {@code work} continuing what is current on the thread, with {@code tags}
   * besides {@code entity}, tagged {@code outcome} with what {@code outcome} says of its result, or {@code failed}
   * when it throws (which is rethrown).
   */
  public <T> T observe(ObservedWork work, String entity, Map<String, String> tags, Supplier<T> body,
      Function<? super T, String> outcome) {
    try (Tracing.Scope observation = start(work, entity, null)) {
      tags.forEach(observation::tag);
      T result;
      try {
        result = body.get();
      } catch (RuntimeException | Error e) {
        observation.tag("outcome", "failed");
        observation.error(e);
        throw e;
      }
      observation.tag("outcome", outcome.apply(result));
      return result;
    }
  }

  private void guard(Runnable call, String what) {
    try {
      call.run();
    } catch (RuntimeException e) {
      failed(what, e);
    }
  }

  private void failed(String what, RuntimeException e) {
    if (!warned) {
      warned = true;
      log.warn("dualwrite: the tracer ({}) failed to {}; going on without it (further failures are logged at DEBUG"
          + " by {}): {}", tracing.getClass().getName(), what, GuardedTracing.class.getName(), e.toString(), e);
    } else {
      log.debug("dualwrite: the tracer failed to {}: {}", what, e.toString(), e);
    }
  }
}
