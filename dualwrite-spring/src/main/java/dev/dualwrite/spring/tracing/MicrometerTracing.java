package dev.dualwrite.spring.tracing;

import dev.dualwrite.trace.ObservedWork;
import dev.dualwrite.trace.Traceparent;
import dev.dualwrite.trace.spi.Tracing;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.CurrentTraceContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.util.Objects;

/**
 * {@link Tracing} over Micrometer: the current context is the {@link Tracer}'s current span, and dualwrite's work is
 * an {@link Observation} in the application's {@link ObservationRegistry}, so its tracing handler makes a span of it
 * and its meter handler a timer of the observation's name with the low-cardinality tags. A relay delivery's
 * observation is started with the stored context current, so its span is a child of the writing transaction's span
 * (in the same trace), whatever propagation format the application uses for its own calls. Thread-safe.
 */
public final class MicrometerTracing implements Tracing {
  private final ObservationRegistry registry;
  private final Tracer tracer;

  /**
   * @param registry where observations are made
   * @param tracer the application's tracer, or {@code null} when it has none: then observations are made (timers),
   *     and no trace context is stored or continued
   */
  public MicrometerTracing(ObservationRegistry registry, Tracer tracer) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.tracer = tracer;
  }

  @Override
  public Traceparent current() {
    Span span = tracer == null ? null : tracer.currentSpan();
    if (span == null) {
      return null;
    }
    TraceContext context = span.context();
    try {
      return Traceparent.of(context.traceId(), context.spanId(), Boolean.TRUE.equals(context.sampled()));
    } catch (IllegalArgumentException noopSpan) {
      return null; // a no-op tracer's span has empty ids
    }
  }

  @Override
  public Tracing.Scope start(ObservedWork work, String entity, Traceparent parent) {
    Observation observation = Observation.createNotStarted(work.observationName(), registry)
        .lowCardinalityKeyValue("entity", entity);
    if (parent != null && tracer != null) {
      TraceContext stored = tracer.traceContextBuilder().traceId(parent.traceId()).spanId(parent.spanId())
          .sampled(parent.sampled()).build();
      try (CurrentTraceContext.Scope writer = tracer.currentTraceContext().newScope(stored)) {
        observation.start();
      }
    } else {
      observation.start();
    }
    Observation.Scope scope = observation.openScope();
    return new Tracing.Scope() {
      @Override
      public void tag(String key, String value) {
        observation.lowCardinalityKeyValue(key, value);
      }

      @Override
      public void error(Throwable error) {
        observation.error(error);
      }

      @Override
      public void close() {
        scope.close();
        observation.stop();
      }
    };
  }
}
