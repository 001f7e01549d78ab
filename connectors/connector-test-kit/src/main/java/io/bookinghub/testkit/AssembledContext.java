package io.bookinghub.testkit;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorAudit;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.CredentialStore;
import io.bookinghub.spi.RateBudget;
import io.bookinghub.spi.http.OutboundHttp;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A {@link ConnectorContext} assembled from the given parts, for harnesses that run a connector in real time
 * with stores of their own, such as benchmarks (a {@link CountingAudit} and a shared credential store).
 * Unit tests want {@link TestContext}: its clock only moves when told to.
 */
public record AssembledContext(
        String businessId,
        ZoneId businessTimeZone,
        ConnectorConfig config,
        Clock clock,
        RandomGenerator random,
        CredentialStore credentials,
        RateBudget rateBudget,
        ConnectorAudit audit,
        OutboundHttp http) implements ConnectorContext {

    public AssembledContext {
        requireNonNull(businessId, "businessId is null");
        requireNonNull(businessTimeZone, "businessTimeZone is null");
        requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(random, "random is null");
        requireNonNull(credentials, "credentials is null");
        requireNonNull(rateBudget, "rateBudget is null");
        requireNonNull(audit, "audit is null");
        requireNonNull(http, "http is null");
    }

    /**
     * The system clock and a {@link SecureRandom}, as in the hub (a connector's rate limiter and token expiry run
     * on real time), an {@link InMemoryRateBudget} on that clock, {@link TestContext#DEFAULT_ZONE} and a
     * {@link JdkOutboundHttp} (no destination policy: the
     * harness's provider stand-in runs on localhost).
     */
    public static AssembledContext of(String businessId, ConnectorConfig config, CredentialStore credentials,
            ConnectorAudit audit) {
        Clock clock = Clock.systemUTC();
        return new AssembledContext(businessId, TestContext.DEFAULT_ZONE, config, clock, new SecureRandom(),
                credentials, new InMemoryRateBudget(clock), audit, new JdkOutboundHttp());
    }

    /** Harnesses configure the provider account explicitly; nothing was bound by a verification. */
    @Override
    public Optional<String> accountId() {
        return Optional.empty();
    }

    /** The record would print the config; keep even the masked config out and name only the business. */
    @Override
    public String toString() {
        return "AssembledContext[business=" + businessId + "]";
    }
}
