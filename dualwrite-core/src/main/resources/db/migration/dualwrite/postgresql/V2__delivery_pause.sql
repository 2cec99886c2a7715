-- dualwrite's own tables, migration 2: delivery paused per entity.
-- A released migration is never edited; DualWriteSchema.createIfMissing applies every migration at each start, so
-- every statement is written to change nothing when run again.

-- Entities whose delivery an operator paused (Outbox.pauseDelivery, 'dualwrite delivery pause', the Actuator
-- endpoint): no node's relay claims their changes until the row is deleted again (resume). The changes stay in the
-- outbox meanwhile. Who paused, why and when, for the status.
CREATE TABLE IF NOT EXISTS dualwrite_delivery_pause (
  entity          VARCHAR(200)     NOT NULL PRIMARY KEY,
  paused_by       VARCHAR(200)     NOT NULL,
  reason          VARCHAR(2000),
  paused_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
