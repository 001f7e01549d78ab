package io.bookinghub.booksy.sandbox;

import java.util.ArrayList;
import java.util.Arrays;
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
final class Table<T extends Records.Row> {

    static final Comparator<Records.Row> LIST_ORDER =
            Comparator.comparingLong(Records.Row::updatedAtMillis).thenComparingInt(Records.Row::id);

    private final Map<Integer, T> rows = new HashMap<>();
    private Records.Row[] sorted;

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

    /** Immutable snapshot in list order; callers must not modify the returned array. */
    @SuppressWarnings("unchecked")
    synchronized T[] snapshot() {
        if (sorted == null) {
            Records.Row[] arr = rows.values().toArray(new Records.Row[0]);
            Arrays.sort(arr, LIST_ORDER);
            sorted = arr;
        }
        return (T[]) sorted;
    }

    /** Rows with updated_at >= sinceMillis (all when null) that match the filter, in list order. */
    List<T> select(Long sinceMillis, Predicate<? super T> filter) {
        T[] snap = snapshot();
        int from = sinceMillis == null ? 0 : firstAtOrAfter(snap, sinceMillis);
        if (filter == null) {
            return Arrays.asList(snap).subList(from, snap.length);
        }
        List<T> out = new ArrayList<>();
        for (int i = from; i < snap.length; i++) {
            if (filter.test(snap[i])) {
                out.add(snap[i]);
            }
        }
        return out;
    }

    private static int firstAtOrAfter(Records.Row[] snap, long sinceMillis) {
        int lo = 0;
        int hi = snap.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (snap[mid].updatedAtMillis() < sinceMillis) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
