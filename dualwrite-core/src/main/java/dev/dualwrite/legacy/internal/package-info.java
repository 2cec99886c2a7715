/** What the backfill and the verifier share about legacy transactions: retries of aborted ones. Not for direct use. */
package dev.dualwrite.legacy.internal;
