package dev.dualwrite.cutover;

import java.time.Instant;

/**
 * One place in the application that still writes an entity to legacy, seen from {@code NEW_READS} on: a Hibernate
 * write or a bulk statement, counted since the entity's last move (every node's). Immutable.
 *
 * @param callSite the first stack frame of the application on the write's path ({@code class.method:line})
 * @param writes how many writes it made
 * @param lastSeen when it last wrote
 */
public record LegacyWritePath(String callSite, long writes, Instant lastSeen) {}
