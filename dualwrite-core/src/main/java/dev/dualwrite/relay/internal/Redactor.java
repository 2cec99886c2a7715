package dev.dualwrite.relay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Set;

/**
 * Removes the values of sensitive fields from an error text before it is logged or kept with a dead letter: a
 * service that echoes the rejected payload must not leak them.
 */
final class Redactor {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Redactor() {}

  /** {@code error} with every value of {@code sensitiveFields} found in {@code payload} replaced by {@code ***}. */
  static String redact(String error, String payload, Set<String> sensitiveFields) {
    if (error == null || payload == null || sensitiveFields.isEmpty()) {
      return error;
    }
    JsonNode snapshot;
    try {
      snapshot = MAPPER.readTree(payload);
    } catch (IOException e) {
      return "(error text withheld: the payload could not be read to redact it)";
    }
    String redacted = error;
    for (String field : sensitiveFields) {
      JsonNode value = snapshot.get(field);
      if (value != null && value.isValueNode() && !value.isNull()) {
        String text = value.asText();
        if (!text.isEmpty()) {
          redacted = redacted.replace(text, "***");
        }
      }
    }
    return redacted;
  }
}
