package io.bookinghub.hub.auth;

import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.Authorizer;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Optional;

/** Bearer API keys for dropwizard-auth; roles come from the key's row. */
public final class ApiKeyAuthenticator implements Authenticator<String, HubPrincipal>, Authorizer<HubPrincipal> {
    private final ApiKeys apiKeys;

    public ApiKeyAuthenticator(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @Override
    public Optional<HubPrincipal> authenticate(String token) {
        return apiKeys.authenticate(token);
    }

    @Override
    public boolean authorize(HubPrincipal principal, String role, ContainerRequestContext requestContext) {
        // A hub-admin may do everything a business-admin may.
        return principal.isHubAdmin() || principal.role().wireName().equals(role);
    }
}
