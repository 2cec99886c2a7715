-- dualwrite's own tables for MariaDB and MySQL (InnoDB), migration 1. Timestamps are stored in UTC.
-- A released migration is never edited: a release that changes a table adds the next one (V2__...). Apply them with
-- Flyway (this folder, with its own history table), Liquibase (db/changelog/dualwrite/changelog.xml) or by hand in
-- version order; DualWriteSchema.createIfMissing applies them all at each start, so every statement is written to
-- change nothing when run again.

-- Current phase per entity. revision grows by one with every move (compare-and-set).
CREATE TABLE IF NOT EXISTS dualwrite_phase (
  entity          VARCHAR(200)     NOT NULL PRIMARY KEY,
  phase           VARCHAR(32)      NOT NULL,
  canary_percent  DOUBLE,
  revision        BIGINT           NOT NULL,
  changed_at      DATETIME(6)      NOT NULL
) ENGINE=InnoDB;

-- Every move: who, why, when. (entity, revision) is unique, so a move can never be recorded twice.
CREATE TABLE IF NOT EXISTS dualwrite_phase_history (
  id              BIGINT           NOT NULL AUTO_INCREMENT PRIMARY KEY,
  entity          VARCHAR(200)     NOT NULL,
  revision        BIGINT           NOT NULL,
  from_phase      VARCHAR(32)      NOT NULL,
  to_phase        VARCHAR(32)      NOT NULL,
  canary_percent  DOUBLE,
  actor           VARCHAR(200)     NOT NULL,
  reason          VARCHAR(2000),
  forced          BOOLEAN          NOT NULL,
  moved_at        DATETIME(6)      NOT NULL,
  CONSTRAINT dualwrite_phase_history_entity_revision UNIQUE (entity, revision)
) ENGINE=InnoDB;

-- The outbox: one row per mirrored change, written in the same transaction as the entity change. The relay claims
-- PENDING rows in id order (SKIP LOCKED, MariaDB 10.6+ / MySQL 8+), leases them by pushing next_attempt_at forward,
-- delivers them, and marks them DELIVERED, or DEAD after the last attempt or a permanent rejection.
-- The row id is the change's version at the new service: it grows with every change, also across a delete and a
-- re-creation of the same entity id. Never TRUNCATE this table or reset its id sequence (that would start versions
-- again below what the new service holds); delete rows instead, or let the relay's purge do it.
CREATE TABLE IF NOT EXISTS dualwrite_outbox (
  id               BIGINT           NOT NULL AUTO_INCREMENT PRIMARY KEY,
  entity           VARCHAR(200)     NOT NULL,
  resource         VARCHAR(200)     NOT NULL,
  entity_id        VARCHAR(200)     NOT NULL,
  operation        VARCHAR(8)       NOT NULL,
  idempotency_key  VARCHAR(64)      NOT NULL,
  payload          LONGTEXT,
  origin           VARCHAR(12)      NOT NULL,
  status           VARCHAR(12)      NOT NULL,
  attempts         INT              NOT NULL,
  created_at       DATETIME(6)      NOT NULL,
  next_attempt_at  DATETIME(6)      NOT NULL,
  lease_owner      VARCHAR(100),
  delivered_at     DATETIME(6),
  last_status      INT,
  last_error       VARCHAR(1000),
  INDEX dualwrite_outbox_status_id (status, id),
  INDEX dualwrite_outbox_entity_key (entity, entity_id)
) ENGINE=InnoDB;

-- The backfill's checkpoint per entity: the last id copied in key order and the rows copied. Each chunk locks this row
-- (SELECT ... FOR UPDATE) and advances it in the transaction that appends the chunk's snapshots to the outbox, so a
-- restarted backfill resumes exactly after the last committed chunk. finished_at is set when a run finds no row left.
CREATE TABLE IF NOT EXISTS dualwrite_backfill (
  entity          VARCHAR(200)     NOT NULL PRIMARY KEY,
  last_id         VARCHAR(200),
  rows_done       BIGINT           NOT NULL,
  started_at      DATETIME(6)      NOT NULL,
  updated_at      DATETIME(6)      NOT NULL,
  finished_at     DATETIME(6)
) ENGINE=InnoDB;

-- One row per verification run: where it stands (stage, and the last legacy id and new-service listing cursor
-- checked), its counts (retries: reads of the new service tried again after failing for a moment) and a bounded
-- sample of the keys of each kind (JSON, sensitive fields masked, with the reason each unrepaired key was not
-- repaired). An unfinished run is resumed; the latest finished run of an entity is its last verification result.
CREATE TABLE IF NOT EXISTS dualwrite_verification (
  id              BIGINT           NOT NULL AUTO_INCREMENT PRIMARY KEY,
  entity          VARCHAR(200)     NOT NULL,
  repair          BOOLEAN          NOT NULL,
  sample_rate     DOUBLE           NOT NULL,
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
  samples         LONGTEXT,
  started_at      DATETIME(6)      NOT NULL,
  updated_at      DATETIME(6)      NOT NULL,
  finished_at     DATETIME(6),
  INDEX dualwrite_verification_entity_id (entity, id)
) ENGINE=InnoDB;

-- Shadow comparisons per entity, node and phase revision, added up by each node every few seconds: the evidence of
-- the gate into NEW_READS (mismatch rate since entering SHADOW_READS, all nodes together).
CREATE TABLE IF NOT EXISTS dualwrite_shadow_stats (
  entity          VARCHAR(200)     NOT NULL,
  node            VARCHAR(100)     NOT NULL,
  revision        BIGINT           NOT NULL,
  compared        BIGINT           NOT NULL,
  mismatched      BIGINT           NOT NULL,
  PRIMARY KEY (entity, node, revision)
) ENGINE=InnoDB;
