package io.bookinghub.hub.integrations;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorAudit;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.CredentialStore;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.http.OutboundHttp;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * A context for creating a connector only to check settings (its factory's cross-field rules), belonging to
 * no business: it stores nothing, records nothing and refuses every network call.
 */
record ProbeContext(ConnectorConfig config, Clock clock) implements ConnectorContext {
    private static final RandomGenerator RANDOM = new SecureRandom();

    ProbeContext {
        requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
    }

    @Override
    public String businessId() {
        return "settings-check";
    }

    @Override
    public ZoneId businessTimeZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Optional<String> accountId() {
        return Optional.empty();
    }

    @Override
    public RandomGenerator random() {
        return RANDOM;
    }

    @Override
    public CredentialStore credentials() {
        return new CredentialStore() {
            @Override
            public Map<String, String> load() {
                return Map.of();
            }

            @Override
            public void save(Map<String, String> credentials) {
            }

            @Override
            public void clear() {
            }

            @Override
            public Map<String, String> update(UnaryOperator<Map<String, String>> update) {
                return Map.of();
            }

            @Override
            public void markReauthorizationRequired(String reason) {
            }
        };
    }

    @Override
    public ConnectorAudit audit() {
        return new ConnectorAudit() {
            @Override
            public void apiCall(ApiCall call) {
            }

            @Override
            public void event(String type, String message) {
            }
        };
    }

    @Override
    public OutboundHttp http() {
        return request -> {
            throw new ConnectorException(ErrorCode.INTERNAL, "a connector made a network call while being created");
        };
    }

    @Override
    public String toString() {
        return "ProbeContext";
    }
}
