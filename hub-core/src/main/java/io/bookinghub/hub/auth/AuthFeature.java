package io.bookinghub.hub.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import io.bookinghub.hub.api.ErrorBody;
import io.bookinghub.hub.crypto.SecurityConfig;
import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.UnauthorizedHandler;
import io.dropwizard.core.setup.Environment;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;
import org.jdbi.v3.core.Jdbi;

/** Bearer API keys: the authentication filter, role checks and the key management routes. */
public final class AuthFeature {
    private AuthFeature() {
    }

    /**
     * Registers authentication and the {@code /admin/api-keys} routes, and makes sure a hub-admin key
     * exists.
     *
     * @return the key service, and the generated hub-admin key if one had to be made (show it once)
     */
    public static Registered register(Environment environment, Jdbi jdbi, Clock clock, SecureRandom random,
            SecurityConfig config) {
        ApiKeys apiKeys = new ApiKeys(jdbi, clock, random, config.getApiKeyCacheTtl(), Ticker.systemTicker());
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(apiKeys);
        environment.jersey().register(new AuthDynamicFeature(new BearerHeaderAuthFilter.Builder()
                .setAuthenticator(authenticator)
                .setAuthorizer(authenticator)
                .setPrefix("Bearer")
                .setRealm("booking-hub")
                .setUnauthorizedHandler(new UnauthorizedHandler() {
                    @Override
                    public Response buildResponse(String prefix, String realm) {
                        // The API's one error shape, not Dropwizard's {code,message}.
                        return Response.fromResponse(ErrorBody.of(401, "a valid API key is required: "
                                + "'Authorization: Bearer <key>'").response())
                                .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"").build();
                    }
                })
                .buildAuthFilter()));
        environment.jersey().register(RolesAllowedDynamicFeature.class);
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(HubPrincipal.class));
        environment.jersey().register(new ApiKeyResource(jdbi, apiKeys));
        return new Registered(apiKeys, apiKeys.bootstrap(config.getAdminToken()));
    }

    /** What the application keeps of the feature. */
    public record Registered(ApiKeys apiKeys, Optional<String> generatedAdminKey) {
    }
}
