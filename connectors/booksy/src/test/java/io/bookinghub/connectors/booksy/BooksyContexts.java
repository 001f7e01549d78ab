package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import io.bookinghub.testkit.TestContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The kit's {@link TestContext} set up for Booksy's tests: Booksy configurations, a clock at {@link #NOW} (the
 * recorded payloads' dates are relative to it) and a seeded random, so retry jitter is reproducible.
 */
final class BooksyContexts {
    static final Instant NOW = Instant.parse("2026-11-24T08:00:00Z");
    static final String CLIENT_SECRET = "cs-very-secret-client-secret";
    static final String API_KEY = "ak-very-secret-api-key";

    private BooksyContexts() {
    }

    /** OAuth-mode config pointing at {@code baseUrl}. */
    static Map<String, Object> oauthValues(String baseUrl) {
        Map<String, Object> values = baseValues(baseUrl);
        values.put("clientId", "hub-client");
        values.put("clientSecret", CLIENT_SECRET);
        values.put("redirectUri", "https://hub.example.com/connectors/booksy/oauth/callback?x=1");
        values.put("scopes", "appointments:read business:read");
        return values;
    }

    /** API-key-mode config pointing at {@code baseUrl}. */
    static Map<String, Object> apiKeyValues(String baseUrl) {
        Map<String, Object> values = baseValues(baseUrl);
        values.put("authMode", "api-key");
        values.put("apiKey", API_KEY);
        return values;
    }

    /** Booksy's business b-1001 at {@code baseUrl}, with a limiter fast enough not to slow tests; mutable. */
    private static Map<String, Object> baseValues(String baseUrl) {
        Map<String, Object> values = new HashMap<>();
        values.put("apiBaseUrl", baseUrl);
        values.put("businessId", "b-1001");
        values.put("rateLimitPerSecond", "1000");
        values.put("rateLimitBurst", "1000");
        return values;
    }

    /** A context whose config is {@code values} validated against Booksy's metadata, as the hub would. */
    static TestContext of(Map<String, Object> values) {
        return atNow(TestContext.of(new BooksyConnectorFactory(), values));
    }

    /** A second context over the same config and credential store, like another hub process. */
    static TestContext sharingCredentials(TestContext context) {
        requireNonNull(context, "context is null");
        return atNow(new TestContext(context.config()).withCredentials(context.credentials()));
    }

    private static TestContext atNow(TestContext context) {
        context.clock().set(NOW);
        return context.withRandom(new Random(42));
    }
}
