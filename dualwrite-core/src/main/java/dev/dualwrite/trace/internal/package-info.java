/** dualwrite's side of tracing: the application's {@link dev.dualwrite.trace.spi.Tracing}, kept from failing it. */
package dev.dualwrite.trace.internal;
