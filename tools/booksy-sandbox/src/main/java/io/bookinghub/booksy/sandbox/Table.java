package io.bookinghub.booksy.sandbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A thread-safe set of rows keyed by numeric id, with a lazily rebuilt snapshot sorted the way the API lists
 * them (updated_at asc, then id). Rebuilding only after a mutation keeps paging through 10^5 rows cheap:
 * each page is a binary search plus an array slice.
 */
final class Table<T extends SandboxRecords.Row> {

    static final Comparator<SandboxRecords.Row> LIST_ORDER =
            Comparator.comparingLong(SandboxRecords.Row::updatedAtMillis).thenComparingInt(SandboxRecords.Row::id);

    private final Map<Integer, T> rows = new HashMap<>();
    private List<T> sorted;

    synchronized void put(T row) {
        rows.put(row.id(), row);
        sorted = null;
    }

    synchronized T remove(int id) {
        T removed = rows.remove(id);
        if (removed != null) {
            sorted = null;
        }
        return removed;
    }

    synchronized T get(int id) {
        return rows.get(id);
    }

    synchronized int size() {
        return rows.size();
    }

    synchronized int maxId() {
        int max = 0;
        for (int id : rows.keySet()) {
            max = Math.max(max, id);
        }
        return max;
    }

    /** Immutable snapshot in list order (random access). */
    synchronized List<T> snapshot() {
        if (sorted == null) {
            List<T> list = new ArrayList<>(rows.values());
            list.sort(LIST_ORDER);
            sorted = Collections.unmodifiableList(list);
        }
        return sorted;
    }

    /** Rows with updated_at >= sinceMillis (all when null) that match the filter, in list order. */
    List<T> select(Long sinceMillis, Predicate<? super T> filter) {
        List<T> snap = snapshot();
        int from = sinceMillis == null ? 0 : firstAtOrAfter(snap, sinceMillis);
        if (filter == null) {
            return snap.subList(from, snap.size());
        }
        List<T> out = new ArrayList<>();
        for (int i = from; i < snap.size(); i++) {
            if (filter.test(snap.get(i))) {
                out.add(snap.get(i));
            }
        }
        return out;
    }

    private static int firstAtOrAfter(List<? extends SandboxRecords.Row> snap, long sinceMillis) {
        int lo = 0;
        int hi = snap.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (snap.get(mid).updatedAtMillis() < sinceMillis) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
