package io.bookinghub.hub.bookings;

import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.toolkit.IsoInstants;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Reading the app API's times: ISO-8601 with an offset ({@code 2026-12-03T10:00:00+01:00} or {@code ...Z}). */
final class Times {
    private Times() {
    }

    /** The instant {@code text} names, or a 422 naming {@code field}. */
    static Instant instant(String field, String text) {
        try {
            return IsoInstants.parseOffsetDateTime(text.trim());
        } catch (DateTimeParseException | NullPointerException e) {
            throw new ConfigValidationException(List.of(new ConfigValidationException.FieldError(field,
                    "must be an ISO-8601 date-time with an offset, such as 2026-12-03T10:00:00+01:00")));
        }
    }
}
