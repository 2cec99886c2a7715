-- dualwrite's own tables, migration 5: the trace context of the transaction that wrote each change.
-- A released migration is never edited; DualWriteSchema.createIfMissing applies every migration at each start, so
-- every statement is written to change nothing when run again. MySQL has no ADD COLUMN IF NOT EXISTS (MariaDB has):
-- the column is added by a statement prepared only when information_schema does not list it yet.

-- The W3C traceparent (00-<trace id>-<span id>-<flags>, 55 characters) current when the change was appended, sent
-- with its delivery so that one trace shows the write, the relay's request and the new service's work. NULL when the
-- application has no tracing or no span was current. Not indexed: nothing looks rows up by it.
SET @dualwrite_add_traceparent = (SELECT IF(COUNT(*) = 0,
    'ALTER TABLE dualwrite_outbox ADD COLUMN traceparent VARCHAR(55) NULL', 'DO 0')
  FROM information_schema.COLUMNS
  WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'dualwrite_outbox' AND COLUMN_NAME = 'traceparent');
PREPARE dualwrite_add_traceparent FROM @dualwrite_add_traceparent;
EXECUTE dualwrite_add_traceparent;
DEALLOCATE PREPARE dualwrite_add_traceparent;
