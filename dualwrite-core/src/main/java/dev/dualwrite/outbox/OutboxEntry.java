package dev.dualwrite.outbox;

import dev.dualwrite.trace.Traceparent;
import java.time.Instant;

/**
 * A change as stored in the outbox and claimed by a relay.
 *
 * @param id the outbox row id
 * @param entity the entity's migration name
 * @param resource the new service's resource
 * @param entityId the entity's id
 * @param operation upsert or delete
 * @param version the version sent to the new service: the row id (see {@link Change})
 * @param idempotencyKey sent as {@code Idempotency-Key}; the same on every attempt of this row
 * @param payload the JSON snapshot, {@code null} for a delete
 * @param attempts the delivery attempts made so far
 * @param createdAt when the change was appended (its transaction's flush)
 * @param traceparent the trace context of the transaction that appended it, sent with its delivery; {@code null}
 *     when none was current (or the application has no tracing)
 */
public record OutboxEntry(
    long id,
    String entity,
    String resource,
    String entityId,
    ChangeOperation operation,
    long version,
    String idempotencyKey,
    String payload,
    int attempts,
    Instant createdAt,
    Traceparent traceparent) {

  /** A change without a trace context. */
  public OutboxEntry(long id, String entity, String resource, String entityId, ChangeOperation operation, long version,
      String idempotencyKey, String payload, int attempts, Instant createdAt) {
    this(id, entity, resource, entityId, operation, version, idempotencyKey, payload, attempts, createdAt, null);
  }

  /** Entity, id, operation and version, for logs; never the payload. */
  public String describe() {
    return entity + " " + entityId + " " + operation + " v" + version + " (outbox #" + id + ")";
  }
}
