package io.bookinghub.toolkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.spi.RateBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private final Clock clock = Clock.fixed(FakeContext.NOW, ZoneOffset.UTC);
    private final Duration max = Duration.ofMinutes(5);

    @Test
    void readsSecondsAndHttpDatesCappedAndNeverNegative() {
        assertThat(RetryAfter.parse("12", clock, max)).contains(Duration.ofSeconds(12));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(FakeContext.NOW.plusSeconds(20)
                .atOffset(ZoneOffset.UTC));
        assertThat(RetryAfter.parse(date, clock, max)).contains(Duration.ofSeconds(20));
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", clock, max)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("999999", clock, max)).contains(max);
        assertThat(RetryAfter.parse("99999999999999999999999", clock, max)).contains(max);
        assertThat(RetryAfter.parse("soon", clock, max)).isEmpty();
        assertThat(RetryAfter.parse(" ", clock, max)).isEmpty();
        assertThat(RetryAfter.parse(null, clock, max)).isEmpty();
    }

    @Test
    void aPauseOnAClockThatDoesNotMoveEndsAfterOneSleep() {
        FakeContext ctx = new FakeContext();
        List<Duration> slept = new ArrayList<>();
        RatePacer pacer = new RatePacer(ctx.rateBudget(), new RateBudget.Limit(1000, 1000), List.of(), ctx.clock(),
                slept::add);
        pacer.pauseFor(Duration.ofSeconds(1));

        pacer.acquire();

        assertThat(slept).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void aPauseIsNeverShortened() {
        FakeContext ctx = new FakeContext();
        RatePacer pacer = new RatePacer(ctx.rateBudget(), new RateBudget.Limit(1000, 1000),
                List.of(), ctx.clock(), ctx.sleeper);
        pacer.pauseFor(Duration.ofSeconds(7));
        pacer.pauseFor(Duration.ofSeconds(2));

        pacer.acquire();
        pacer.acquire();

        assertThat(ctx.sleeps).containsExactly(Duration.ofSeconds(7));
    }
}
