/**
 * The {@code dualwrite} Actuator endpoint: status per entity, phase moves and dead-letter retries, and its web
 * extension that answers refusals with an HTTP status and a message.
 */
package dev.dualwrite.spring.actuate;
