-- dualwrite's own tables for PostgreSQL, migration 1.
-- A released migration is never edited: a release that changes a table adds the next one (V2__...). Apply them with
-- Flyway (this folder, with its own history table), Liquibase (db/changelog/dualwrite/changelog.xml) or by hand in
-- version order; DualWriteSchema.createIfMissing applies them all at each start, so every statement is written to
-- change nothing when run again.

-- Current phase per entity. revision grows by one with every move (compare-and-set).
CREATE TABLE IF NOT EXISTS dualwrite_phase (
  entity          VARCHAR(200)     NOT NULL PRIMARY KEY,
  phase           VARCHAR(32)      NOT NULL,
  canary_percent  DOUBLE PRECISION,
  revision        BIGINT           NOT NULL,
  changed_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Every move: who, why, when. (entity, revision) is unique, so a move can never be recorded twice.
CREATE TABLE IF NOT EXISTS dualwrite_phase_history (
  id              BIGSERIAL        PRIMARY KEY,
  entity          VARCHAR(200)     NOT NULL,
  revision        BIGINT           NOT NULL,
  from_phase      VARCHAR(32)      NOT NULL,
  to_phase        VARCHAR(32)      NOT NULL,
  canary_percent  DOUBLE PRECISION,
  actor           VARCHAR(200)     NOT NULL,
  reason          VARCHAR(2000),
  forced          BOOLEAN          NOT NULL,
  moved_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT dualwrite_phase_history_entity_revision UNIQUE (entity, revision)
);

-- The outbox: one row per mirrored change, written in the same transaction as the entity change. The relay claims
-- PENDING rows in id order (SKIP LOCKED), leases them by pushing next_attempt_at forward, delivers them, and marks
-- them DELIVERED, or DEAD after the last attempt or a permanent rejection.
-- The row id is the change's version at the new service: it grows with every change, also across a delete and a
-- re-creation of the same entity id. Never TRUNCATE this table or reset its id sequence (that would start versions
-- again below what the new service holds); delete rows instead, or let the relay's purge do it.
CREATE TABLE IF NOT EXISTS dualwrite_outbox (
  id               BIGSERIAL        PRIMARY KEY,
  entity           VARCHAR(200)     NOT NULL,
  resource         VARCHAR(200)     NOT NULL,
  entity_id        VARCHAR(200)     NOT NULL,
  operation        VARCHAR(8)       NOT NULL,
  idempotency_key  VARCHAR(64)      NOT NULL,
  payload          TEXT,
  origin           VARCHAR(12)      NOT NULL,
  status           VARCHAR(12)      NOT NULL,
  attempts         INTEGER          NOT NULL,
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  lease_owner      VARCHAR(100),
  delivered_at     TIMESTAMP WITH TIME ZONE,
  last_status      INTEGER,
  last_error       VARCHAR(1000)
);
CREATE INDEX IF NOT EXISTS dualwrite_outbox_status_id ON dualwrite_outbox (status, id);
-- Finds a key's undelivered changes (read-your-writes across nodes, verification re-checks).
CREATE INDEX IF NOT EXISTS dualwrite_outbox_entity_key ON dualwrite_outbox (entity, entity_id);

-- The backfill's checkpoint per entity: the last id copied in key order and the rows copied. Each chunk locks this row
-- (SELECT ... FOR UPDATE) and advances it in the transaction that appends the chunk's snapshots to the outbox, so a
-- restarted backfill resumes exactly after the last committed chunk. finished_at is set when a run finds no row left.
CREATE TABLE IF NOT EXISTS dualwrite_backfill (
  entity          VARCHAR(200)     NOT NULL PRIMARY KEY,
  last_id         VARCHAR(200),
  rows_done       BIGINT           NOT NULL,
  started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at     TIMESTAMP WITH TIME ZONE
);

-- One row per verification run: where it stands (stage, and the last legacy id and new-service listing cursor
-- checked), its counts (retries: reads of the new service tried again after failing for a moment) and a bounded
-- sample of the keys of each kind (JSON, sensitive fields masked, with the reason each unrepaired key was not
-- repaired). An unfinished run is resumed; the latest finished run of an entity is its last verification result.
CREATE TABLE IF NOT EXISTS dualwrite_verification (
  id              BIGSERIAL        PRIMARY KEY,
  entity          VARCHAR(200)     NOT NULL,
  repair          BOOLEAN          NOT NULL,
  sample_rate     DOUBLE PRECISION NOT NULL,
  stage           VARCHAR(16)      NOT NULL,
  legacy_after    VARCHAR(200),
  new_after       VARCHAR(200),
  compared        BIGINT           NOT NULL,
  missing         BIGINT           NOT NULL,
  extra           BIGINT           NOT NULL,
  different       BIGINT           NOT NULL,
  in_flight       BIGINT           NOT NULL,
  repaired        BIGINT           NOT NULL,
  not_repaired    BIGINT           NOT NULL,
  retries         BIGINT           NOT NULL,
  samples         TEXT,
  started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX IF NOT EXISTS dualwrite_verification_entity_id ON dualwrite_verification (entity, id);

-- Shadow comparisons per entity, node and phase revision, added up by each node every few seconds: the evidence of
-- the gate into NEW_READS (mismatch rate since entering SHADOW_READS, all nodes together).
CREATE TABLE IF NOT EXISTS dualwrite_shadow_stats (
  entity          VARCHAR(200)     NOT NULL,
  node            VARCHAR(100)     NOT NULL,
  revision        BIGINT           NOT NULL,
  compared        BIGINT           NOT NULL,
  mismatched      BIGINT           NOT NULL,
  PRIMARY KEY (entity, node, revision)
);
