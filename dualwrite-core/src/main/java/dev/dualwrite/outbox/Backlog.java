package dev.dualwrite.outbox;

import java.time.Instant;

/**
 * What the outbox holds for one entity.
 *
 * @param entity the entity's migration name
 * @param pending changes not yet delivered (including those waiting for a retry)
 * @param oldestPendingCreatedAt when the oldest undelivered change was appended, or {@code null} when none
 * @param deadLetters changes given up on
 */
public record Backlog(String entity, long pending, Instant oldestPendingCreatedAt, long deadLetters) {

  /** An entity with nothing in the outbox. */
  public static Backlog empty(String entity) {
    return new Backlog(entity, 0, null, 0);
  }
}
