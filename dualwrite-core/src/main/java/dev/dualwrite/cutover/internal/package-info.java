/** The write-through and the reverse sync of a node. Not for applications. */
package dev.dualwrite.cutover.internal;
