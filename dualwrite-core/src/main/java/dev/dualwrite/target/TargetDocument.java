package dev.dualwrite.target;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * An entity as the new service holds it.
 *
 * @param id the entity's id as it travels
 * @param version the version the service holds
 * @param data the entity snapshot, a JSON object
 */
public record TargetDocument(String id, long version, JsonNode data) {
  public TargetDocument {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(data, "data");
  }
}
