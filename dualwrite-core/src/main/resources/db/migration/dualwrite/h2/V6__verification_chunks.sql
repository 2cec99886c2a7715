-- dualwrite's own tables on H2, migration 6: a verification shared by several nodes. Never edited once
-- released; every statement changes nothing when run again.

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
  lease_until     TIMESTAMP WITH TIME ZONE NOT NULL,
  claimed_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (entity, up_to_id)
);

-- 1 while the run is open (not finished and not given up for a run with other settings), NULL after: the unique index
-- lets an entity have one open run, which every node that verifies it joins.
ALTER TABLE dualwrite_verification ADD COLUMN IF NOT EXISTS open_run SMALLINT;
UPDATE dualwrite_verification SET open_run = 1
  WHERE finished_at IS NULL AND open_run IS NULL
    AND id IN (SELECT MAX(id) FROM dualwrite_verification GROUP BY entity);
CREATE UNIQUE INDEX IF NOT EXISTS dualwrite_verification_open ON dualwrite_verification (entity, open_run);
