/**
 * What the backfill and the verifier share about walking legacy: retries of aborted legacy transactions
 * ({@link dev.dualwrite.legacy.internal.LegacyTransactions}) and the run's control: one run at a time, stop requests
 * and the phase check ({@link dev.dualwrite.legacy.internal.RunControl}). Not for direct use.
 */
package dev.dualwrite.legacy.internal;
