package dev.dualwrite.relay;

import java.time.Duration;

/**
 * The mirror's figures for one entity on this node, since start (counters) and now (backlog).
 *
 * @param entity the entity's migration name
 * @param appended changes committed to the outbox by this node
 * @param delivered changes delivered by this node's relay
 * @param retried failed attempts this node's relay scheduled again
 * @param deadLettered changes this node's relay gave up on
 * @param backlog undelivered changes in the outbox, from every node
 * @param oldestPendingAge age of the oldest undelivered change, {@link Duration#ZERO} when none
 * @param deadLetters dead letters in the outbox, from every node
 */
public record MirrorStats(
    String entity,
    long appended,
    long delivered,
    long retried,
    long deadLettered,
    long backlog,
    Duration oldestPendingAge,
    long deadLetters) {}
