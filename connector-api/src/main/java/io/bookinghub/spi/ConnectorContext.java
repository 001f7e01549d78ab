package io.bookinghub.spi;

import io.bookinghub.spi.http.OutboundHttp;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Everything the hub gives a connector instance. Connectors never touch the hub's database or
 * configuration files directly; all state goes through these services, so tests can supply their own.
 */
public interface ConnectorContext {

    /** The hub's id of the business this connection belongs to. */
    String businessId();

    /** The business's IANA time zone, for providers that send local times. */
    ZoneId businessTimeZone();

    /**
     * The provider account bound to this connection after {@link BookingConnector#verifyAccount()}
     * confirmed it; empty until then. Lets a connector work with an account taken from the grant.
     */
    Optional<String> accountId();

    /** The connection's validated configuration. */
    ConnectorConfig config();

    /** The only source of time a connector may use. */
    Clock clock();

    /** The only source of randomness a connector may use (backoff jitter, nonces); cryptographically strong. */
    RandomGenerator random();

    /** Encrypted, per-connection credential storage. */
    CredentialStore credentials();

    /**
     * Request budgets shared by every hub node, for provider rate limits; pace calls through it rather than with
     * a limiter of the connector's own, which would only hold within one process.
     */
    RateBudget rateBudget();

    /** Audit of outbound provider calls and notable events; never pass secrets to it. */
    ConnectorAudit audit();

    /**
     * The only way a connector may make network calls: the hub's outbound policy (https only, no private or
     * loopback destinations unless an operator allow-listed them, no redirects followed, capped timeouts and
     * response sizes) applies to everything sent through it. Connectors must not open sockets or build HTTP
     * clients of their own.
     */
    OutboundHttp http();
}
