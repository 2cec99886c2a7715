/**
 * dualwrite's own tables: the SQL per database ({@link dev.dualwrite.jdbc.DualWriteSchema}) and the supported
 * databases ({@link dev.dualwrite.jdbc.DatabaseDialect}).
 */
package dev.dualwrite.jdbc;
