package io.bookinghub.hub.webhooks;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A WARN line that repeats at most once per interval, saying how many were suppressed since the last one.
 * During a database outage every request and every worker poll fails the same way; one line per interval
 * tells the operator as much as thousands do, without drowning everything else.
 */
final class ThrottledLog {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private final Logger log;
    private final Clock clock;
    private final long intervalMillis;
    private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    ThrottledLog(Logger log, Clock clock, Duration interval) {
        this.log = requireNonNull(log, "log is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.intervalMillis = interval.toMillis();
    }

    /**
     * Logs {@code format} at WARN if the interval since the last line has passed, otherwise counts it.
     *
     * @return whether the line was written
     */
    boolean warn(String format, Object... args) {
        long now = clock.millis();
        long due = nextAt.get();
        if (now < due || !nextAt.compareAndSet(due, now + intervalMillis)) {
            suppressed.incrementAndGet();
            return false;
        }
        long skipped = suppressed.getAndSet(0);
        if (skipped == 0) {
            log.warn(format, args);
        } else {
            log.warn(format + " ({} more like this since the last one)", append(args, skipped));
        }
        return true;
    }

    private static Object[] append(Object[] args, Object... more) {
        Object[] all = new Object[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
