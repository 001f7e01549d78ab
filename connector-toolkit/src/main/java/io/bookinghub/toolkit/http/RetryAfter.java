package io.bookinghub.toolkit.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The {@code Retry-After} response header (RFC 9110 section 10.2.3). */
public final class RetryAfter {
    private RetryAfter() {
    }

    /**
     * Parses delta-seconds ({@code 120}) or an HTTP-date ({@code Wed, 21 Oct 2026 07:28:00 GMT}), the latter against
     * {@code clock}. Empty for an absent or unreadable value; never negative (a date in the past is zero); at most
     * {@code max} (a provider asking for an hour is answered with {@code max}, then the caller's deadline decides).
     */
    public static Optional<Duration> parse(String value, Clock clock, Duration max) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        Duration delay;
        if (text.chars().allMatch(Character::isDigit)) {
            // More digits than a long holds is "very long", not unreadable.
            delay = text.length() > 18 ? max : Duration.ofSeconds(Long.parseLong(text));
        } else {
            try {
                delay = Duration.between(clock.instant(),
                        ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (delay.isNegative()) {
            delay = Duration.ZERO;
        }
        return Optional.of(delay.compareTo(max) > 0 ? max : delay);
    }
}
