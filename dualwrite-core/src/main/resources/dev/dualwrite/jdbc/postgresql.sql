-- dualwrite's own tables for PostgreSQL. Apply with Flyway, Liquibase or psql; every statement is idempotent.

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
