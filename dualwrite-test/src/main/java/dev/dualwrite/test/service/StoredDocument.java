package dev.dualwrite.test.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One document held by a {@link ReferenceMirrorService} for a (resource, id): a live document with its data, or a
 * tombstone left by a delete. Immutable as a record; the {@link #data()} node handed out by the service is a copy, so
 * changing it does not change the store.
 *
 * @param id the entity id, as it travels in the protocol
 * @param version the entity version held, {@code >= 0}
 * @param data the full entity snapshot (a JSON object); {@code null} exactly when {@code deleted}
 * @param deleted whether this is a tombstone
 */
public record StoredDocument(String id, long version, JsonNode data, boolean deleted) {

  /**
   * Checks the components.
   *
   * @throws NullPointerException if {@code id} is null
   * @throws IllegalArgumentException if {@code version} is negative, or {@code data} is null for a live document,
   *     not null for a tombstone, or not a JSON object
   */
  public StoredDocument {
    Objects.requireNonNull(id, "id");
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0, got " + version + " for id '" + id + "'");
    }
    if (deleted && data != null) {
      throw new IllegalArgumentException("a tombstone has no data (id '" + id + "')");
    }
    if (!deleted && (data == null || !data.isObject())) {
      throw new IllegalArgumentException(
          "a live document's data must be a JSON object (id '" + id + "'), got " + (data == null ? "null" : data));
    }
  }

  static StoredDocument live(String id, long version, JsonNode data) {
    return new StoredDocument(id, version, data, false);
  }

  static StoredDocument tombstone(String id, long version) {
    return new StoredDocument(id, version, null, true);
  }

  /** A copy whose data can be changed without changing this document. */
  StoredDocument copy() {
    return deleted ? this : new StoredDocument(id, version, data.deepCopy(), false);
  }
}
