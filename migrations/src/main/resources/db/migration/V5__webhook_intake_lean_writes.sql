-- Webhook intake writes an inbox row and an audit row per event, thousands a second at peak: every index
-- and trigger on these tables is paid on that path. Drop what no query needs.

-- The audit row's inbox_id is written in the same transaction as the inbox row it names, so the foreign
-- key only added a per-row check on insert (and a lookup per deleted inbox row on purge). A purged inbox
-- row may leave a later duplicate's audit row pointing at nothing; the admin listing joins with LEFT JOIN.
ALTER TABLE webhook_log DROP CONSTRAINT webhook_log_inbox_id_fkey;
DROP INDEX webhook_log_inbox;

-- Admin listings read webhook_log; nothing looks up inbox rows by business.
DROP INDEX webhook_inbox_by_business;
