-- dualwrite's own tables, migration 5: the trace context of the transaction that wrote each change.
-- A released migration is never edited; DualWriteSchema.createIfMissing applies every migration at each start, so
-- every statement is written to change nothing when run again.

-- The W3C traceparent (00-<trace id>-<span id>-<flags>, 55 characters) current when the change was appended, sent
-- with its delivery so that one trace shows the write, the relay's request and the new service's work. NULL when the
-- application has no tracing or no span was current. Not indexed: nothing looks rows up by it.
ALTER TABLE dualwrite_outbox ADD COLUMN IF NOT EXISTS traceparent VARCHAR(55);
