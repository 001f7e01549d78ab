-- Hub nodes heartbeat here; a live node hands back the webhook claims of a node whose heartbeat is stale,
-- so a killed process's events wait seconds instead of the whole lease.
CREATE TABLE hub_nodes (
    node_id      text        PRIMARY KEY,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL
);

-- The node that holds a claim (NULL when unclaimed or handed back).
ALTER TABLE webhook_inbox ADD COLUMN claimed_by text;

-- Claims are fair across connections: one index probe per connection finds its oldest due events. It
-- replaces the index on next_attempt_at alone, so intake still maintains one partial index per row.
CREATE INDEX webhook_inbox_due_by_connection ON webhook_inbox (connection_id, next_attempt_at, id)
    WHERE status = 'PENDING';
DROP INDEX webhook_inbox_due;
