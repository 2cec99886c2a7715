/** The verifier's implementation: key checks, snapshot comparison and its run table. Not for direct use. */
package dev.dualwrite.verify.internal;
