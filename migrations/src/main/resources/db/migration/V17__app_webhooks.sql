-- Outbound webhooks for apps (README "App webhooks"). An endpoint belongs to the API key that created it and
-- receives, signed with Standard Webhooks, the change-feed events of its businesses and event types.
CREATE TABLE app_webhook_endpoints (
    id                     uuid        PRIMARY KEY,
    owner_key_id           uuid        NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    url                    text        NOT NULL,
    event_types            text[]      NOT NULL CHECK (cardinality(event_types) > 0),
    business_ids           uuid[]      NOT NULL CHECK (cardinality(business_ids) > 0),
    -- The signing secret, sealed (AES-256-GCM); during a rotation the previous one signs too until its end.
    secret_key_id          text        NOT NULL,
    secret                 bytea       NOT NULL,
    previous_secret_key_id text,
    previous_secret        bytea,
    previous_secret_until  timestamptz,
    status                 text        NOT NULL CHECK (status IN ('active', 'disabled')),
    disabled_reason        text,
    disabled_at            timestamptz,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL
);
CREATE INDEX app_webhook_endpoints_by_owner ON app_webhook_endpoints (owner_key_id, created_at, id);

-- The durable outbox. A delivery is one message to one endpoint; it stays 'pending' until a 2xx, and is sent only
-- when no older pending delivery of the same endpoint and ordering key (the record, e.g. the appointment) exists,
-- so each record's events arrive in order. While claimed, next_attempt_at holds the claim's lease.
CREATE TABLE app_webhook_deliveries (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id      uuid        NOT NULL REFERENCES app_webhook_endpoints (id) ON DELETE CASCADE,
    message_id       text        NOT NULL,
    event_type       text        NOT NULL,
    ordering_key     text        NOT NULL,
    payload          text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    claimed_by       text,
    replay_of        bigint,
    created_at       timestamptz NOT NULL,
    finished_at      timestamptz,
    last_status_code integer,
    last_error       text
);
CREATE INDEX app_webhook_deliveries_due ON app_webhook_deliveries (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX app_webhook_deliveries_in_order ON app_webhook_deliveries (endpoint_id, ordering_key, id)
    WHERE status = 'pending';
CREATE INDEX app_webhook_deliveries_by_endpoint ON app_webhook_deliveries (endpoint_id, id);

-- Every attempt of a delivery: the delivery log.
CREATE TABLE app_webhook_attempts (
    delivery_id  bigint      NOT NULL REFERENCES app_webhook_deliveries (id) ON DELETE CASCADE,
    attempt      integer     NOT NULL,
    attempted_at timestamptz NOT NULL,
    status_code  integer,
    error        text,
    duration_ms  integer     NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);

-- How far the change feed has been turned into deliveries: one row, locked by the node that fans out (any one).
CREATE TABLE app_webhook_fanout (
    singleton boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    xid       xid8        NOT NULL,
    change_id bigint      NOT NULL,
    moved_at  timestamptz
);
INSERT INTO app_webhook_fanout (xid, change_id) VALUES ('0', 0);
