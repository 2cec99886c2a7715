/**
 * Extension point for tracing: {@link dev.dualwrite.trace.spi.Tracing}, what dualwrite asks of the application's
 * tracer. dualwrite-spring implements it with Micrometer Observation and Tracing.
 */
package dev.dualwrite.trace.spi;
