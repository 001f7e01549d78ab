package io.bookinghub.hub.appwebhooks;

import java.util.UUID;

/**
 * How an endpoint's signing secrets are bound when sealed: to their endpoint, so a sealed secret copied to another
 * endpoint's row no longer opens. Public for {@code db reencrypt}, which must reproduce it.
 */
public final class EndpointSecrets {
    private EndpointSecrets() {
    }

    public static String context(UUID endpointId) {
        return "app-webhook-endpoint:" + endpointId;
    }
}
