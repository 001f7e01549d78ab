package io.bookinghub.testkit.provider;

import static java.util.Objects.requireNonNull;

/**
 * How a {@link ScriptedProvider} resource pages its list. Every style caps the page size at the resource's
 * {@link Resource#maxPageSize(int) maximum} whatever the client asks for, as real providers do, so a connector that
 * reads only the first page misses records.
 */
public sealed interface Paging {

    /** The whole list in one answer: {@code {"<data>": [...]}}. */
    static Paging none() {
        return new None();
    }

    /**
     * Page numbers from 1: {@code ?<pageParam>=N&<sizeParam>=M} answers {@code {"<data>": [...], "<nextPageField>":
     * N+1 or null}}. The example provider's {@code page}, {@code per_page}, {@code next_page}.
     */
    static Paging pageNumber(String pageParam, String sizeParam, String nextPageField) {
        return new PageNumber(pageParam, sizeParam, nextPageField);
    }

    /**
     * Page numbers from 1 with the number of pages in the envelope: {@code ?<pageParam>=N&<sizeParam>=M} answers
     * {@code {"<data>": [...], "<totalPagesField>": T}} (at least 1). A dotted field nests, e.g. Booksy's
     * {@code pagination.total_pages} answers {@code {"data": [...], "pagination": {"total_pages": T}}}.
     */
    static Paging pageCount(String pageParam, String sizeParam, String totalPagesField) {
        return new PageCount(pageParam, sizeParam, totalPagesField);
    }

    /**
     * An opaque cursor: {@code ?<cursorParam>=C&<sizeParam>=M} (no cursor: the first page) answers
     * {@code {"<data>": [...], "<nextCursorField>": "C2" or null}}.
     */
    static Paging cursor(String cursorParam, String sizeParam, String nextCursorField) {
        return new Cursor(cursorParam, sizeParam, nextCursorField);
    }

    /**
     * A next link: answers {@code {"<data>": [...], "<nextLinkField>": "http://host/path?...&cursor=C2" or null}}, an
     * absolute URL that keeps the request's other query parameters (the filter too).
     */
    static Paging nextLink(String sizeParam, String nextLinkField) {
        return new NextLink(sizeParam, nextLinkField);
    }

    /**
     * Offsets: {@code ?<offsetParam>=K&<limitParam>=M} answers {@code {"<data>": [...], "<totalField>": N}} (the
     * number of records matching the request's filter).
     */
    static Paging offset(String offsetParam, String limitParam, String totalField) {
        return new Offset(offsetParam, limitParam, totalField);
    }

    record None() implements Paging {
    }

    record PageNumber(String pageParam, String sizeParam, String nextPageField) implements Paging {
        public PageNumber {
            requireNonNull(pageParam, "pageParam is null");
            requireNonNull(sizeParam, "sizeParam is null");
            requireNonNull(nextPageField, "nextPageField is null");
        }
    }

    record PageCount(String pageParam, String sizeParam, String totalPagesField) implements Paging {
        public PageCount {
            requireNonNull(pageParam, "pageParam is null");
            requireNonNull(sizeParam, "sizeParam is null");
            if (requireNonNull(totalPagesField, "totalPagesField is null").isEmpty() || totalPagesField.startsWith(".")
                    || totalPagesField.endsWith(".") || totalPagesField.contains("..")) {
                throw new IllegalArgumentException("totalPagesField must be a field or a dotted path: "
                        + totalPagesField);
            }
        }
    }

    record Cursor(String cursorParam, String sizeParam, String nextCursorField) implements Paging {
        public Cursor {
            requireNonNull(cursorParam, "cursorParam is null");
            requireNonNull(sizeParam, "sizeParam is null");
            requireNonNull(nextCursorField, "nextCursorField is null");
        }
    }

    record NextLink(String sizeParam, String nextLinkField) implements Paging {
        /** The query parameter the provider's own next links carry. */
        public static final String CURSOR_PARAM = "cursor";

        public NextLink {
            requireNonNull(sizeParam, "sizeParam is null");
            requireNonNull(nextLinkField, "nextLinkField is null");
        }
    }

    record Offset(String offsetParam, String limitParam, String totalField) implements Paging {
        public Offset {
            requireNonNull(offsetParam, "offsetParam is null");
            requireNonNull(limitParam, "limitParam is null");
            requireNonNull(totalField, "totalField is null");
        }
    }
}
