package io.bookinghub.hub.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bookinghub.spi.ConfigValidationException;
import java.util.List;

/** Every error the hub's API returns: HTTP status, error code, message and, for bad input, the fields. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorBody(int code, String error, String message, List<ConfigValidationException.FieldError> fields) {
}
