/** Extension point for where phases are kept: {@link dev.dualwrite.phase.spi.PhaseStore}. */
package dev.dualwrite.phase.spi;
