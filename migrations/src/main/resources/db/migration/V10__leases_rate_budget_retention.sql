-- Token refresh without a held transaction: a refresher takes a short, committed lease on the connection's
-- credentials, calls the provider outside any transaction, then compare-and-sets the new credentials on
-- `version`. lease_owner comes from a sequence, so every lease has its own owner id without any randomness.
CREATE SEQUENCE credential_lease_owners;
ALTER TABLE credentials ADD COLUMN lease_owner bigint;
ALTER TABLE credentials ADD COLUMN lease_until timestamptz;

-- The shared rate budget: Bucket4j's PostgreSQL backend keeps one token bucket per key (e.g. the Booksy app,
-- or one Booksy business) in this table, so every hub node draws from the same budget. expires_at
-- (epoch milliseconds) lets idle buckets be purged by the retention job.
CREATE TABLE rate_budget_buckets (
    id         text PRIMARY KEY,
    state      bytea,
    expires_at bigint
);

-- Retention deletes old rows in small batches by time; these indexes keep each batch an index scan.
-- (webhook_inbox gets none: intake writes it thousands of times a second, and retention finds finished rows
-- through webhook_inbox_status; webhook_log already has webhook_log_received.)
CREATE INDEX api_call_log_started ON api_call_log (started_at);
CREATE INDEX connection_events_at ON connection_events (at);
CREATE INDEX sync_runs_finished ON sync_runs (finished_at) WHERE status <> 'RUNNING';
