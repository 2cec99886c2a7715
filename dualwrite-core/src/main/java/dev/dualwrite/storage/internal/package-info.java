/**
 * The storage layer: the only code that holds SQL on dualwrite's own tables. One class per table
 * ({@link dev.dualwrite.storage.internal.OutboxTable}, {@link dev.dualwrite.storage.internal.PhaseTable},
 * {@link dev.dualwrite.storage.internal.BackfillTable}, {@link dev.dualwrite.storage.internal.VerificationTable},
 * {@link dev.dualwrite.storage.internal.ShadowStatsTable}), plus the read-only queries across tables that operators'
 * tools need ({@link dev.dualwrite.storage.internal.Tables}). What differs between databases sits on the constants of
 * {@link dev.dualwrite.storage.internal.StorageDialect}.
 *
 * <p>Methods that take a {@link java.sql.Connection} work inside the caller's transaction, do not commit and throw
 * {@link java.sql.SQLException}; the caller owns the transaction and says what failed. Not for direct use: the
 * outbox, phase store, backfill, verifier and gates call it, the CLI reads it through
 * {@link dev.dualwrite.jdbc.DualWriteRecords}.
 */
package dev.dualwrite.storage.internal;
