package dev.dualwrite.verify.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dualwrite.verify.FieldDifference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a legacy snapshot with the new service's copy by the read router's rules (docs/read-router.md): a
 * {@code null} field equals an absent one, numbers compare by value ({@code 1}, {@code 1.0} and {@code 1.00} are
 * equal), ignored fields (top-level names or JSON Pointers) are left out. Differences are named by JSON Pointer, fields
 * of objects and elements of arrays in turn; the values of sensitive fields, at any depth, are masked. Thread-safe.
 */
final class SnapshotComparison {
  private final Set<String> ignoredPointers = new HashSet<>();
  private final Set<String> sensitiveFields;

  SnapshotComparison(Set<String> ignoredFields, Set<String> sensitiveFields) {
    for (String field : ignoredFields) {
      ignoredPointers.add(field.startsWith("/") ? field : "/" + escape(field));
    }
    this.sensitiveFields = Set.copyOf(sensitiveFields);
  }

  /** Where the snapshots differ, in the legacy snapshot's field order; empty when they agree. */
  List<FieldDifference> differences(JsonNode legacy, JsonNode current) {
    List<FieldDifference> differences = new ArrayList<>();
    compare("", false, legacy, current, differences);
    return differences;
  }

  private void compare(String path, boolean sensitive, JsonNode legacy, JsonNode current, List<FieldDifference> out) {
    if (ignoredPointers.contains(path)) {
      return;
    }
    if (isNull(legacy) || isNull(current)) {
      if (isNull(legacy) != isNull(current)) {
        out.add(new FieldDifference(path, render(sensitive, legacy), render(sensitive, current)));
      }
    } else if (legacy.isObject() && current.isObject()) {
      Set<String> names = new LinkedHashSet<>();
      legacy.fieldNames().forEachRemaining(names::add);
      current.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        compare(path + "/" + escape(name), sensitive || sensitiveFields.contains(name), legacy.get(name),
            current.get(name), out);
      }
    } else if (legacy.isArray() && current.isArray()) {
      for (int i = 0; i < Math.max(legacy.size(), current.size()); i++) {
        compare(path + "/" + i, sensitive, legacy.get(i), current.get(i), out);
      }
    } else if (!sameValue(legacy, current)) {
      out.add(new FieldDifference(path, render(sensitive, legacy), render(sensitive, current)));
    }
  }

  private static boolean isNull(JsonNode node) {
    return node == null || node.isNull();
  }

  private static boolean sameValue(JsonNode legacy, JsonNode current) {
    if (legacy.isNumber() && current.isNumber()) {
      return legacy.decimalValue().compareTo(current.decimalValue()) == 0;
    }
    return legacy.equals(current);
  }

  /** Compact JSON, {@code null} when absent, masked when sensitive or for sensitive fields inside. */
  private String render(boolean sensitive, JsonNode value) {
    if (value == null) {
      return null;
    }
    if (sensitive) {
      return FieldDifference.MASKED;
    }
    return value.isContainerNode() && !sensitiveFields.isEmpty() ? masked(value.deepCopy()).toString()
        : value.toString();
  }

  private JsonNode masked(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        if (sensitiveFields.contains(field.getKey())) {
          field.setValue(object.textNode(FieldDifference.MASKED));
        } else {
          masked(field.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(this::masked);
    }
    return node;
  }

  /** A field name as a JSON Pointer segment: {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
