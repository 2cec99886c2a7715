-- dualwrite's own tables on MariaDB and MySQL, migration 6: a verification shared by several nodes. Never edited once
-- released; every statement changes nothing when run again. MySQL has no ADD COLUMN IF NOT EXISTS and no CREATE INDEX
-- IF NOT EXISTS (MariaDB has both): those statements are prepared only when information_schema does not list the
-- column or the index yet.

-- The chunks of an entity's open verification run that a node has claimed and not yet recorded. A node claims the
-- next chunk under the lock of the run's row (dualwrite_verification, whose legacy_after then says how far the legacy
-- key range is claimed): the keys after after_id up to and including up_to_id (after_id NULL: from the first key).
-- The node compares the chunk and adds what it found to the run's counts in one transaction that locks this row,
-- checks that the node still holds the lease and deletes the row; a node that dies mid-chunk leaves the row behind,
-- and another node takes it over once lease_until has passed. The row whose up_to_id is empty is the lease of the
-- walk of the new service's listing, which one node at a time walks from the run's new_after.
CREATE TABLE IF NOT EXISTS dualwrite_verification_chunks (
  entity          VARCHAR(200)     NOT NULL,
  up_to_id        VARCHAR(200)     NOT NULL,
  after_id        VARCHAR(200),
  lease_owner     VARCHAR(100)     NOT NULL,
  lease_until     DATETIME(6)      NOT NULL,
  claimed_at      DATETIME(6)      NOT NULL,
  PRIMARY KEY (entity, up_to_id)
) ENGINE=InnoDB;

-- 1 while the run is open (not finished and not given up for a run with other settings), NULL after: the unique index
-- lets an entity have one open run, which every node that verifies it joins.
SET @dualwrite_add_open_run = (SELECT IF(COUNT(*) = 0,
    'ALTER TABLE dualwrite_verification ADD COLUMN open_run SMALLINT NULL', 'DO 0')
  FROM information_schema.COLUMNS
  WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'dualwrite_verification' AND COLUMN_NAME = 'open_run');
PREPARE dualwrite_add_open_run FROM @dualwrite_add_open_run;
EXECUTE dualwrite_add_open_run;
DEALLOCATE PREPARE dualwrite_add_open_run;
UPDATE dualwrite_verification SET open_run = 1
  WHERE finished_at IS NULL AND open_run IS NULL
    AND id IN (SELECT id FROM (SELECT MAX(id) AS id FROM dualwrite_verification GROUP BY entity) AS latest);
SET @dualwrite_add_open_index = (SELECT IF(COUNT(*) = 0,
    'CREATE UNIQUE INDEX dualwrite_verification_open ON dualwrite_verification (entity, open_run)', 'DO 0')
  FROM information_schema.STATISTICS
  WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'dualwrite_verification'
    AND INDEX_NAME = 'dualwrite_verification_open');
PREPARE dualwrite_add_open_index FROM @dualwrite_add_open_index;
EXECUTE dualwrite_add_open_index;
DEALLOCATE PREPARE dualwrite_add_open_index;
