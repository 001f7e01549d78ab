package io.bookinghub.hub.changes;

import io.bookinghub.hub.api.BadRequestException;
import io.bookinghub.hub.api.Cursor;

/**
 * A place in the change feed: the transaction id ({@code xid8}) and the sequence number of the last change served.
 * The feed is ordered by both, so the position after a change is that change's own key.
 */
public record FeedPosition(long xid, long id) implements Comparable<FeedPosition> {
    /** Before every change. */
    public static final FeedPosition START = new FeedPosition(0, 0);
    static final String LISTING = "changes";

    public FeedPosition {
        if (xid < 0 || id < 0) {
            throw new IllegalArgumentException("a feed position is never negative");
        }
    }

    /** The opaque cursor an app sends back as {@code after}. */
    public String encode() {
        return Cursor.after(LISTING, xid, id).encode();
    }

    /** Reads {@code after}: {@link #START} when absent, 400 naming {@code parameter} when it is not a feed cursor. */
    public static FeedPosition decode(String parameter, String text) {
        Cursor cursor = Cursor.decode(parameter, text, LISTING, 2);
        if (cursor == null) {
            return START;
        }
        long xid = cursor.number(0, parameter);
        long id = cursor.number(1, parameter);
        if (xid < 0 || id < 0) {
            throw BadRequestException.parameter(parameter, "must be the 'next' of a page of this feed");
        }
        return new FeedPosition(xid, id);
    }

    @Override
    public int compareTo(FeedPosition o) {
        int byXid = Long.compare(xid, o.xid);
        return byXid != 0 ? byXid : Long.compare(id, o.id);
    }
}
