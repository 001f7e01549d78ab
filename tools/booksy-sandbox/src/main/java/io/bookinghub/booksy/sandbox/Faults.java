package io.bookinghub.booksy.sandbox;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/** Queue of injected faults; each matches requests whose path starts with its prefix and is used once. */
final class Faults {

    enum Kind { STATUS, HTML, TRUNCATE }

    record Fault(String pathPrefix, Kind kind, int status, String retryAfter) {
    }

    private final Deque<Fault> queue = new ArrayDeque<>();

    synchronized void add(int n, Fault fault) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative");
        }
        for (int i = 0; i < n; i++) {
            queue.add(fault);
        }
    }

    /** Removes and returns the oldest fault that applies to the path, or null. */
    synchronized Fault take(String path) {
        for (Iterator<Fault> it = queue.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (path.startsWith(f.pathPrefix())) {
                it.remove();
                return f;
            }
        }
        return null;
    }

    synchronized int pending() {
        return queue.size();
    }

    synchronized void clear() {
        queue.clear();
    }
}
