package io.bookinghub.hub.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bookinghub.spi.ConfigValidationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Every error the hub's HTTP API returns, whoever produces it (a resource, an exception mapper, Jetty's error
 * handler): HTTP status, an upper-case error name, a message and, for bad input, every bad field.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorBody(int code, String error, String message, List<ConfigValidationException.FieldError> fields) {
    public ErrorBody {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    /** An error without fields, named after its status ({@link #errorName}). */
    public static ErrorBody of(int status, String message) {
        return new ErrorBody(status, errorName(status), message, List.of());
    }

    /** A 400 naming each bad part of the request (a query parameter, a JSON field). */
    public static ErrorBody invalid(List<ConfigValidationException.FieldError> fields) {
        return new ErrorBody(400, errorName(400), fields.stream().map(f -> f.field() + ": " + f.message())
                .reduce((a, b) -> a + "; " + b).orElse("invalid request"), fields);
    }

    /** This body as a JSON response. */
    public Response response() {
        return Response.status(code).type(MediaType.APPLICATION_JSON_TYPE).entity(this).build();
    }

    /**
     * The {@code error} of an answer that carries no more specific name: the {@code ErrorCode} name where one
     * fits the status (INVALID_INPUT, NOT_FOUND, CONFLICT, FORBIDDEN, RATE_LIMITED, INTERNAL), else the
     * status's own name (METHOD_NOT_ALLOWED, UNSUPPORTED_MEDIA_TYPE, REQUEST_HEADER_FIELDS_TOO_LARGE...).
     */
    public static String errorName(int status) {
        return switch (status) {
            case 400, 422 -> "INVALID_INPUT";
            case 413 -> "TOO_LARGE";
            case 429 -> "RATE_LIMITED";
            case 500 -> "INTERNAL";
            case 503 -> "UNAVAILABLE";
            default -> {
                Response.Status known = Response.Status.fromStatusCode(status);
                yield known == null ? (status >= 500 ? "INTERNAL" : "INVALID_INPUT") : known.name();
            }
        };
    }
}
