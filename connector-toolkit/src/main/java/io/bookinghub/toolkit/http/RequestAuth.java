package io.bookinghub.toolkit.http;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.CredentialStore;
import io.bookinghub.spi.ErrorCode;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How {@link ProviderHttp} authenticates each attempt. {@link #headers()} is asked again before every attempt, so a
 * token refreshed meanwhile (by another thread or hub node) is the one sent. The header values are treated as
 * secrets: never logged, audited or put in an error message.
 */
public interface RequestAuth {

    /** The headers that carry the credential for one attempt. */
    Map<String, String> headers();

    /**
     * Called when the provider answered 401 to an attempt that sent {@code sent}. Returns true when a fresh
     * credential is now available, and the request is then sent once more (even a POST: a 401 means the provider
     * refused it unread). Called at most once per request. The default: false, the 401 is
     * {@link ErrorCode#AUTH_REQUIRED}.
     */
    default boolean refresh(Map<String, String> sent) {
        return false;
    }

    /** No credential (public endpoints, or one carried in the URL by the connector). */
    static RequestAuth none() {
        return Map::of;
    }

    /** An API key in a header, e.g. {@code header("X-Api-Key", apiKey)}. */
    static RequestAuth header(String name, String value) {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        Map<String, String> headers = Map.of(name, value);
        return () -> headers;
    }

    /** {@code Authorization: Bearer <token>} with a token that never changes (a personal access token). */
    static RequestAuth bearer(String token) {
        return header("Authorization", "Bearer " + requireNonNull(token, "token is null"));
    }

    /**
     * A bearer token that can be refreshed (OAuth): {@code token} gives the current access token (refreshing it when
     * it is about to expire), and {@code forceRefresh} is given the token the provider rejected with 401 (so a
     * refresh another caller already made is not made twice).
     */
    static RequestAuth bearer(Supplier<String> token, Consumer<String> forceRefresh) {
        requireNonNull(token, "token is null");
        requireNonNull(forceRefresh, "forceRefresh is null");
        return new RequestAuth() {
            @Override
            public Map<String, String> headers() {
                return Map.of("Authorization", "Bearer " + token.get());
            }

            @Override
            public boolean refresh(Map<String, String> sent) {
                String header = sent.get("Authorization");
                forceRefresh.accept(header == null ? null : header.substring("Bearer ".length()));
                return true;
            }
        };
    }

    /**
     * A bearer token read from the connection's credential store ({@code field}, e.g. {@code access_token}), for
     * connections whose token another component keeps current.
     *
     * @throws ConnectorException AUTH_REQUIRED (from {@link #headers()}) when the store has no such credential
     */
    static RequestAuth bearerFromCredentials(CredentialStore store, String field) {
        requireNonNull(store, "store is null");
        requireNonNull(field, "field is null");
        return () -> {
            String token = store.load().get(field);
            if (token == null || token.isBlank()) {
                throw new ConnectorException(ErrorCode.AUTH_REQUIRED, "the connection has no " + field
                        + "; connect it again");
            }
            return Map.of("Authorization", "Bearer " + token);
        };
    }
}
