package io.bookinghub.booksy.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/** Queue of injected faults; each matches requests whose path starts with its prefix and is used once. */
final class Faults {

    /**
     * STATUS, HTML: answered instead of the request (before anything is changed). TRUNCATE: a 200 cut in half.
     * LOSE_ANSWER: the write is made, then the connection is closed without an answer. SLOW_ANSWER: the write is
     * made, then answered after {@code delay}.
     */
    enum Kind { STATUS, HTML, TRUNCATE, LOSE_ANSWER, SLOW_ANSWER }

    /** {@code writesOnly}: applies to requests other than GET (so that reads made meanwhile pass). */
    record Fault(String pathPrefix, Kind kind, int status, String retryAfter, boolean writesOnly, Duration delay) {
        Fault(String pathPrefix, Kind kind, int status, String retryAfter) {
            this(pathPrefix, kind, status, retryAfter, false, Duration.ZERO);
        }

        /** Whether the fault replaces the answer before the request is handled. */
        boolean answersInstead() {
            return kind == Kind.STATUS || kind == Kind.HTML;
        }
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

    /** Removes and returns the oldest fault that applies to the request, or null. */
    synchronized Fault take(String method, String path) {
        boolean write = !"GET".equals(method);
        for (Iterator<Fault> it = queue.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (path.startsWith(f.pathPrefix()) && (write || !f.writesOnly())) {
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
