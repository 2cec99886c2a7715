/** JDBC helpers shared by dualwrite's JDBC stores. Not for direct use. */
package dev.dualwrite.jdbc.internal;
