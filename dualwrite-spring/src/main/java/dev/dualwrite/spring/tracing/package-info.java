/**
 * dualwrite's {@link dev.dualwrite.trace.spi.Tracing} over Micrometer Observation and Tracing, and the header that
 * carries the current trace context on the new service's HTTP requests.
 */
package dev.dualwrite.spring.tracing;
