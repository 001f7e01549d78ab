package io.bookinghub.toolkit.paging;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One page of a provider's list.
 *
 * @param position   where this page is (a page number, a cursor, an offset, a next link)
 * @param items      the page's records
 * @param next       where the next page is; empty when this is the last page
 * @param totalPages how many pages the list has, when the provider says; -1 when not
 * @param <T>        a record
 * @param <P>        a position
 */
public record Page<T, P>(P position, List<T> items, Optional<P> next, long totalPages) {
    public Page {
        requireNonNull(position, "position is null");
        items = List.copyOf(requireNonNull(items, "items is null"));
        requireNonNull(next, "next is null");
    }

    /** A page whose provider does not say how many pages there are. */
    public Page(P position, List<T> items, Optional<P> next) {
        this(position, items, next, -1);
    }

    public boolean last() {
        return next.isEmpty();
    }
}
