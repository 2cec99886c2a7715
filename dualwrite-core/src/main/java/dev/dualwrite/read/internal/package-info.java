/**
 * The implementation of {@link dev.dualwrite.read.ReadRouter}: routing, shadow reads, comparison and reports, and the
 * in-memory record of this node's undelivered writes. Not for direct use.
 */
package dev.dualwrite.read.internal;
