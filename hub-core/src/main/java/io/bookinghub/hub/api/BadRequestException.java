package io.bookinghub.hub.api;

import io.bookinghub.spi.ConfigValidationException;
import jakarta.ws.rs.WebApplicationException;
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
