-- Webhook intake: what became of each delivery, and what the worker needs to rebuild an event.

-- One audit row per accepted event or per refused request. outcome says what the hub did with it;
-- inbox_id links accepted and duplicate deliveries to the inbox row that carries their effect.
ALTER TABLE webhook_log
    ADD COLUMN outcome     text    NOT NULL DEFAULT 'ACCEPTED'
        CHECK (outcome IN ('ACCEPTED', 'DUPLICATE', 'REFUSED', 'INVALID')),
    ADD COLUMN http_status integer,
    ADD COLUMN inbox_id    bigint  REFERENCES webhook_inbox (id) ON DELETE SET NULL;
CREATE INDEX webhook_log_by_connector ON webhook_log (connector_id, received_at DESC);
CREATE INDEX webhook_log_inbox ON webhook_log (inbox_id);

ALTER TABLE webhook_inbox
    ADD COLUMN account_id  text,
    ADD COLUMN occurred_at timestamptz;
CREATE INDEX webhook_inbox_status ON webhook_inbox (status);
