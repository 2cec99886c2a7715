package dev.dualwrite.outbox;

import java.time.Instant;

/**
 * A change the relay gave up on: after its last attempt, or at once on a permanent rejection. It stays in the outbox
 * until retried or discarded. Holds no entity field values: the last error is the service's status and a short,
 * redacted part of its answer.
 *
 * @param id the outbox row id
 * @param entity the entity's migration name
 * @param entityId the entity's id
 * @param operation upsert or delete
 * @param version the version that was sent
 * @param attempts the delivery attempts made
 * @param lastStatus the HTTP status of the last answer, or {@code null} when there was none (timeout, refused)
 * @param lastError why the last attempt failed
 * @param createdAt when the change was appended
 */
public record DeadLetter(
    long id,
    String entity,
    String entityId,
    ChangeOperation operation,
    long version,
    int attempts,
    Integer lastStatus,
    String lastError,
    Instant createdAt) {}
