package io.bookinghub.connectors.booksy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.common.util.concurrent.RateLimiter;
import io.bookinghub.testkit.MutableClock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BooksyRateLimiterTest {
    private final MutableClock clock = new MutableClock(BooksyContexts.NOW);
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);

    @Test
    void afterIdleFiftyCallsPassAtOnceThenTenPerSecond() throws InterruptedException {
        BooksyRateLimiter limiter = new BooksyRateLimiter(10, 50, clock, sleeper);
        Thread.sleep(5_200); // burst / rate = 5 s to fill the bucket (Guava's own clock, not ours)

        List<Double> waits = new ArrayList<>();
        for (int i = 0; i < 56; i++) {
            waits.add(limiter.acquire());
        }

        assertThat(waits.subList(0, 50)).allSatisfy(w -> assertThat(w).isEqualTo(0.0));
        // Guava pre-pays: the request that empties the bucket is served at once and the *next* one
        // waits for it, so call 51 is free too and calls 52.. each wait one interval.
        assertThat(waits.get(50)).isEqualTo(0.0);
        assertThat(waits.subList(51, 56)).allSatisfy(w -> assertThat(w).isCloseTo(0.1, within(0.02)));
        assertThat(limiter.rate()).isEqualTo(10.0);
    }

    @Test
    void freshLimiterDoesNotGrantABurst() {
        BooksyRateLimiter limiter = new BooksyRateLimiter(10, 50, clock, sleeper);
        RateLimiter guava = BooksyRateLimiter.bursty(10, 5);
        int granted = 0;
        for (int i = 0; i < 50; i++) {
            if (guava.tryAcquire()) {
                granted++;
            }
        }
        assertThat(granted).isLessThan(5);
        limiter.acquire();
        assertThat(limiter.acquire()).isGreaterThan(0.05);
    }

    @Test
    void publicGuavaFactoryWouldNotHaveBeenEnough() throws InterruptedException {
        // Documents why the reflective construction exists: create(10) stores at most one second (10 permits).
        RateLimiter plain = RateLimiter.create(10);
        Thread.sleep(1_200);
        int granted = 0;
        for (int i = 0; i < 50; i++) {
            if (plain.tryAcquire()) {
                granted++;
            }
        }
        assertThat(granted).isLessThanOrEqualTo(11);
    }

    @Test
    void retryAfterPausesEveryCallerUntilItPasses() {
        BooksyRateLimiter limiter = new BooksyRateLimiter(1000, 1000, clock, sleeper);
        limiter.pauseFor(Duration.ofSeconds(7));
        limiter.pauseFor(Duration.ofSeconds(2)); // never shortens

        limiter.acquire();

        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(7));
        limiter.acquire();
        assertThat(sleeper.sleeps).hasSize(1);
    }

    @Test
    void pauseIsCapped() {
        BooksyRateLimiter limiter = new BooksyRateLimiter(1000, 1000, clock, sleeper);
        limiter.pauseFor(Duration.ofHours(3));
        assertThat(limiter.pausedUntil()).isEqualTo(BooksyContexts.NOW.plus(BooksyRateLimiter.MAX_PAUSE));
    }

    @Test
    void parsesRetryAfterSecondsAndHttpDate() {
        assertThat(BooksyRateLimiter.parseRetryAfter("12", clock)).contains(Duration.ofSeconds(12));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(BooksyContexts.NOW.plusSeconds(20).atOffset(ZoneOffset.UTC));
        assertThat(BooksyRateLimiter.parseRetryAfter(date, clock)).contains(Duration.ofSeconds(20));
        assertThat(BooksyRateLimiter.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", clock)).contains(Duration.ZERO);
        assertThat(BooksyRateLimiter.parseRetryAfter("999999", clock)).contains(BooksyRateLimiter.MAX_PAUSE);
        assertThat(BooksyRateLimiter.parseRetryAfter("soon", clock)).isEmpty();
        assertThat(BooksyRateLimiter.parseRetryAfter(null, clock)).isEmpty();
    }
}
