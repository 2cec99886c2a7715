package dev.dualwrite.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One place where the two stores' snapshots differ, with both values as cleaned for reports: sensitive fields read
 * {@code "***"}. Immutable.
 *
 * @param path where, as a JSON Pointer ({@code /address/zip}, {@code /items/2}); empty for the whole value
 * @param legacy legacy's value there; a {@link com.fasterxml.jackson.databind.node.MissingNode} when absent
 * @param fresh the new service's value there; a {@link com.fasterxml.jackson.databind.node.MissingNode} when absent
 */
public record Difference(String path, JsonNode legacy, JsonNode fresh) {
  public Difference {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(legacy, "legacy");
    Objects.requireNonNull(fresh, "fresh");
  }

  /** {@code /name: legacy "Ada", new "Adah"}. */
  @Override
  public String toString() {
    return (path.isEmpty() ? "(whole value)" : path) + ": legacy " + text(legacy) + ", new " + text(fresh);
  }

  private static String text(JsonNode value) {
    return value.isMissingNode() ? "(absent)" : value.toString();
  }
}
