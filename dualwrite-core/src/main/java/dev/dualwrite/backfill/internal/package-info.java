/** The backfill's implementation and its checkpoint table. Not for direct use. */
package dev.dualwrite.backfill.internal;
