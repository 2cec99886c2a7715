/**
 * The backfill: copies an entity's existing legacy rows to the new service through the outbox, in key order, in
 * chunks, throttled and resumable. {@link dev.dualwrite.backfill.Backfill} runs it; its checkpoint
 * ({@link dev.dualwrite.backfill.BackfillCheckpoint}) lives in dualwrite's table {@code dualwrite_backfill}; progress
 * reaches a {@link dev.dualwrite.backfill.BackfillListener} and the log. See docs/backfill-and-verification.md.
 */
package dev.dualwrite.backfill;
