/** The rollback guard's checks on a node. Not for applications. */
package dev.dualwrite.guard.internal;
