package io.bookinghub.hub.changes;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Reads the change feed (docs/change-feed.md). A statement serves only changes whose transaction id is below the
 * oldest transaction still running ({@code pg_snapshot_xmin} of the statement's own snapshot): those have all
 * committed or aborted, so nothing can still appear before the last one served. Ordered by (xid, id), a position
 * therefore never skips a change, whatever order writers commit in; a long transaction only delays the feed.
 */
public final class ChangeFeed {
    // Not aliased "xid": ORDER BY would sort by the text alias (so "993" after "1007") instead of the column.
    private static final String COLUMNS = "xid::text AS xid_text, id, business_id, kind, record_id, connector_id,"
            + " external_id, operation, changed_at";
    private static final String SETTLED = "(xid, id) > (CAST(:xid AS xid8), :id)"
            + " AND xid < pg_snapshot_xmin(pg_current_snapshot())";
    private static final RowMapper<Change> MAPPER = (rs, ctx) -> new Change(
            new FeedPosition(Long.parseLong(rs.getString("xid_text")), rs.getLong("id")),
            rs.getObject("business_id", UUID.class), rs.getString("kind"), rs.getObject("record_id", UUID.class),
            rs.getString("connector_id"), rs.getString("external_id"), rs.getString("operation"),
            rs.getTimestamp("changed_at").toInstant());

    private final Jdbi jdbi;

    public ChangeFeed(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** Up to {@code limit} settled changes of one business after {@code after}, in feed order. */
    public List<Change> read(UUID businessId, FeedPosition after, int limit) {
        requireNonNull(businessId, "businessId is null");
        requireNonNull(after, "after is null");
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM model_changes"
                        + " WHERE business_id = :business AND " + SETTLED + " ORDER BY xid, id LIMIT :limit")
                .bind("business", businessId).bind("xid", Long.toString(after.xid())).bind("id", after.id())
                .bind("limit", limit).map(MAPPER).list());
    }

    /** The last change retention deleted: a cursor before it has missed changes that are gone. */
    public FeedPosition horizon() {
        return jdbi.withHandle(h -> h.createQuery("SELECT xid::text AS xid_text, change_id FROM model_changes_horizon")
                .map((rs, ctx) -> new FeedPosition(Long.parseLong(rs.getString("xid_text")), rs.getLong("change_id")))
                .one());
    }

    public boolean businessExists(UUID businessId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM businesses WHERE id = :id)")
                .bind("id", businessId).mapTo(Boolean.class).one());
    }

    /** Up to {@code limit} settled changes of every business after {@code after}, on the caller's handle. */
    public List<Change> readAll(Handle h, FeedPosition after, int limit) {
        requireNonNull(after, "after is null");
        return h.createQuery("SELECT " + COLUMNS + " FROM model_changes WHERE " + SETTLED
                        + " ORDER BY xid, id LIMIT :limit")
                .bind("xid", Long.toString(after.xid())).bind("id", after.id()).bind("limit", limit)
                .map(MAPPER).list();
    }
}
