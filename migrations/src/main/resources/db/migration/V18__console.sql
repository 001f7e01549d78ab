-- Admin console sessions. The cookie holds a 256-bit random token; only its SHA-256 is stored. A session belongs
-- to the API key that signed in and ends with it (revoking the key ends its sessions at once).
CREATE TABLE console_sessions (
    token_hash  bytea PRIMARY KEY,
    key_id      uuid        NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    csrf_token  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);

-- A file uploaded for a dry-run preview, kept until the owner confirms the import (or it expires), so the confirm
-- step imports exactly the bytes that were previewed, on whichever hub node serves it.
CREATE TABLE console_uploads (
    id           uuid PRIMARY KEY,
    session_hash bytea       NOT NULL REFERENCES console_sessions (token_hash) ON DELETE CASCADE,
    business_id  uuid        NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    connector_id text        NOT NULL,
    kind         text,
    file_name    text        NOT NULL,
    body         bytea       NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX console_uploads_by_expiry ON console_uploads (expires_at);

-- Where the browser goes after the provider's callback when the console started the authorization (a /console
-- path only; checked when the state is created).
ALTER TABLE oauth_states ADD COLUMN return_to text;
