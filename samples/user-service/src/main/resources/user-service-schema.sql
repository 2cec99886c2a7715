-- The user service's own store: one row per (resource, id), live or tombstone, with the version it holds.
-- sort_key orders ids as the mirror protocol lists them: canonical integers numerically, then other ids.
CREATE TABLE IF NOT EXISTS documents (
  resource  VARCHAR(200)  NOT NULL,
  id        VARCHAR(200)  NOT NULL,
  sort_key  VARCHAR(260)  NOT NULL,
  version   BIGINT        NOT NULL,
  deleted   BOOLEAN       NOT NULL,
  data      CLOB,
  PRIMARY KEY (resource, id)
);
CREATE INDEX IF NOT EXISTS documents_listing ON documents (resource, sort_key);

-- The change feed: every applied write (mirrored, or through the service's own API), in the order it committed.
-- feed_heads holds each resource's newest position; a write takes the next one under that row's lock, so positions
-- commit in order and a reader never sees a position before a lower one.
CREATE TABLE IF NOT EXISTS feed_heads (
  resource  VARCHAR(200)  NOT NULL PRIMARY KEY,
  head      BIGINT        NOT NULL
);
CREATE TABLE IF NOT EXISTS changes (
  resource    VARCHAR(200)  NOT NULL,
  position    BIGINT        NOT NULL,
  id          VARCHAR(200)  NOT NULL,
  version     BIGINT        NOT NULL,
  deleted     BOOLEAN       NOT NULL,
  data        CLOB,
  origin      VARCHAR(10)   NOT NULL,
  applied_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (resource, position)
);
