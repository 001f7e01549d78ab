package io.bookinghub.hub.outbound;

import static java.util.Objects.requireNonNull;

import java.net.UnknownHostException;

/**
 * The policy refused a destination while resolving it. An {@link UnknownHostException} because the HTTP client's
 * resolver may only throw that; {@link HubOutboundHttp} turns it into the SPI's refusal.
 */
final class RefusedDestinationException extends UnknownHostException {
    private final String reason;

    RefusedDestinationException(String reason) {
        super(requireNonNull(reason, "reason is null"));
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
