-- Reads whose cost does not grow with history (issue 17, finding 4).
--
-- A window [from, to) wants every row that overlaps it: ends_at > from AND starts_at < to. A B-tree on
-- (business_id, starts_at) bounds starts_at only from above, so the old query walked the business's whole
-- history before `to` and dropped most of it on ends_at. A lower bound on starts_at exists only for bounded
-- durations, so ModelQueries splits the window into two disjoint index ranges (UNION ALL):
--   * rows starting after from - 24 h: the *_window index, a range of the window plus one day, read in start
--     order (a LIMIT stops early and a keyset cursor carries on from the same index position). ends_at is the
--     last key column so `ends_at > from` is checked on the index entry: the day before the window costs index
--     entries, not heap rows;
--   * rows starting at or before from - 24 h that still run at `from`: they last more than 24 hours, so the
--     partial *_long index (the rare multi-day rows only), keyed by their end, finds just those still running.
-- Neither range grows with the history before the window.
--
-- Not a GiST index on tstzrange(starts_at, ends_at): it answers overlap without a duration bound, but needs the
-- btree_gist extension for business_id and cannot return rows in start order, so every page of an open-ended
-- window would sort all of it.
--
-- (starts_at, connector_id, external_id) is the listing's order and its cursor's key, consecutive in the index,
-- so a cursor position (starts_at, connector_id, external_id) > (...) is an index range, not a filter.
CREATE INDEX appointments_window ON appointments (business_id, starts_at, connector_id, external_id, ends_at);
CREATE INDEX appointments_long ON appointments (business_id, ends_at)
    WHERE ends_at - starts_at > interval '24 hours';
DROP INDEX appointments_by_time;

CREATE INDEX availability_window ON availability_slots (business_id, starts_at, connector_id, external_id, ends_at);
CREATE INDEX availability_long ON availability_slots (business_id, ends_at)
    WHERE ends_at - starts_at > interval '24 hours';
DROP INDEX availability_by_time;

-- Listings ordered by name: the same keyset shape.
CREATE INDEX services_by_name ON services (business_id, name, connector_id, external_id);
CREATE INDEX staff_members_by_name ON staff_members (business_id, name, connector_id, external_id);
CREATE INDEX clients_by_name ON clients (business_id, name, connector_id, external_id);
CREATE INDEX locations_by_name ON locations (business_id, name, connector_id, external_id);

-- Businesses are listed by (created_at, id).
CREATE INDEX businesses_by_created ON businesses (created_at, id);
