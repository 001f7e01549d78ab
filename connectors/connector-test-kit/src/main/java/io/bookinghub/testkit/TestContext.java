package io.bookinghub.testkit;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.http.OutboundHttp;
import io.bookinghub.toolkit.config.ConfigValidator;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A {@link ConnectorContext} made of in-memory stand-ins for the hub: a {@link MutableClock}, a
 * {@link SecureRandom} (replaceable by a seeded generator), an {@link InMemoryCredentialStore}, an
 * {@link InMemoryRateBudget} on the clock, a {@link RecordingAudit} and a {@link JdkOutboundHttp} (no destination policy: tests talk to WireMock on
 * localhost; replaceable with {@link #withHttp}).
 *
 * <p>The {@code with...} methods configure the context before the connector is created; they return
 * {@code this}.
 */
public final class TestContext implements ConnectorContext {
    /** The clock's default start: a weekday morning in March, before the EU's summer-time change. */
    public static final Instant DEFAULT_NOW = Instant.parse("2026-03-20T08:00:00Z");
    /** Default business zone: one with daylight saving, so zone handling is exercised. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Europe/Warsaw");
    /** Default hub business id. */
    public static final String DEFAULT_BUSINESS_ID = "hub-business-1";

    private final ConnectorConfig config;
    private final MutableClock clock = new MutableClock(DEFAULT_NOW);
    private final RecordingAudit audit = new RecordingAudit();
    private String businessId = DEFAULT_BUSINESS_ID;
    private ZoneId zone = DEFAULT_ZONE;
    private RandomGenerator random = new SecureRandom();
    private InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    private InMemoryRateBudget rateBudget = new InMemoryRateBudget(clock);
    private String accountId;
    private OutboundHttp http = new JdkOutboundHttp();

    public TestContext(ConnectorConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    /**
     * Validates {@code values} against the factory's metadata (with no environment variables) and wraps
     * the result.
     *
     * @throws io.bookinghub.spi.ConfigValidationException as the hub would
     */
    public static TestContext of(BookingConnectorFactory factory, Map<String, ?> values) {
        requireNonNull(factory, "factory is null");
        return new TestContext(ConfigValidator.validate(factory.descriptor().configProperties(), values,
                env -> null));
    }

    public TestContext withBusinessId(String id) {
        this.businessId = requireNonNull(id, "id is null");
        return this;
    }

    public TestContext withZone(ZoneId businessZone) {
        this.zone = requireNonNull(businessZone, "businessZone is null");
        return this;
    }

    /** E.g. a seeded {@code new Random(42)} for reproducible jitter. */
    public TestContext withRandom(RandomGenerator generator) {
        this.random = requireNonNull(generator, "generator is null");
        return this;
    }

    /** The provider account the hub bound to the connection (after {@code verifyAccount()}). */
    public TestContext withAccountId(String id) {
        this.accountId = requireNonNull(id, "id is null");
        return this;
    }

    /** Shares a credential store with another context, like two hub processes on one database. */
    public TestContext withCredentials(InMemoryCredentialStore store) {
        this.credentials = requireNonNull(store, "store is null");
        return this;
    }

    /** Shares a rate budget with another context, like two hub nodes on one database. */
    public TestContext withRateBudget(InMemoryRateBudget budget) {
        this.rateBudget = requireNonNull(budget, "budget is null");
        return this;
    }

    /** E.g. a transport that refuses every destination, to test how a connector reports a refusal. */
    public TestContext withHttp(OutboundHttp transport) {
        this.http = requireNonNull(transport, "transport is null");
        return this;
    }

    @Override
    public String businessId() {
        return businessId;
    }

    @Override
    public ZoneId businessTimeZone() {
        return zone;
    }

    @Override
    public Optional<String> accountId() {
        return Optional.ofNullable(accountId);
    }

    @Override
    public ConnectorConfig config() {
        return config;
    }

    @Override
    public MutableClock clock() {
        return clock;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public InMemoryCredentialStore credentials() {
        return credentials;
    }

    @Override
    public InMemoryRateBudget rateBudget() {
        return rateBudget;
    }

    @Override
    public RecordingAudit audit() {
        return audit;
    }

    @Override
    public OutboundHttp http() {
        return http;
    }
}
