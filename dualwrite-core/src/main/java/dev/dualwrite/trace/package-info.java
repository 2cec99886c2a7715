/**
 * Tracing across the relay: the W3C trace context ({@link dev.dualwrite.trace.Traceparent}) of the transaction that
 * wrote a change is stored with its outbox row and sent with the mirrored write, and dualwrite's own background work
 * ({@link dev.dualwrite.trace.ObservedWork}) is observed. What does the tracing is the application's, plugged in as a
 * {@link dev.dualwrite.trace.spi.Tracing}; without one nothing is stored or observed.
 */
package dev.dualwrite.trace;
