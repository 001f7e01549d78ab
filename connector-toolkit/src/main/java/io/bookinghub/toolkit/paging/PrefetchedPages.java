package io.bookinghub.toolkit.paging;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.toolkit.OrderedPrefetch;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The numbered pages (1, 2, ...) of one list, fetched ahead through an {@link OrderedPrefetch} and handed out in
 * order. Several lists may share one prefetch, each in its own {@code lane} (pages of lane 0 are taken before lane
 * 1's): {@link #start()} them all first, then read them one after the other while later pages and later lists are
 * already being fetched.
 *
 * <p>What is fetched ahead is only what is known to exist: when a page says how many pages there are
 * ({@link Page#totalPages()}), all of them; otherwise the page its {@link Page#next()} names. So the read is as
 * complete as a sequential one, and a provider that says nothing of totals is read one page ahead.
 *
 * <p>Not thread-safe itself (one consumer); the source is called from the prefetch's threads.
 */
public final class PrefetchedPages<T> implements Iterator<Page<T, Integer>> {
    private final OrderedPrefetch<Page<T, Integer>> prefetch;
    private final int lane;
    private final PageSource<T, Integer> source;
    /** The highest page number handed to the prefetch so far. */
    private final AtomicInteger requested = new AtomicInteger();
    private int nextToTake = 1;
    private boolean done;

    /**
     * @param lane orders this list among others on the same prefetch, 0 to 2^31-1
     */
    public PrefetchedPages(OrderedPrefetch<Page<T, Integer>> prefetch, int lane, PageSource<T, Integer> source) {
        this.prefetch = requireNonNull(prefetch, "prefetch is null");
        if (lane < 0) {
            throw new IllegalArgumentException("lane must not be negative: " + lane);
        }
        this.lane = lane;
        this.source = requireNonNull(source, "source is null");
    }

    /** Requests page 1 now, so it is fetched while other lists are read. Idempotent. */
    public PrefetchedPages<T> start() {
        request(1);
        return this;
    }

    private long key(int page) {
        return ((long) lane << 32) | page;
    }

    private void request(int number) {
        if (requested.compareAndSet(number - 1, number)) {
            prefetch.submit(key(number), () -> {
                Page<T, Integer> page = source.fetch(number);
                int upTo = page.last() ? number
                        : (int) Math.min(Pages.MAX_PAGES, Math.max(page.next().get(), page.totalPages()));
                for (int next = requested.get() + 1; next <= upTo; next = requested.get() + 1) {
                    request(next);
                }
                return page;
            });
        }
    }

    @Override
    public boolean hasNext() {
        return !done;
    }

    /**
     * The next page, waiting for it if needed.
     *
     * @throws ConnectorException the page's fetch failure (the pages before it were handed out first), or
     *     PROVIDER_UNAVAILABLE when interrupted
     */
    @Override
    public Page<T, Integer> next() {
        if (done) {
            throw new NoSuchElementException();
        }
        int number = nextToTake;
        start();
        Page<T, Integer> page;
        try {
            page = prefetch.take(key(number));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "interrupted while reading page " + number);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new ConnectorException(ErrorCode.PROVIDER_ERROR, "page " + number + " failed: "
                    + e.getCause().getClass().getSimpleName());
        }
        if (page.last()) {
            done = true;
        } else if (page.next().get() != number + 1) {
            throw new ConnectorException(ErrorCode.PROVIDER_ERROR, "page " + number + " names page "
                    + page.next().get() + " as the next one; numbered pages must follow each other");
        } else if (number >= Pages.MAX_PAGES) {
            throw new ConnectorException(ErrorCode.PROVIDER_ERROR, "the provider's list has more than "
                    + Pages.MAX_PAGES + " pages");
        }
        nextToTake = number + 1;
        return page;
    }
}
