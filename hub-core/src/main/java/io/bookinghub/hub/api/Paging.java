package io.bookinghub.hub.api;

import io.bookinghub.spi.ConfigValidationException;
import jakarta.ws.rs.QueryParam;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code limit} and {@code cursor} of every listing; use as {@code @BeanParam Paging paging}. Read as text and
 * checked here, so {@code limit=abc} or {@code limit=99999999999999999999} is a 400 naming the parameter (with
 * every bad one listed) rather than Jersey's 404 and a logged stack trace. Listings page by keyset ({@link Cursor});
 * the {@code offset} they took before is refused with a 400 that says so rather than ignored, which would serve a
 * client the first page again and again.
 */
public final class Paging {
    /** Rows per page when {@code limit} is not given. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest page any listing serves. */
    public static final int MAX_LIMIT = 500;

    private final String limitName;
    private final String cursorName;

    @QueryParam("limit")
    String limit;

    @QueryParam("cursor")
    String cursor;

    @QueryParam("offset")
    String offset;

    public Paging() {
        this("limit", null, "cursor", null);
    }

    /**
     * Paging of a listing inside an answer, under other parameter names (a run's log: {@code logLimit},
     * {@code logCursor}); a null value means the default.
     */
    public Paging(String limitName, String limit, String cursorName, String cursor) {
        this.limitName = limitName;
        this.limit = limit;
        this.cursorName = cursorName;
        this.cursor = cursor;
    }

    /** Between 1 and {@link #MAX_LIMIT}; {@link #DEFAULT_LIMIT} when not given. */
    public int limit() {
        check();
        return limit == null ? DEFAULT_LIMIT : Integer.parseInt(limit.trim());
    }

    /**
     * Where the page starts: null for the first page, else the position a previous page's {@code next} named;
     * a cursor that is not one of {@code listing} with {@code arity} keys is a 400.
     */
    public Cursor cursor(String listing, int arity) {
        check();
        return Cursor.decode(cursorName, cursor, listing, arity);
    }

    private void check() {
        List<ConfigValidationException.FieldError> errors = new ArrayList<>();
        if (limit != null && !within(limit, 1, MAX_LIMIT)) {
            errors.add(new ConfigValidationException.FieldError(limitName, "must be a whole number from 1 to "
                    + MAX_LIMIT));
        }
        if (offset != null) {
            errors.add(new ConfigValidationException.FieldError("offset", "is not supported: listings page by "
                    + "cursor, send the 'next' of the previous page as 'cursor'"));
        }
        if (!errors.isEmpty()) {
            throw new BadRequestException(errors);
        }
    }

    private static boolean within(String text, long min, long max) {
        String t = text.trim();
        if (t.isEmpty() || t.length() > 10 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        long value = Long.parseLong(t);
        return value >= min && value <= max;
    }
}
