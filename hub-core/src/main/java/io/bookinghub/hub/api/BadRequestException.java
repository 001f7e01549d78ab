package io.bookinghub.hub.api;

import io.bookinghub.spi.ConfigValidationException;
import jakarta.ws.rs.WebApplicationException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * A request the client has to fix before it means anything (a query parameter that is not a number, not
 * {@code true}/{@code false}, not one of the accepted values): 400 INVALID_INPUT naming each parameter. Input
 * that is well-formed but refused by a service is a {@code ConnectorException} (422).
 */
public final class BadRequestException extends WebApplicationException {
    private static final long serialVersionUID = 1L;

    public BadRequestException(List<ConfigValidationException.FieldError> errors) {
        super(ErrorBody.invalid(errors).message(), ErrorBody.invalid(errors).response());
    }

    /** One bad parameter. */
    public static BadRequestException parameter(String name, String message) {
        return new BadRequestException(List.of(new ConfigValidationException.FieldError(name, message)));
    }

    /**
     * An instant query parameter (ISO-8601, e.g. {@code 2026-11-24T09:00:00Z}): null when not given or blank, so
     * {@code from=yesterday} is a 400 naming it rather than ignored.
     */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw parameter(name, "must be an ISO-8601 instant such as 2026-11-24T09:00:00Z");
        }
    }

    /**
     * A boolean query parameter: only {@code true} or {@code false} (any case), {@code whenAbsent} when not
     * given, so {@code dryRun=yes} is refused instead of read as false.
     */
    public static boolean flag(String name, String value, boolean whenAbsent) {
        if (value == null) {
            return whenAbsent;
        }
        if (value.trim().equalsIgnoreCase("true")) {
            return true;
        }
        if (value.trim().equalsIgnoreCase("false")) {
            return false;
        }
        throw parameter(name, "must be true or false");
    }
}
