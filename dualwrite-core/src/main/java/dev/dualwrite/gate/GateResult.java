package dev.dualwrite.gate;

import java.util.Objects;

/**
 * The outcome of one gate for one move.
 *
 * @param gate the gate's name, e.g. {@code backfill-finished}
 * @param passed whether the move may go ahead as far as this gate is concerned
 * @param measured what was found, e.g. {@code mismatch rate 2.5 % over 400 comparisons}
 * @param required what the gate asks for, e.g. {@code at most 1 % over at least 100 comparisons}
 */
public record GateResult(String gate, boolean passed, String measured, String required) {
  public GateResult {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(measured, "measured");
    Objects.requireNonNull(required, "required");
  }

  /** {@code gate: measured (requires required)}. */
  public String describe() {
    return gate + ": " + measured + " (" + (passed ? "ok; " : "") + "requires " + required + ")";
  }
}
