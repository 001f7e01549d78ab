package io.bookinghub.hub.changes;

import java.util.List;

/**
 * A page of the change feed. Unlike a listing's {@code Page}, {@code next} is never null: a feed has no last
 * page, and an app keeps polling with {@code after=next} (the same cursor again when nothing was new).
 *
 * @param hasMore whether further changes were already waiting (poll again at once rather than after a pause)
 */
public record ChangesPage(List<Change> items, int limit, String next, boolean hasMore) {
    public ChangesPage {
        items = List.copyOf(items);
    }

    static ChangesPage of(List<Change> fetched, int limit, FeedPosition after) {
        boolean more = fetched.size() > limit;
        List<Change> items = more ? fetched.subList(0, limit) : fetched;
        FeedPosition last = items.isEmpty() ? after : items.get(items.size() - 1).position();
        return new ChangesPage(items, limit, last.encode(), more);
    }
}
