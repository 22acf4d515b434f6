-- Which hub node holds each gateway's connection, and each node's heartbeat:
-- a gateway counts as connected while its node's heartbeat is fresh.
ALTER TABLE gateways ADD COLUMN node_id TEXT;
CREATE TABLE hub_nodes (
  id TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
