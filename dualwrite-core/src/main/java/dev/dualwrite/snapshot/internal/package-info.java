/** JSON snapshots: the comparison and masking rules the read router and the verifier share. Not for direct use. */
package dev.dualwrite.snapshot.internal;
