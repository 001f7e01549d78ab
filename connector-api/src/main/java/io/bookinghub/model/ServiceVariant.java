package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** One bookable variant of a service (e.g. "short hair", 30 minutes, 25.00 EUR). */
public record ServiceVariant(String externalId, String name, Duration duration, Money price) {
    public ServiceVariant {
        requireNonNull(externalId, "externalId is null");
        requireNonNull(duration, "duration is null");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
    }
}
