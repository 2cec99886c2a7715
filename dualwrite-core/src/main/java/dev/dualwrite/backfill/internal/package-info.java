/** The backfill's implementation (its checkpoint table is {@link dev.dualwrite.storage.internal.BackfillTable}). Not for direct use. */
package dev.dualwrite.backfill.internal;
