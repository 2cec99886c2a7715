/** The JDBC outbox and the claiming, marking and purging the relay does with it. Not for direct use. */
package dev.dualwrite.outbox.internal;
