package io.bookinghub.hub.api;

import java.util.List;
import java.util.function.Function;

/**
 * A page of a listing; {@code next} is the opaque cursor of the following page (send it back as {@code cursor}),
 * null on the last page.
 */
public record Page<T>(List<T> items, int limit, String next) {
    public Page {
        items = List.copyOf(items);
    }

    /**
     * The page of {@code fetched}, which the caller read with {@code limit + 1} rows so that whether another page
     * exists is known without a count query; {@code keyOf} gives the cursor after a row.
     */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, Cursor> keyOf) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, limit, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(items, limit, keyOf.apply(items.get(limit - 1)).encode());
    }
}
