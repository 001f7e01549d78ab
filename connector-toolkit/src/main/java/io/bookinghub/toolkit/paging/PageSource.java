package io.bookinghub.toolkit.paging;

/**
 * Fetches the page at a position, e.g. {@code n -> parse(http.json(request.query("page", n)))}. Must be thread-safe
 * when used with {@link PrefetchedPages}.
 */
@FunctionalInterface
public interface PageSource<T, P> {
    Page<T, P> fetch(P position);
}
