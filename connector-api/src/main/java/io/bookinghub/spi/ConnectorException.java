package io.bookinghub.spi;

import static java.util.Objects.requireNonNull;

/**
 * The only exception type a connector throws on purpose. The message must be safe to show to an
 * admin and to store in audit rows: it must never contain a token, secret or code verifier.
 */
public class ConnectorException extends RuntimeException {
    private final ErrorCode code;

    public ConnectorException(ErrorCode code, String message) {
        super(requireNonNull(message, "message is null"));
        this.code = requireNonNull(code, "code is null");
    }

    public ConnectorException(ErrorCode code, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
    }

    public ErrorCode code() {
        return code;
    }

    /** The error for an operation whose capability the connector does not declare. */
    public static ConnectorException unsupported(String connectorId, Capability capability) {
        return new ConnectorException(ErrorCode.UNSUPPORTED,
                "Connector '" + connectorId + "' does not support " + capability.name());
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + code + "]: " + getMessage();
    }
}
