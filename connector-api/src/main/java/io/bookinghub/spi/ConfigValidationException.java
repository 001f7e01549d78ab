package io.bookinghub.spi;

import java.util.List;
import java.util.stream.Collectors;

/** Configuration rejected by {@link ConnectorConfig#validate}; every problem names its field. */
public final class ConfigValidationException extends ConnectorException {
    /** One rejected field and why; the message never echoes a secret value. */
    public record FieldError(String field, String message) {
    }

    private final List<FieldError> errors;

    public ConfigValidationException(List<FieldError> errors) {
        super(ErrorCode.INVALID_INPUT, errors.stream()
                .map(e -> e.field() + ": " + e.message())
                .collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
