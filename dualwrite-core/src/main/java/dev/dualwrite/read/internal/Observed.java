package dev.dualwrite.read.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Supplier;

/**
 * One store's answer to one read as the router holds it: a value or a failure, how long it took, and (once taken) its
 * raw snapshot. The snapshot is written once, before the observation is handed to another thread.
 */
final class Observed {
  final Object value;
  final Throwable failure;
  final long nanos;
  JsonNode snapshot;

  private Observed(Object value, Throwable failure, long nanos) {
    this.value = value;
    this.failure = failure;
    this.nanos = nanos;
  }

  /** Runs {@code read}, timing it and keeping what it returns or throws. */
  static Observed of(Supplier<?> read) {
    long start = System.nanoTime();
    try {
      Object value = read.get();
      return new Observed(value, null, System.nanoTime() - start);
    } catch (RuntimeException e) {
      return new Observed(null, e, System.nanoTime() - start);
    }
  }

  /** A failure that took {@code nanos}, e.g. a shadow read that did not answer in time. */
  static Observed failure(Throwable failure, long nanos) {
    return new Observed(null, failure, nanos);
  }

  /** The part of this (many-keys) answer that is {@code value}: same latency, or this failure. */
  Observed part(Object value) {
    return failed() ? this : new Observed(value, null, nanos);
  }

  boolean failed() {
    return failure != null;
  }

  /** The value, or the failure thrown again (served reads only ever fail with a runtime exception). */
  Object result() {
    if (failure != null) {
      throw (RuntimeException) failure;
    }
    return value;
  }
}
