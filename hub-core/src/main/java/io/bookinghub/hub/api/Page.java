package io.bookinghub.hub.api;

import java.util.List;

/** A page of results; {@code nextOffset} is null on the last page. */
public record Page<T>(List<T> items, int limit, int offset, Integer nextOffset) {
    public static <T> Page<T> of(List<T> fetched, int limit, int offset) {
        // Callers fetch limit + 1 rows so the presence of a next page is known without a count query.
        boolean more = fetched.size() > limit;
        return new Page<>(more ? fetched.subList(0, limit) : fetched, limit, offset, more ? offset + limit : null);
    }
}
