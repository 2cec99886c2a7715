/**
 * dualwrite's own tables: the SQL per database ({@link dev.dualwrite.jdbc.DualWriteSchema}), the supported
 * databases ({@link dev.dualwrite.jdbc.DatabaseDialect}) and a read-only view of what the tables record, for
 * operators' tools ({@link dev.dualwrite.jdbc.DualWriteRecords}).
 */
package dev.dualwrite.jdbc;
