package io.bookinghub.toolkit.paging;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Walks a provider's list page by page, lazily: page n+1 is fetched only when the consumer moves past page n, so a
 * large list is never in memory at once and a consumer that stops (a cancelled sync) fetches nothing more.
 * Works for every style of paging, because the {@link PageSource} says where the next page is:
 * <ul>
 * <li>page numbers: position = page number, next = {@link #nextNumber} (or the provider's {@code next_page});</li>
 * <li>cursors and next links: position = the cursor/link, next = the provider's next cursor (see {@link JsonPages});</li>
 * <li>offsets: position = offset, next = {@link #nextOffset}.</li>
 * </ul>
 * A list that never ends is a provider fault, not a long list: a position seen before, or more than
 * {@link #MAX_PAGES} pages, fails with PROVIDER_ERROR instead of looping (and instead of reporting a partial read
 * as complete). For numbered pages fetched concurrently, see {@link PrefetchedPages}.
 */
public final class Pages {
    /** Safety net against a provider whose paging never ends. */
    public static final int MAX_PAGES = 100_000;

    private Pages() {
    }

    /**
     * The pages from {@code first} on; lazy. Note that the stream's {@code iterator().hasNext()} already fetches the
     * next page: a loop that must not fetch after a check (a cancelled sync) checks before calling it, or uses
     * {@link #iterator}.
     */
    public static <T, P> Stream<Page<T, P>> stream(P first, PageSource<T, P> source) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(first, source),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** The items of every page from {@code first} on, in order; lazy. */
    public static <T, P> Stream<T> items(P first, PageSource<T, P> source) {
        return stream(first, source).flatMap(page -> page.items().stream());
    }

    /** The pages from {@code first} on, for a for-each loop (which may stop early, e.g. when a sync is cancelled). */
    public static <T, P> Iterable<Page<T, P>> iterable(P first, PageSource<T, P> source) {
        requireNonNull(first, "first is null");
        requireNonNull(source, "source is null");
        return () -> iterator(first, source);
    }

    /** The pages from {@code first} on, as an iterator; lazy. */
    public static <T, P> Iterator<Page<T, P>> iterator(P first, PageSource<T, P> source) {
        requireNonNull(first, "first is null");
        requireNonNull(source, "source is null");
        return new Iterator<>() {
            private Optional<P> next = Optional.of(first);
            private final Set<P> seen = new HashSet<>();

            @Override
            public boolean hasNext() {
                return next.isPresent();
            }

            @Override
            public Page<T, P> next() {
                P position = next.orElseThrow(NoSuchElementException::new);
                if (!seen.add(position)) {
                    throw new ConnectorException(ErrorCode.PROVIDER_ERROR,
                            "the provider's paging repeats a page (" + position + "): the list would never end");
                }
                if (seen.size() > MAX_PAGES) {
                    throw new ConnectorException(ErrorCode.PROVIDER_ERROR,
                            "the provider's list has more than " + MAX_PAGES + " pages");
                }
                Page<T, P> page = source.fetch(position);
                next = page.next();
                return page;
            }
        };
    }

    /**
     * The page after page {@code number}: none when the page was empty, when {@code totalPages} (-1: unknown) says
     * it was the last, or (total unknown) when it held fewer than {@code perPage} items.
     */
    public static Optional<Integer> nextNumber(int number, int itemsOnPage, int perPage, long totalPages) {
        boolean more = totalPages >= 0 ? number < totalPages : itemsOnPage >= perPage;
        return more && itemsOnPage > 0 ? Optional.of(number + 1) : Optional.empty();
    }

    /**
     * The offset after a page read at {@code offset}: none when the page was empty, held fewer than {@code limit}
     * items, or reached {@code totalItems} (-1: unknown).
     */
    public static Optional<Long> nextOffset(long offset, int itemsOnPage, int limit, long totalItems) {
        long next = offset + itemsOnPage;
        boolean more = totalItems >= 0 ? next < totalItems : itemsOnPage >= limit;
        return more && itemsOnPage > 0 ? Optional.of(next) : Optional.empty();
    }
}
