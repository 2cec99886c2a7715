package dev.dualwrite.trace.spi;

import dev.dualwrite.trace.ObservedWork;
import dev.dualwrite.trace.Traceparent;

/** {@link Tracing#none()}: no context, and one observation that records nothing. */
enum NoTracing implements Tracing, Tracing.Scope {
  INSTANCE;

  @Override
  public Traceparent current() {
    return null;
  }

  @Override
  public Scope start(ObservedWork work, String entity, Traceparent parent) {
    return this;
  }

  @Override
  public void tag(String key, String value) {}

  @Override
  public void error(Throwable error) {}

  @Override
  public void close() {}
}
