/**
 * Entity snapshots as both stores are compared: {@link dev.dualwrite.snapshot.Difference}, one place where they
 * differ, as the read router and the verifier report it.
 */
package dev.dualwrite.snapshot;
