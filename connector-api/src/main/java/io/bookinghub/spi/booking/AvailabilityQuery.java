package io.bookinghub.spi.booking;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * Free slots of one service in [from, to), for one staff member or ({@code staffExternalId} null) any.
 */
public record AvailabilityQuery(String serviceExternalId, String staffExternalId, Instant from, Instant to) {
    /** The longest window one query may cover. */
    public static final Duration MAX_WINDOW = Duration.ofDays(31);

    public AvailabilityQuery {
        requireNonNull(serviceExternalId, "serviceExternalId is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (!to.isAfter(from) || Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("to must be after from and at most " + MAX_WINDOW.toDays()
                    + " days later");
        }
    }
}
