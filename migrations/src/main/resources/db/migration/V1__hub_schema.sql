-- The hub's schema. Instants are timestamptz; local times are never stored without a zone column.

-- Tenancy -------------------------------------------------------------------------------------------
CREATE TABLE businesses (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    time_zone   text        NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- Admin API keys: only a SHA-256 of the (256-bit random) token is kept.
CREATE TABLE api_keys (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL,
    key_hash    bytea       NOT NULL UNIQUE,
    role        text        NOT NULL CHECK (role IN ('hub-admin', 'business-admin')),
    business_id uuid        REFERENCES businesses (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    CHECK ((role = 'business-admin') = (business_id IS NOT NULL))
);

-- Connections: one business x one connector ----------------------------------------------------------
CREATE TABLE connections (
    id                uuid PRIMARY KEY,
    business_id       uuid        NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    connector_id      text        NOT NULL,
    enabled           boolean     NOT NULL,
    config            jsonb       NOT NULL DEFAULT '{}'::jsonb,   -- non-secret values only
    secret_config     bytea,                                      -- AES-256-GCM of a JSON map
    secret_key_id     text,
    status            text        NOT NULL,
    status_reason     text,
    account_id        text,                                       -- provider account, for webhook routing
    sync_interval     text,                                       -- ISO-8601 duration, null = no schedule
    next_sync_at      timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    UNIQUE (business_id, connector_id)
);
CREATE INDEX connections_account ON connections (connector_id, account_id) WHERE enabled;

CREATE TABLE credentials (
    connection_id uuid PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
    key_id        text        NOT NULL,
    ciphertext    bytea       NOT NULL,
    version       bigint      NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- OAuth authorization attempts: state is stored hashed, the PKCE verifier encrypted.
CREATE TABLE oauth_states (
    state_hash    bytea PRIMARY KEY,
    connection_id uuid        NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    key_id        text        NOT NULL,
    verifier      bytea       NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);

CREATE TABLE connection_events (
    id            bigserial PRIMARY KEY,
    connection_id uuid        NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    at            timestamptz NOT NULL,
    type          text        NOT NULL,
    message       text        NOT NULL
);
CREATE INDEX connection_events_by_connection ON connection_events (connection_id, at DESC);

-- Sync runs (the seed guide's sync_logs) ---------------------------------------------------------------
CREATE TABLE sync_runs (
    id             uuid PRIMARY KEY,
    connection_id  uuid        NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    mode           text        NOT NULL CHECK (mode IN ('FULL', 'INCREMENTAL', 'IMPORT')),
    trigger        text        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED')),
    started_at     timestamptz NOT NULL,
    heartbeat_at   timestamptz NOT NULL,
    finished_at    timestamptz,
    created_count  bigint      NOT NULL DEFAULT 0,
    updated_count  bigint      NOT NULL DEFAULT 0,
    unchanged_count bigint     NOT NULL DEFAULT 0,
    deleted_count  bigint      NOT NULL DEFAULT 0,
    skipped_count  bigint      NOT NULL DEFAULT 0,
    progress       jsonb,
    error_code     text,
    error_message  text
);
CREATE INDEX sync_runs_by_connection ON sync_runs (connection_id, started_at DESC);
-- At most one running sync per connection, whichever hub process started it.
CREATE UNIQUE INDEX sync_runs_one_running ON sync_runs (connection_id) WHERE status = 'RUNNING';

CREATE TABLE sync_logs (
    id           bigserial PRIMARY KEY,
    sync_run_id  uuid        NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    at           timestamptz NOT NULL,
    level        text        NOT NULL,
    record_kind  text,
    external_id  text,
    message      text        NOT NULL
);
CREATE INDEX sync_logs_by_run ON sync_logs (sync_run_id, id);

CREATE TABLE sync_cursors (
    connection_id uuid        NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    resource      text        NOT NULL,
    cursor        text        NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (connection_id, resource)
);

-- Outbound provider calls ----------------------------------------------------------------------------
CREATE TABLE api_call_log (
    id            bigserial PRIMARY KEY,
    connection_id uuid        NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    started_at    timestamptz NOT NULL,
    method        text        NOT NULL,
    path          text        NOT NULL,
    status        integer     NOT NULL,
    latency_ms    bigint      NOT NULL,
    attempt       integer     NOT NULL,
    error         text
);
CREATE INDEX api_call_log_by_connection ON api_call_log (connection_id, started_at DESC);

-- Webhooks (the seed guide's booksy_webhook_logs, for every connector) ----------------------------------
CREATE TABLE webhook_log (
    id                 bigserial PRIMARY KEY,
    connector_id       text        NOT NULL,
    business_id        uuid,
    connection_id      uuid,
    event_id           text,
    event_type         text,
    signature_outcome  text        NOT NULL,
    reason             text,
    received_at        timestamptz NOT NULL,
    body_size          integer     NOT NULL
);
CREATE INDEX webhook_log_by_business ON webhook_log (business_id, received_at DESC);
CREATE INDEX webhook_log_received ON webhook_log (received_at DESC);

CREATE TABLE webhook_inbox (
    id               bigserial PRIMARY KEY,
    connector_id     text        NOT NULL,
    dedup_key        text        NOT NULL,
    business_id      uuid,
    connection_id    uuid,
    event_id         text,
    event_type       text        NOT NULL,
    payload          text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('PENDING', 'DONE', 'PARKED', 'UNROUTED')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    received_at      timestamptz NOT NULL,
    processed_at     timestamptz,
    UNIQUE (connector_id, dedup_key)
);
CREATE INDEX webhook_inbox_due ON webhook_inbox (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_inbox_by_business ON webhook_inbox (business_id, received_at DESC);

-- The shared appointment model ------------------------------------------------------------------------
-- Every record: unique (business, connector, external id); raw provider payload kept for passthrough;
-- content_hash lets an identical re-sync write nothing; provider_version / provider_updated_at refuse
-- stale writes; deleted_at is the soft delete of records the provider no longer has.

CREATE TABLE provider_businesses (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id         uuid        NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    connector_id        text        NOT NULL,
    external_id         text        NOT NULL,
    name                text        NOT NULL,
    time_zone           text        NOT NULL,
    currency            text,
    raw                 jsonb,
    content_hash        text        NOT NULL,
    provider_version    bigint,
    provider_updated_at timestamptz,
    last_seen_run       uuid,
    deleted_at          timestamptz,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    UNIQUE (business_id, connector_id, external_id)
);

CREATE TABLE locations (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id         uuid        NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    connector_id        text        NOT NULL,
    external_id         text        NOT NULL,
    name                text        NOT NULL,
    address             text,
    time_zone           text        NOT NULL,
    raw                 jsonb,
    content_hash        text        NOT NULL,
    provider_version    bigint,
    provider_updated_at timestamptz,
    last_seen_run       uuid,
    deleted_at          timestamptz,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    UNIQUE (business_id, connector_id, external_id)
);

CREATE TABLE staff_members (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id          uuid        NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    connector_id         text        NOT NULL,
    external_id          text        NOT NULL,
    name                 text        NOT NULL,
    email                text,
    phone                text,
    location_external_id text,
    active               boolean     NOT NULL,
    raw                  jsonb,
    content_hash         text        NOT NULL,
    provider_version     bigint,
    provider_updated_at  timestamptz,
    last_seen_run        uuid,
    deleted_at           timestamptz,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    UNIQUE (business_id, connector_id, external_id)
);

CREATE TABLE services (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id         uuid        NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    connector_id        text        NOT NULL,
    external_id         text        NOT NULL,
    name                text        NOT NULL,
    category            text,
    description         text,
    active              boolean     NOT NULL,
    raw                 jsonb,
    content_hash        text        NOT NULL,
    provider_version    bigint,
    provider_updated_at timestamptz,
    last_seen_run       uuid,
    deleted_at          timestamptz,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    UNIQUE (business_id, connector_id, external_id)
);

CREATE TABLE service_variants (
    service_id        uuid          NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position          integer       NOT NULL,
    external_id       text          NOT NULL,
    name              text,
    duration_seconds  bigint        NOT NULL CHECK (duration_seconds > 0),
    price_amount      numeric(19,4) CHECK (price_amount >= 0),
    price_currency    text,
    PRIMARY KEY (service_id, external_id)
);

CREATE TABLE clients (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id         uuid        NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    connector_id        text        NOT NULL,
    external_id         text        NOT NULL,
    name                text        NOT NULL,
    email               text,
    phone               text,
    raw                 jsonb,
    content_hash        text        NOT NULL,
    provider_version    bigint,
    provider_updated_at timestamptz,
    last_seen_run       uuid,
    deleted_at          timestamptz,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    UNIQUE (business_id, connector_id, external_id)
);

CREATE TABLE appointments (
    id                            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id                   uuid          NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    connector_id                  text          NOT NULL,
    external_id                   text          NOT NULL,
    client_external_id            text,
    location_external_id          text,
    starts_at                     timestamptz   NOT NULL,
    ends_at                       timestamptz   NOT NULL,
    time_zone                     text          NOT NULL,
    status                        text          NOT NULL,
    provider_status               text,
    cancellation_reason           text,
    cancelled_at                  timestamptz,
    client_note                   text,
    business_note                 text,
    price_amount                  numeric(19,4) CHECK (price_amount >= 0),
    price_currency                text,
    rescheduled_from_external_id  text,
    raw                           jsonb,
    content_hash                  text          NOT NULL,
    provider_version              bigint,
    provider_updated_at           timestamptz,
    last_seen_run                 uuid,
    deleted_at                    timestamptz,
    created_at                    timestamptz   NOT NULL,
    updated_at                    timestamptz   NOT NULL,
    UNIQUE (business_id, connector_id, external_id),
    CHECK (ends_at > starts_at)
);
CREATE INDEX appointments_by_time ON appointments (business_id, starts_at);

CREATE TABLE appointment_segments (
    appointment_id              uuid        NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    position                    integer     NOT NULL,
    service_external_id         text,
    service_variant_external_id text,
    staff_external_id           text,
    starts_at                   timestamptz NOT NULL,
    ends_at                     timestamptz NOT NULL,
    PRIMARY KEY (appointment_id, position),
    CHECK (ends_at > starts_at)
);

CREATE TABLE availability_slots (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id          uuid        NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    connector_id         text        NOT NULL,
    external_id          text        NOT NULL,
    staff_external_id    text,
    service_external_id  text,
    location_external_id text,
    starts_at            timestamptz NOT NULL,
    ends_at              timestamptz NOT NULL,
    time_zone            text        NOT NULL,
    raw                  jsonb,
    content_hash         text        NOT NULL,
    provider_version     bigint,
    provider_updated_at  timestamptz,
    last_seen_run        uuid,
    deleted_at           timestamptz,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    UNIQUE (business_id, connector_id, external_id),
    CHECK (ends_at > starts_at)
);
CREATE INDEX availability_by_time ON availability_slots (business_id, starts_at);
