/** Implementations of the phase API and SPI: the stores and the cached {@code Phases}. Not for direct use. */
package dev.dualwrite.phase.internal;
