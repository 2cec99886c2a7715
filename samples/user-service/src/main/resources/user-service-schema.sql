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
