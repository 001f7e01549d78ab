package io.bookinghub.toolkit.http;

import java.time.Duration;

/**
 * Waits between attempts and for rate permits. Injected so tests record the waits (and advance their test clock)
 * instead of sleeping: a test of a 30-second {@code Retry-After} then takes no time.
 */
@FunctionalInterface
public interface Sleeper {
    /** The real thing. */
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));

    void sleep(Duration duration) throws InterruptedException;
}
