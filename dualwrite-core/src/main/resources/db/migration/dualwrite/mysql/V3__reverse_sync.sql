-- dualwrite's tables for the cutover (NEW_WRITES, NEW_ONLY) on MariaDB and MySQL, migration 3. Never edited once released.

-- The reverse sync of each entity: where it stands in the new service's change feed, which node holds the lease to
-- consume it, and its counts. The cursor advances in the same legacy transaction that applies the changes before it,
-- so a crash neither loses nor applies a change twice; the lease makes one node at a time consume the feed.
CREATE TABLE IF NOT EXISTS dualwrite_reverse_sync (
  entity            VARCHAR(200)     NOT NULL PRIMARY KEY,
  feed_cursor       VARCHAR(200),
  lease_owner       VARCHAR(100),
  lease_until       DATETIME(6)      NULL,
  applied           BIGINT           NOT NULL,
  skipped           BIGINT           NOT NULL,
  failed            BIGINT           NOT NULL,
  head_cursor       VARCHAR(200),
  behind            BIGINT           NOT NULL,
  caught_up_at      DATETIME(6)      NULL,
  last_change_at    DATETIME(6)      NULL,
  started_at        DATETIME(6)      NOT NULL,
  updated_at        DATETIME(6)      NOT NULL
) ENGINE=InnoDB;

-- The version of the change each legacy row last took, for the rows written since the entity entered NEW_WRITES (by
-- the monolith's write-through or by the reverse sync). The write-through sends it as the version the new service
-- must still hold; the reverse sync applies a change only when it is newer. written_by says whose write it was
-- (MONOLITH or SERVICE): the gate into NEW_ONLY waits until no monolith write was seen for the soak time. Emptied for
-- the entity at each entry into NEW_WRITES.
CREATE TABLE IF NOT EXISTS dualwrite_legacy_versions (
  entity            VARCHAR(200)     NOT NULL,
  entity_id         VARCHAR(200)     NOT NULL,
  version           BIGINT           NOT NULL,
  written_by        VARCHAR(8)       NOT NULL,
  written_at        DATETIME(6)      NOT NULL,
  PRIMARY KEY (entity, entity_id)
) ENGINE=InnoDB;

-- Changes of the new service's feed that legacy could not take (a constraint violation, say). No entity field values
-- are kept: a retry reads the id's current state from the new service again.
CREATE TABLE IF NOT EXISTS dualwrite_reverse_dead_letters (
  id                BIGINT           NOT NULL AUTO_INCREMENT PRIMARY KEY,
  entity            VARCHAR(200)     NOT NULL,
  entity_id         VARCHAR(200)     NOT NULL,
  operation         VARCHAR(8)       NOT NULL,
  version           BIGINT           NOT NULL,
  attempts          INTEGER          NOT NULL,
  last_error        VARCHAR(1000),
  created_at        DATETIME(6)      NOT NULL,
  INDEX dualwrite_reverse_dead_letters_entity (entity, id)
) ENGINE=InnoDB;

-- The inventory of legacy write paths: every Hibernate or bulk write of an entity seen from NEW_READS on, counted per
-- call site (the first stack frame of the application), node and phase revision, added up by each node every few
-- seconds. It shows which code still writes to legacy before the entity moves to NEW_ONLY; a move starts it afresh.
CREATE TABLE IF NOT EXISTS dualwrite_legacy_write_paths (
  entity            VARCHAR(200)     NOT NULL,
  revision          BIGINT           NOT NULL,
  node              VARCHAR(100)     NOT NULL,
  call_site         VARCHAR(400)     NOT NULL,
  writes            BIGINT           NOT NULL,
  last_seen         DATETIME(6) NOT NULL,
  PRIMARY KEY (entity, revision, node, call_site)
) ENGINE=InnoDB;
