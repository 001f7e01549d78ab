-- Sync engine bookkeeping on top of V1's sync_runs.
ALTER TABLE sync_runs
    -- Set by an admin (any hub process); the process executing the run polls it between pages.
    ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false,
    -- Upserts refused because the stored record was newer.
    ADD COLUMN stale_count      bigint  NOT NULL DEFAULT 0,
    -- Whether the connector read every resource to the end (null while running or when it failed).
    ADD COLUMN complete         boolean,
    -- Record kinds the connection's syncs write; a complete full run soft-deletes only within these.
    ADD COLUMN record_kinds     text[],
    -- Which hub process executes the run (host/pid), for diagnosing abandoned runs.
    ADD COLUMN runner           text;

-- Finds stale RUNNING runs without scanning the history.
CREATE INDEX sync_runs_running_heartbeat ON sync_runs (heartbeat_at) WHERE status = 'RUNNING';

-- The scheduler's "what is due" scan.
CREATE INDEX connections_due ON connections (next_sync_at) WHERE enabled AND sync_interval IS NOT NULL;
