/**
 * The relay's delivery loops, the queue they deliver from ({@code DeliveryQueue}), backoff and error redaction. Not for
 * direct use.
 */
package dev.dualwrite.relay.internal;
