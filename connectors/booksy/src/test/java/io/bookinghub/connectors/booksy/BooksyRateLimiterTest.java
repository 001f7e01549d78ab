package io.bookinghub.connectors.booksy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.spi.RateBudget;
import io.bookinghub.testkit.InMemoryRateBudget;
import io.bookinghub.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BooksyRateLimiterTest {
    private final MutableClock clock = new MutableClock(BooksyContexts.NOW);
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final InMemoryRateBudget budget = new InMemoryRateBudget(clock);

    static BooksyRateLimiter limiter(RateBudget budget, double perSecond, int burst, Clock clock, Sleeper sleeper) {
        return new BooksyRateLimiter(budget, new RateBudget.Limit(perSecond, burst),
                List.of(BooksyRateLimiter.appKey("app-1"), BooksyRateLimiter.businessKey("b-1")), clock, sleeper);
    }

    @Test
    void fiftyCallsPassAtOnceThenTenPerSecondOnTheContextsClock() {
        BooksyRateLimiter limiter = limiter(budget, 10, 50, clock, sleeper);

        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 55; i++) {
            waits.add(limiter.acquire());
        }

        assertThat(waits.subList(0, 50)).allSatisfy(w -> assertThat(w).isZero());
        assertThat(waits.subList(50, 55)).allSatisfy(w -> assertThat(w).isEqualTo(Duration.ofMillis(100)));
        // The sleeper advanced the test clock: 5 intervals, no real time spent.
        assertThat(clock.instant()).isEqualTo(BooksyContexts.NOW.plusMillis(500));
        assertThat(budget.reservedKeys()).startsWith("app:app-1", "business:b-1");
    }

    @Test
    void twoNodesSharingTheBudgetTogetherStayWithinRateAndBurst() {
        // Two connector instances (two hub nodes) on one budget: the burst is shared, not doubled.
        BooksyRateLimiter first = limiter(budget, 10, 50, clock, sleeper);
        BooksyRateLimiter second = limiter(budget, 10, 50, clock, sleeper);
        int free = 0;
        for (int i = 0; i < 40; i++) {
            free += first.acquire().isZero() ? 1 : 0;
            free += second.acquire().isZero() ? 1 : 0;
        }
        assertThat(free).isEqualTo(50);
        assertThat(clock.instant()).isEqualTo(BooksyContexts.NOW.plusSeconds(3));
    }

    @Test
    void aBusinessBudgetHoldsAcrossConnectionsOfOneApp() {
        BooksyRateLimiter salonA = new BooksyRateLimiter(budget, new RateBudget.Limit(1, 1),
                List.of(BooksyRateLimiter.appKey("app-1"), BooksyRateLimiter.businessKey("a")), clock, sleeper);
        BooksyRateLimiter salonB = new BooksyRateLimiter(budget, new RateBudget.Limit(1, 1),
                List.of(BooksyRateLimiter.appKey("app-1"), BooksyRateLimiter.businessKey("b")), clock, sleeper);
        assertThat(salonA.acquire()).isZero();
        // B's own business budget is full, but the app's is spent: B waits.
        assertThat(salonB.acquire()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retryAfterPausesEveryCallerUntilItPasses() {
        BooksyRateLimiter limiter = limiter(budget, 1000, 1000, clock, sleeper);
        limiter.pauseFor(Duration.ofSeconds(7));
        limiter.pauseFor(Duration.ofSeconds(2)); // never shortens

        limiter.acquire();

        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(7));
        limiter.acquire();
        assertThat(sleeper.sleeps).hasSize(1);
    }

    @Test
    void pauseIsCapped() {
        BooksyRateLimiter limiter = limiter(budget, 1000, 1000, clock, sleeper);
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
