package dev.dualwrite.verify.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dualwrite.snapshot.internal.JsonSnapshots;
import dev.dualwrite.verify.FieldDifference;
import java.util.List;
import java.util.Set;

/**
 * Compares a legacy snapshot with the new service's copy by the read router's rules ({@link JsonSnapshots}): a
 * {@code null} field equals an absent one, numbers compare by value, ignored fields (top-level names or JSON
 * Pointers) are left out. Differences are named by JSON Pointer, in the legacy snapshot's field order; their values
 * are compact JSON as each store holds it, with the values of sensitive fields, at any depth, masked. Thread-safe.
 */
final class SnapshotComparison {
  private final Set<String> ignoredFields;
  private final Set<String> sensitiveFields;

  SnapshotComparison(Set<String> ignoredFields, Set<String> sensitiveFields) {
    this.ignoredFields = Set.copyOf(ignoredFields);
    this.sensitiveFields = Set.copyOf(sensitiveFields);
  }

  /** Where the snapshots differ; empty when they agree. Neither argument is changed. */
  List<FieldDifference> differences(JsonNode legacy, JsonNode current) {
    if (JsonSnapshots.equivalent(legacy, current)) {
      return List.of(); // the common case, without copies: equal trees stay equal when trimmed alike
    }
    JsonNode comparableLegacy = comparable(legacy);
    JsonNode comparableCurrent = comparable(current);
    if (JsonSnapshots.equivalent(comparableLegacy, comparableCurrent)) {
      return List.of();
    }
    JsonNode maskedLegacy = JsonSnapshots.mask(legacy.deepCopy(), sensitiveFields);
    JsonNode maskedCurrent = JsonSnapshots.mask(current.deepCopy(), sensitiveFields);
    return JsonSnapshots.differences(comparableLegacy, comparableCurrent, Integer.MAX_VALUE).stream()
        .map(path -> new FieldDifference(path, render(maskedLegacy.at(path)), render(maskedCurrent.at(path))))
        .toList();
  }

  private JsonNode comparable(JsonNode snapshot) {
    JsonNode copy = JsonSnapshots.dropNullFields(snapshot.deepCopy());
    ignoredFields.forEach(field -> JsonSnapshots.remove(copy, field));
    return copy;
  }

  /** Compact JSON; {@code null} when absent; {@link FieldDifference#MASKED} for a masked value. */
  private static String render(JsonNode value) {
    if (value.isMissingNode()) {
      return null;
    }
    return value.equals(JsonSnapshots.MASK) ? FieldDifference.MASKED : value.toString();
  }
}
