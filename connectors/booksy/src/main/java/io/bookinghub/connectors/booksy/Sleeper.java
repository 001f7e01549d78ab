package io.bookinghub.connectors.booksy;

import java.time.Duration;

/** Waits between retries; injected so tests can record waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    /** The real thing. */
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));

    void sleep(Duration duration) throws InterruptedException;
}
