package io.bookinghub.connectors.booksy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.spi.RateBudget;
import io.bookinghub.testkit.InMemoryRateBudget;
import io.bookinghub.testkit.MutableClock;
import io.bookinghub.toolkit.http.RatePacer;
import io.bookinghub.toolkit.http.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Booksy's budgets (per app and per business) on the toolkit's pacer and the hub's shared rate budget. */
class BooksyRatePacingTest {
    private final MutableClock clock = new MutableClock(BooksyContexts.NOW);
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final InMemoryRateBudget budget = new InMemoryRateBudget(clock);

    static RatePacer pacer(RateBudget budget, double perSecond, int burst, Clock clock, Sleeper sleeper) {
        return new RatePacer(budget, new RateBudget.Limit(perSecond, burst), List.of("app:app-1", "business:b-1"),
                clock, sleeper);
    }

    @Test
    void fiftyCallsPassAtOnceThenTenPerSecondOnTheContextsClock() {
        RatePacer pacer = pacer(budget, 10, 50, clock, sleeper);

        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 55; i++) {
            waits.add(pacer.acquire());
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
        RatePacer first = pacer(budget, 10, 50, clock, sleeper);
        RatePacer second = pacer(budget, 10, 50, clock, sleeper);
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
        RatePacer salonA = new RatePacer(budget, new RateBudget.Limit(1, 1), List.of("app:app-1", "business:a"),
                clock, sleeper);
        RatePacer salonB = new RatePacer(budget, new RateBudget.Limit(1, 1), List.of("app:app-1", "business:b"),
                clock, sleeper);
        assertThat(salonA.acquire()).isZero();
        // B's own business budget is full, but the app's is spent: B waits.
        assertThat(salonB.acquire()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retryAfterPausesEveryCallerUntilItPasses() {
        RatePacer pacer = pacer(budget, 1000, 1000, clock, sleeper);
        pacer.pauseFor(Duration.ofSeconds(7));
        pacer.pauseFor(Duration.ofSeconds(2)); // never shortens

        pacer.acquire();

        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(7));
        pacer.acquire();
        assertThat(sleeper.sleeps).hasSize(1);
    }
}
