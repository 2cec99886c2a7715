/**
 * The relay that delivers the outbox to the new service, its configuration, and the listener and figures that tell
 * how the mirror is doing.
 */
package dev.dualwrite.relay;
