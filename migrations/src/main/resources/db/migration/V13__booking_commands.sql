-- Two-way booking: every write an app asks for (book, move, cancel) is a command, committed here with the app's
-- Idempotency-Key before any provider call. Workers on any hub node claim due commands with a lease (FOR UPDATE
-- SKIP LOCKED, like the webhook inbox); a command found SENT or UNKNOWN (its answer lost, or its node killed
-- mid-call) is looked up at the provider by its client reference before anything is sent again.
CREATE TABLE booking_commands (
    id                      uuid PRIMARY KEY,
    business_id             uuid        NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    connection_id           uuid        NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    connector_id            text        NOT NULL,
    kind                    text        NOT NULL CHECK (kind IN ('CREATE', 'RESCHEDULE', 'CANCEL')),
    -- The app's key (unique per business, kept at least 24 h) and a hash of what it was first sent with.
    idempotency_key         text        NOT NULL,
    request_hash            text        NOT NULL,
    request                 jsonb       NOT NULL,
    -- The provider's record: the target of a reschedule or cancel, the result of a create.
    appointment_external_id text,
    -- The shared model's row, once the answer was written to it.
    appointment_id          uuid,
    state                   text        NOT NULL
        CHECK (state IN ('PENDING', 'SENT', 'CONFIRMED', 'REJECTED', 'UNKNOWN', 'RECONCILED')),
    attempts                integer     NOT NULL DEFAULT 0,
    next_attempt_at         timestamptz NOT NULL,
    -- The claim (node and claim id) and its end; NULL when unclaimed.
    claimed_by              text,
    lease_until             timestamptz,
    -- The first final answer, replayed to every retry with the same key.
    response_status         integer,
    response                text,
    error_code              text,
    last_error              text,
    transitions             jsonb       NOT NULL DEFAULT '[]'::jsonb,
    created_by              uuid,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    finished_at             timestamptz,
    UNIQUE (business_id, idempotency_key)
);
CREATE INDEX booking_commands_due ON booking_commands (next_attempt_at) WHERE state IN ('PENDING', 'SENT', 'UNKNOWN');
CREATE INDEX booking_commands_by_business ON booking_commands (business_id, created_at DESC, id DESC);
CREATE INDEX booking_commands_finished ON booking_commands (finished_at) WHERE finished_at IS NOT NULL;
