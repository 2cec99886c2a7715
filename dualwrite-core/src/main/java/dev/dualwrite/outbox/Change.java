package dev.dualwrite.outbox;

import java.util.Objects;

/**
 * One change to mirror, as appended to the outbox: the whole entity as JSON (or a delete), and its version.
 *
 * @param entity the entity's migration name, e.g. {@code users}
 * @param resource the new service's resource, e.g. {@code users}
 * @param entityId the entity's id as a string
 * @param operation upsert or delete
 * @param entityVersion the entity's own version (its {@code @Version}; for a delete, one more than the last), or
 *     {@code null} when the entity has none: the outbox then uses its row id, which grows with every change
 * @param payload the entity snapshot as a JSON object; {@code null} for a delete
 * @param origin why the change was appended
 */
public record Change(
    String entity,
    String resource,
    String entityId,
    ChangeOperation operation,
    Long entityVersion,
    String payload,
    ChangeOrigin origin) {
  public Change {
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(entityId, "entityId");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(origin, "origin");
    if (operation == ChangeOperation.UPSERT && payload == null) {
      throw new IllegalArgumentException("an upsert of " + entity + " " + entityId + " needs a payload");
    }
  }

  /** A string that names the change in logs: entity, id, operation; never the payload. */
  public String describe() {
    return entity + " " + entityId + " " + operation;
  }
}
