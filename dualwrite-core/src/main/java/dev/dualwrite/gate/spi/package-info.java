/** Extension point for checks of your own on phase moves: {@link dev.dualwrite.gate.spi.PhaseGate}. */
package dev.dualwrite.gate.spi;
