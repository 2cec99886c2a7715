package dev.dualwrite.verify.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dualwrite.snapshot.Difference;
import dev.dualwrite.snapshot.internal.JsonSnapshots;
import java.util.List;
import java.util.Set;

/**
 * Compares a legacy snapshot with the new service's by the read router's rules ({@link JsonSnapshots}): a
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
  List<Difference> differences(JsonNode legacy, JsonNode newService) {
    if (JsonSnapshots.equivalent(legacy, newService)) {
      return List.of(); // the common case, without copies: equal trees stay equal when trimmed alike
    }
    JsonNode comparableLegacy = comparable(legacy);
    JsonNode comparableNew = comparable(newService);
    if (JsonSnapshots.equivalent(comparableLegacy, comparableNew)) {
      return List.of();
    }
    JsonNode maskedLegacy = JsonSnapshots.mask(legacy.deepCopy(), sensitiveFields);
    JsonNode maskedNew = JsonSnapshots.mask(newService.deepCopy(), sensitiveFields);
    return JsonSnapshots.differences(comparableLegacy, comparableNew, Integer.MAX_VALUE).stream()
        .map(path -> new Difference(path, JsonSnapshots.rendered(maskedLegacy.at(path)),
            JsonSnapshots.rendered(maskedNew.at(path))))
        .toList();
  }

  private JsonNode comparable(JsonNode snapshot) {
    JsonNode copy = JsonSnapshots.dropNullFields(snapshot.deepCopy());
    ignoredFields.forEach(field -> JsonSnapshots.remove(copy, field));
    return copy;
  }

}
