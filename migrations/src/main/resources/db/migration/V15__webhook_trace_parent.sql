-- The W3C traceparent of the request that delivered an event (null when tracing is off), so the event's apply,
-- later and possibly on another hub node, can link its span to the intake's.
ALTER TABLE webhook_inbox ADD COLUMN trace_parent text;
