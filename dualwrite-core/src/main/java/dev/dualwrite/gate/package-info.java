/**
 * Phase gates: the checks a forward phase move must pass (backfill finished, verification clean, shadow mismatch rate,
 * outbox backlog, canary complete, dead letters, soak time), configured with {@link dev.dualwrite.gate.PhaseGates}.
 */
package dev.dualwrite.gate;
