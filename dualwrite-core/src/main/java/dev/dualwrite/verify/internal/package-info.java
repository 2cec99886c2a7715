/**
 * The verifier's implementation: key checks, retried reads of the new service, snapshot comparison and its run table.
 * Not for direct use.
 */
package dev.dualwrite.verify.internal;
