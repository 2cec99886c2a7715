package dev.dualwrite.snapshot.internal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.dualwrite.snapshot.Difference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * JSON snapshots of entities and answers: taking, trimming, comparing and masking them, by the rules the read router
 * and the verifier share (a null field equals an absent one after {@link #dropNullFields}; numbers compare by value;
 * differences are named by JSON Pointer). Stateless.
 */
public final class JsonSnapshots {
  /** What a masked value reads. */
  public static final TextNode MASK = TextNode.valueOf("***");

  /** Value nodes equal as {@link JsonNode#equals(Object)}, except numbers, which are equal by value. */
  private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
    if (a.isNumber() && b.isNumber()) {
      return sameNumber(a, b) ? 0 : 1;
    }
    return a.equals(b) ? 0 : 1;
  };

  private JsonSnapshots() {}

  /** The JSON tree of a read's answer: a copy of a {@code JsonNode}, what's in an {@code Optional}, else Jackson's. */
  public static JsonNode of(ObjectMapper mapper, Object value) {
    if (value == null) {
      return NullNode.getInstance();
    }
    if (value instanceof JsonNode node) {
      return node.deepCopy();
    }
    if (value instanceof Optional<?> optional) {
      return of(mapper, optional.orElse(null));
    }
    JsonNode tree = mapper.valueToTree(value);
    return tree == null ? NullNode.getInstance() : tree;
  }

  /** Removes, in place and at any depth, the object fields whose value is null. */
  public static JsonNode dropNullFields(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.properties().removeIf(field -> field.getValue().isNull());
    }
    if (node.isContainerNode()) {
      node.forEach(JsonSnapshots::dropNullFields);
    }
    return node;
  }

  /** Removes, in place, a top-level field by name or any field or element by JSON Pointer ({@code /a/0/b}). */
  public static void remove(JsonNode node, String field) {
    if (!field.startsWith("/")) {
      if (node instanceof ObjectNode object) {
        object.remove(field);
      }
      return;
    }
    JsonPointer pointer = JsonPointer.compile(field);
    JsonNode parent = node.at(pointer.head());
    JsonPointer last = pointer.last();
    if (parent instanceof ObjectNode object) {
      object.remove(last.getMatchingProperty());
    } else if (parent instanceof ArrayNode array && last.mayMatchElement()
        && last.getMatchingIndex() < array.size()) {
      array.remove(last.getMatchingIndex());
    }
  }

  /** Whether two snapshots hold the same fields with the same values; numbers compared by value. */
  public static boolean equivalent(JsonNode a, JsonNode b) {
    return a.equals(BY_VALUE, b);
  }

  /**
   * The JSON Pointers where {@code a} and {@code b} differ, at most {@code max}: fields of both objects in turn
   * (legacy's order, then the new service's extra fields), elements of arrays by index, and otherwise the value.
   */
  public static List<String> differences(JsonNode a, JsonNode b, int max) {
    List<String> paths = new ArrayList<>();
    differences("", a, b, max, paths);
    return paths;
  }

  private static void differences(String path, JsonNode a, JsonNode b, int max, List<String> paths) {
    if (paths.size() >= max || a.equals(BY_VALUE, b)) {
      return;
    }
    if (a.isObject() && b.isObject()) {
      Set<String> names = new LinkedHashSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        differences(path + "/" + escape(name), a.path(name), b.path(name), max, paths);
      }
    } else if (a.isArray() && b.isArray()) {
      for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
        differences(path + "/" + i, a.path(i), b.path(i), max, paths);
      }
    } else {
      paths.add(path);
    }
  }

  /**
   * The value at {@code path} as it may be reported: from the cleaned snapshot; {@link #MASK} when a cleaner removed
   * it; missing when it was never there.
   */
  public static JsonNode reported(JsonNode normalised, JsonNode cleaned, String path) {
    if (normalised.at(path).isMissingNode()) {
      return MissingNode.getInstance();
    }
    JsonNode value = cleaned.at(path);
    return value.isMissingNode() ? MASK : value;
  }

  /**
   * A reported value in the form {@link dev.dualwrite.snapshot.Difference} holds: compact JSON, {@code null} when
   * missing, {@link dev.dualwrite.snapshot.Difference#MASKED} when masked.
   */
  public static String rendered(JsonNode value) {
    if (value.isMissingNode()) {
      return null;
    }
    return value.equals(MASK) ? Difference.MASKED : value.toString();
  }

  /** Replaces, in place and at any depth, the value of every field named in {@code fields} by {@link #MASK}. */
  public static JsonNode mask(JsonNode node, Set<String> fields) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        if (fields.contains(field.getKey())) {
          field.setValue(MASK);
        } else {
          mask(field.getValue(), fields);
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(element -> mask(element, fields));
    }
    return node;
  }

  /** Adds to {@code out} the text of every non-empty scalar value of a field named in {@code fields}, at any depth. */
  public static void sensitiveValues(JsonNode node, Set<String> fields, Set<String> out) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        JsonNode value = field.getValue();
        if (fields.contains(field.getKey()) && value.isValueNode() && !value.asText().isEmpty()) {
          out.add(value.asText());
        } else {
          sensitiveValues(value, fields, out);
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(element -> sensitiveValues(element, fields, out));
    }
  }

  private static boolean sameNumber(JsonNode a, JsonNode b) {
    double x = a.doubleValue();
    double y = b.doubleValue();
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      return Double.compare(x, y) == 0;
    }
    return a.decimalValue().compareTo(b.decimalValue()) == 0;
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
