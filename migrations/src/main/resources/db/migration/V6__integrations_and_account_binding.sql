-- Integrations: the operator's settings of each connector (the provider app registration and how the hub
-- talks to the provider), set through PUT /admin/connectors/{id}/settings. Connections hold only what the
-- tenant owns, plus admin-only overrides.
CREATE TABLE integration_settings (
    connector_id  text PRIMARY KEY,
    config        jsonb       NOT NULL DEFAULT '{}'::jsonb,   -- non-secret values only
    secret_config bytea,                                      -- AES-256-GCM of a JSON map
    secret_key_id text,
    updated_at    timestamptz NOT NULL
);

-- Who changed which integration setting; names only, never values of secrets.
CREATE TABLE integration_events (
    id           bigserial PRIMARY KEY,
    connector_id text        NOT NULL,
    at           timestamptz NOT NULL,
    actor        text        NOT NULL,
    message      text        NOT NULL
);
CREATE INDEX integration_events_by_connector ON integration_events (connector_id, at DESC);

-- Tokens are bound to where they were issued: a fingerprint of the endpoint settings (base URL, token URL,
-- client id, ...) in force when they were stored. Stored tokens under another fingerprint are never used,
-- so they never reach a new host. Rows from before this column are treated as unbound (re-authorize).
ALTER TABLE credentials ADD COLUMN binding text;

-- A provider account is bound to at most one enabled connection of a connector: webhooks for it reach one
-- tenant only. account_id is written only after the connector verified the credentials grant it.
UPDATE connections SET account_id = NULL;
DROP INDEX connections_account;
CREATE UNIQUE INDEX connections_bound_account ON connections (connector_id, account_id)
    WHERE enabled AND account_id IS NOT NULL;
CREATE INDEX connections_account ON connections (connector_id, account_id);
