package dev.dualwrite.verify;

import java.util.Objects;

/**
 * One place where the legacy row's snapshot and the new service's copy differ.
 *
 * @param field where, as a JSON Pointer, e.g. {@code /email}, {@code /address/city} or {@code /tags/2}
 * @param legacyValue the legacy value as compact JSON, {@code null} when the legacy snapshot lacks the field, or
 *     {@value #MASKED} for a sensitive field
 * @param newValue the new service's value, in the same form
 */
public record FieldDifference(String field, String legacyValue, String newValue) {
  /** What a sensitive field's values are replaced with. */
  public static final String MASKED = "***";

  public FieldDifference {
    Objects.requireNonNull(field, "field");
  }

  /** {@code /field: legacy <value> new <value>}, with {@code (absent)} for a missing field. */
  public String describe() {
    return field + ": legacy " + (legacyValue == null ? "(absent)" : legacyValue) + " new "
        + (newValue == null ? "(absent)" : newValue);
  }
}
