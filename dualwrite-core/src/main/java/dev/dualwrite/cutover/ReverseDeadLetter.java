package dev.dualwrite.cutover;

import dev.dualwrite.outbox.ChangeOperation;
import java.time.Instant;

/**
 * A change of the new service's feed that legacy could not take (a constraint violation, a column legacy lacks). It
 * stays until retried or discarded. Holds no entity field values: a retry reads the id's current state from the new
 * service again and applies it under the version rule.
 *
 * @param id the dead letter's id
 * @param entity the entity's migration name
 * @param entityId the entity's id
 * @param operation upsert or delete, as the feed listed it
 * @param version the version the feed listed
 * @param attempts how often legacy refused it
 * @param lastError why legacy refused it the last time (the database's message)
 * @param createdAt when it was first refused
 */
public record ReverseDeadLetter(
    long id,
    String entity,
    String entityId,
    ChangeOperation operation,
    long version,
    int attempts,
    String lastError,
    Instant createdAt) {}
