package io.bookinghub.connectors.booksy;

import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.CredentialStore;
import io.bookinghub.spi.sync.RecordSink;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;

/** A connector context built from test doubles. */
final class TestContext implements ConnectorContext {
    static final Instant NOW = Instant.parse("2026-11-24T08:00:00Z");
    static final String CLIENT_SECRET = "cs-very-secret-client-secret";
    static final String API_KEY = "ak-very-secret-api-key";

    final MutableClock clock = new MutableClock(NOW);
    final InMemoryCredentialStore credentials;
    final RecordingAudit audit = new RecordingAudit();
    final InMemorySyncSink records = new InMemorySyncSink();
    RandomGenerator random = new Random(42);
    private final ConnectorConfig config;

    TestContext(ConnectorConfig config) {
        this(config, new InMemoryCredentialStore());
    }

    /** A context sharing another's credential store, like a second hub process. */
    TestContext(ConnectorConfig config, InMemoryCredentialStore credentials) {
        this.config = config;
        this.credentials = credentials;
    }

    /** OAuth-mode config pointing at {@code baseUrl}, fast limiter; {@code overrides} win. */
    static Map<String, Object> oauthValues(String baseUrl) {
        Map<String, Object> values = new HashMap<>();
        values.put("apiBaseUrl", baseUrl);
        values.put("clientId", "hub-client");
        values.put("clientSecret", CLIENT_SECRET);
        values.put("redirectUri", "https://hub.example.com/connectors/booksy/oauth/callback?x=1");
        values.put("scopes", "appointments:read business:read");
        values.put("businessId", "b-1001");
        values.put("rateLimitPerSecond", "1000");
        values.put("rateLimitBurst", "1000");
        return values;
    }

    static Map<String, Object> apiKeyValues(String baseUrl) {
        Map<String, Object> values = new HashMap<>();
        values.put("apiBaseUrl", baseUrl);
        values.put("authMode", "api-key");
        values.put("apiKey", API_KEY);
        values.put("businessId", "b-1001");
        values.put("rateLimitPerSecond", "1000");
        values.put("rateLimitBurst", "1000");
        return values;
    }

    static TestContext of(Map<String, Object> values) {
        return new TestContext(ConnectorConfig.validate(
                new BooksyConnectorFactory().descriptor().configProperties(), values, env -> null));
    }

    @Override
    public String businessId() {
        return "hub-business-1";
    }

    @Override
    public ZoneId businessTimeZone() {
        return ZoneId.of("Europe/Warsaw");
    }

    @Override
    public ConnectorConfig config() {
        return config;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public CredentialStore credentials() {
        return credentials;
    }

    @Override
    public RecordingAudit audit() {
        return audit;
    }

}
