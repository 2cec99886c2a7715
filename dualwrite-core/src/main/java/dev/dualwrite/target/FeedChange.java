package dev.dualwrite.target;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dualwrite.outbox.ChangeOperation;
import java.time.Instant;
import java.util.Objects;

/**
 * One change of a resource's change feed (mirror protocol {@code GET /v1/_changes/{resource}}): a write the new service
 * applied, through the mirror protocol or its own API. Immutable.
 *
 * @param cursor where the change is in the feed; pass it as {@code after} to read what follows it
 * @param id the entity id
 * @param version the version the write left held
 * @param operation {@code UPSERT} or {@code DELETE}
 * @param fromMirror whether the write came through the mirror protocol (from the monolith) rather than the service's
 *     own API
 * @param at when the service applied it, or null when the service does not say
 * @param data the entity after an {@code UPSERT}; null for a {@code DELETE}
 */
public record FeedChange(
    String cursor, String id, long version, ChangeOperation operation, boolean fromMirror, Instant at, JsonNode data) {
  public FeedChange {
    Objects.requireNonNull(cursor, "cursor");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(operation, "operation");
  }
}
