package dev.dualwrite.outbox;

import java.util.Objects;

/**
 * One change to mirror, as appended to the outbox: the whole entity as JSON (or a delete), and, once appended, its
 * version.
 *
 * <p>The version is the change's place in dualwrite's change sequence: the outbox row id it was appended under. It
 * grows with every change of every entity, so it grows with every change to one entity id too, also across a delete
 * and a re-creation of the same id (the entity's own {@code @Version} starts again at 0 there, which is why it is not
 * used). Two changes to the same row are appended in the order their transactions hold the row's lock, so their
 * versions follow their commit order.
 *
 * @param entity the entity's migration name, e.g. {@code users}
 * @param resource the new service's resource, e.g. {@code users}
 * @param entityId the entity's id as a string
 * @param operation upsert or delete
 * @param version the change's version: {@code null} until the outbox appends it, then the outbox row id
 * @param payload the entity snapshot as a JSON object; {@code null} for a delete
 * @param origin why the change was appended
 */
public record Change(
    String entity,
    String resource,
    String entityId,
    ChangeOperation operation,
    Long version,
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

  /** A change for {@code entity} {@code entityId} that has no version yet: the outbox gives it one when it appends it. */
  public static Change of(String entity, String resource, String entityId, ChangeOperation operation, String payload,
      ChangeOrigin origin) {
    return new Change(entity, resource, entityId, operation, null, payload, origin);
  }

  /** This change with the version the outbox appended it under. */
  public Change withVersion(long appendedVersion) {
    return new Change(entity, resource, entityId, operation, appendedVersion, payload, origin);
  }

  /** A string that names the change in logs: entity, id, operation; never the payload. */
  public String describe() {
    return entity + " " + entityId + " " + operation;
  }
}
