-- The change feed (docs/change-feed.md): every create, update and soft delete of a shared-model row, captured by
-- triggers on the model tables so that no write path (sync, import, webhook apply, soft delete, a future one) can
-- forget it. Each change carries the id of the transaction that wrote it (xid8, never wraps around). Readers
-- serve only changes whose transaction is older than the oldest one still running, in (xid, id) order: once a
-- change is served, every change that can still commit sorts after it, so a cursor never skips one.
CREATE TABLE model_changes (
    xid          xid8        NOT NULL DEFAULT pg_current_xact_id(),
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    business_id  uuid        NOT NULL,
    kind         text        NOT NULL,
    record_id    uuid        NOT NULL,
    connector_id text        NOT NULL,
    external_id  text        NOT NULL,
    operation    text        NOT NULL CHECK (operation IN ('created', 'updated', 'deleted')),
    changed_at   timestamptz NOT NULL,
    PRIMARY KEY (xid, id)
);
-- A business's feed pages along this index from its cursor.
CREATE INDEX model_changes_by_business ON model_changes (business_id, xid, id);

-- How far retention has deleted the feed (the last change deleted): a cursor before it would silently skip the
-- deleted changes, so the feed refuses it (410) and the app reads the model afresh instead.
CREATE TABLE model_changes_horizon (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    xid       xid8    NOT NULL,
    change_id bigint  NOT NULL
);
INSERT INTO model_changes_horizon (xid, change_id) VALUES ('0', 0);

CREATE FUNCTION record_model_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    op text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        op := CASE WHEN NEW.deleted_at IS NULL THEN 'created' ELSE 'deleted' END;
    ELSIF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
        op := 'deleted';
    ELSE
        -- Content changed, or a soft-deleted record came back.
        op := 'updated';
    END IF;
    INSERT INTO model_changes (business_id, kind, record_id, connector_id, external_id, operation, changed_at)
    VALUES (NEW.business_id, TG_ARGV[0], NEW.id, NEW.connector_id, NEW.external_id, op, NEW.updated_at);
    RETURN NULL;
END
$$;

-- An UPDATE that only stamps last_seen_run (a re-sync that found the record unchanged) is not a change: the WHEN
-- clause keeps it from even calling the function. Children (service variants, appointment segments) are
-- rewritten only together with their parent's content, which the parent's trigger reports.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('provider_businesses', 'business'), ('locations', 'location'),
            ('staff_members', 'staff_member'), ('services', 'service'), ('clients', 'client'),
            ('appointments', 'appointment'), ('availability_slots', 'availability_slot')) AS k (tab, kind)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I FOR EACH ROW EXECUTE FUNCTION record_model_change(%L)',
                t.tab || '_changes_insert', t.tab, t.kind);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I FOR EACH ROW WHEN ('
                || 'OLD.content_hash IS DISTINCT FROM NEW.content_hash OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at'
                || ' OR OLD.updated_at IS DISTINCT FROM NEW.updated_at) EXECUTE FUNCTION record_model_change(%L)',
                t.tab || '_changes_update', t.tab, t.kind);
    END LOOP;
END
$$;
