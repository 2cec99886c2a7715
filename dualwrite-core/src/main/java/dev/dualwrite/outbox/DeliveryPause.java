package dev.dualwrite.outbox;

import java.time.Instant;

/**
 * An entity whose delivery an operator paused: no node's relay sends its changes until it is resumed
 * ({@link Outbox#resumeDelivery}); they wait in the outbox meanwhile.
 *
 * @param entity the entity's migration name
 * @param pausedBy who paused it
 * @param reason why; may be null
 * @param pausedAt when
 */
public record DeliveryPause(String entity, String pausedBy, String reason, Instant pausedAt) {}
