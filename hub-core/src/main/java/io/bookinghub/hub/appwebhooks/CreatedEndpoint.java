package io.bookinghub.hub.appwebhooks;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** The answer that shows a signing secret, once: creating an endpoint or rotating its secret. */
public record CreatedEndpoint(@JsonUnwrapped EndpointView endpoint, String secret) {
}
