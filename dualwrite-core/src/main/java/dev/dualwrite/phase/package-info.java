/**
 * Migration phases: the {@link dev.dualwrite.phase.MigrationPhase} model, the rules for moving between phases, and
 * {@link dev.dualwrite.phase.Phases}, the cached view of every entity's phase that the write and read paths consult.
 * Where phases are kept is the {@link dev.dualwrite.phase.spi.PhaseStore} SPI.
 */
package dev.dualwrite.phase;
