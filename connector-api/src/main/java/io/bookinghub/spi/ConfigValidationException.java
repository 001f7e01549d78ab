package io.bookinghub.spi;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Configuration rejected: by the validation of submitted values against a connector's metadata (the toolkit's
 * {@code ConfigValidator}), by the hub's rules on who may set what, or by a connector's own checks in
 * {@link BookingConnectorFactory#create}; every problem names its field.
 */
public final class ConfigValidationException extends ConnectorException {
    /** One rejected field and why; the message never echoes a secret value. */
    public record FieldError(String field, String message) {
    }

    private final List<FieldError> errors;

    public ConfigValidationException(List<FieldError> errors) {
        this(ErrorCode.INVALID_INPUT, errors);
    }

    /** With another code than INVALID_INPUT, e.g. FORBIDDEN for properties the caller may not set. */
    public ConfigValidationException(ErrorCode code, List<FieldError> errors) {
        super(code, errors.stream()
                .map(e -> e.field() + ": " + e.message())
                .collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
