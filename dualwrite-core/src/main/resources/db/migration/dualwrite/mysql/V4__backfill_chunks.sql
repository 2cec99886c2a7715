-- dualwrite's own tables on MariaDB and MySQL, migration 4: a backfill shared by several nodes. Never edited once
-- released; every statement changes nothing when run again.

-- The chunks of a backfill that a node has claimed and not finished copying. A node claims the next chunk under the
-- lock of the entity's checkpoint row (dualwrite_backfill, whose last_id then says how far the key range is claimed):
-- the keys after after_id up to and including up_to_id (after_id NULL: from the first key). The chunk is copied in
-- one transaction that locks this row, checks that the node still holds the lease and deletes the row as it commits;
-- a node that dies mid-chunk leaves the row behind, and another node takes it over once lease_until has passed.
CREATE TABLE IF NOT EXISTS dualwrite_backfill_chunks (
  entity          VARCHAR(200)     NOT NULL,
  up_to_id        VARCHAR(200)     NOT NULL,
  after_id        VARCHAR(200),
  lease_owner     VARCHAR(100)     NOT NULL,
  lease_until     DATETIME(6)      NOT NULL,
  claimed_at      DATETIME(6)      NOT NULL,
  PRIMARY KEY (entity, up_to_id)
) ENGINE=InnoDB;
