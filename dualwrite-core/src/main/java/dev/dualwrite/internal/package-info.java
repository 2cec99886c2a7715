/** The implementation of {@link dev.dualwrite.DualWrite}. Not for direct use. */
package dev.dualwrite.internal;
