package io.bookinghub.connectors.zapier;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;

/**
 * A field that cannot be mapped, or a mapping entry that is not valid. {@link #where()} names the configuration
 * entry to fix ({@code mapping.start}, {@code versionPointer}); the problem never quotes a value from a posted
 * body, which may hold personal data, nor a secret.
 */
final class MappingException extends Exception {
    private final String where;
    private final String problem;

    MappingException(String where, String problem) {
        super(requireNonNull(where, "where is null") + ": " + requireNonNull(problem, "problem is null"), null,
                false, false);
        this.where = where;
        this.problem = problem;
    }

    String where() {
        return where;
    }

    String problem() {
        return problem;
    }

    /** As the SPI's error, with {@code context} (e.g. which event) in front. */
    ConnectorException toConnectorException(String context) {
        return new ConnectorException(ErrorCode.INVALID_INPUT, context == null ? getMessage() : context + ": "
                + getMessage());
    }
}
