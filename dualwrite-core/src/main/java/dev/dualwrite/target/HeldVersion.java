package dev.dualwrite.target;

import java.util.Objects;

/**
 * What the new service holds for one id, live or deleted, as {@code GET /v1/{resource}/{id}} answers it: the version
 * and who wrote it. The write-through of an entity in {@code NEW_WRITES} reads it to learn whether legacy has the
 * service's latest change of the id. Immutable.
 *
 * @param id the entity id
 * @param version the version held
 * @param deleted whether it is a tombstone
 * @param fromMirror whether the write that left it came through the mirror protocol (from the monolith) rather than
 *     the service's own API; a service that does not say is taken to mean the mirror
 */
public record HeldVersion(String id, long version, boolean deleted, boolean fromMirror) {
  public HeldVersion {
    Objects.requireNonNull(id, "id");
  }
}
