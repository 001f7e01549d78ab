-- App API keys (the /v1 API): a key bound to one or more businesses and to the scopes read and/or write.
-- Admin keys keep their meaning: hub-admin (everything) and business-admin (one business, the admin routes).
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('hub-admin', 'business-admin', 'app'));

-- Scopes only mean something for app keys; admin keys may do everything their role allows.
ALTER TABLE api_keys ADD COLUMN scopes text[];
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scopes_check
    CHECK ((role = 'app') = (scopes IS NOT NULL)
        AND (scopes IS NULL OR (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'write']::text[])));

CREATE TABLE api_key_businesses (
    key_id      uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    PRIMARY KEY (key_id, business_id)
);
CREATE INDEX api_key_businesses_business ON api_key_businesses (business_id);
