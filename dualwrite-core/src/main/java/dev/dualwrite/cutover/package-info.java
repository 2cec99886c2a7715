/**
 * The cutover: the phases in which the new service is authoritative. In {@code NEW_WRITES} a monolith write of a
 * mirrored entity is written through to the new service before the legacy transaction commits, and the new service's
 * changes are synced back into legacy (reverse sync) so that legacy joins and a rollback keep working.
 */
package dev.dualwrite.cutover;
