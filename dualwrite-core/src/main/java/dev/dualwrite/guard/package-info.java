/**
 * The automated rollback guard: per entity and opt-in, it moves the entity one step back by itself when what it
 * measures in {@code SHADOW_READS}, {@code NEW_READS} or {@code NEW_WRITES} stays over its bounds for a while.
 */
package dev.dualwrite.guard;
