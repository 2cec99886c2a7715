package dev.dualwrite.snapshot;

import java.util.Objects;

/**
 * One place where the legacy snapshot of an entity and the new service's differ, as the read router's mismatch reports
 * and the verifier's samples both report it. Immutable.
 *
 * @param path where, as a JSON Pointer ({@code /email}, {@code /address/zip}, {@code /tags/2}); empty for the whole
 *     value
 * @param legacy legacy's value there as compact JSON; {@code null} when legacy's snapshot has none there; {@value
 *     #MASKED} for a sensitive field (or one a report cleaner removed)
 * @param newService the new service's value there, in the same form
 */
public record Difference(String path, String legacy, String newService) {
  /** What a sensitive field's values are reported as. */
  public static final String MASKED = "***";

  public Difference {
    Objects.requireNonNull(path, "path");
  }

  /** {@code /name: legacy "Ada", new "Adah"}, with {@code (absent)} for a missing value. */
  @Override
  public String toString() {
    return (path.isEmpty() ? "(whole value)" : path) + ": legacy " + text(legacy) + ", new " + text(newService);
  }

  private static String text(String value) {
    return value == null ? "(absent)" : value;
  }
}
