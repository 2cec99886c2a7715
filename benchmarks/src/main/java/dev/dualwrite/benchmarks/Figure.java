package dev.dualwrite.benchmarks;

import java.util.Locale;

/**
 * One measured figure, printed as {@code <name> <value> <unit>}.
 *
 * @param name e.g. {@code relay_drain_rows_per_s}
 * @param value the measurement
 * @param unit e.g. {@code rows/s}
 */
public record Figure(String name, double value, String unit) {
  @Override
  public String toString() {
    String number = value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.format(Locale.ROOT, "%d", (long) value)
        : String.format(Locale.ROOT, "%.3f", value);
    return name + " " + number + " " + unit;
  }
}
