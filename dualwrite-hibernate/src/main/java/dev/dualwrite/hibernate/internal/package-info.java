/**
 * How dualwrite hooks into Hibernate: the integrator, the entity event listener, the per-transaction capture that
 * writes outbox rows before commit, snapshot mapping and the bulk-write guard. Not for direct use.
 */
package dev.dualwrite.hibernate.internal;
