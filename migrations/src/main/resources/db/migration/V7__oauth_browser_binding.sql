-- Issue 10, trust boundaries: an OAuth attempt is bound to the browser that started it, and a salon owner
-- without an API key can be sent a one-time connect link.

-- The SHA-256 of the random value the hub set as a cookie on the starting browser; the callback must present
-- it. Attempts started before this version have no binding and could not finish anyway: they go.
DELETE FROM oauth_states;
ALTER TABLE oauth_states ADD COLUMN browser_hash bytea NOT NULL;

-- One-time connect links: only the SHA-256 of the 256-bit random token is kept. Using a link deletes its
-- row (DELETE ... RETURNING), so of two hub nodes serving the same link exactly one starts the authorization.
CREATE TABLE oauth_connect_links (
    token_hash    bytea PRIMARY KEY,
    connection_id uuid        NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX oauth_connect_links_by_expiry ON oauth_connect_links (expires_at);
