package io.bookinghub.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bookinghub.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThrottledLogTest {

    @Test
    void oneLinePerIntervalSayingHowManyWereSuppressed() {
        Logger logger = (Logger) LoggerFactory.getLogger("test.throttled." + System.nanoTime());
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        MutableClock clock = new MutableClock(Instant.parse("2025-03-10T09:00:00Z"));
        ThrottledLog log = new ThrottledLog(logger, clock, Duration.ofSeconds(10));

        // A database outage: every request fails the same way.
        for (int i = 0; i < 500; i++) {
            log.warn("Webhook for {} not stored: {}", "acme", "ConnectException");
        }
        clock.advance(Duration.ofSeconds(9));
        assertThat(log.warn("Webhook for {} not stored: {}", "acme", "ConnectException")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        log.warn("Webhook for {} not stored: {}", "acme", "ConnectException");

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Webhook for acme not stored: ConnectException",
                "Webhook for acme not stored: ConnectException (500 more like this since the last one)");
    }
}
