package io.bookinghub.hub.connections;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.hub.businesses.BusinessDao;
import io.bookinghub.hub.businesses.BusinessRow;
import io.bookinghub.hub.integrations.EffectiveConfig;
import io.bookinghub.hub.integrations.Integrations;
import io.bookinghub.hub.outbound.ProviderCalls;
import io.bookinghub.hub.ratebudget.SharedRateBudgets;
import io.bookinghub.spi.ConnectorDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Builds the {@link HubConnectorContext} for a stored connection: its configuration resolved against the
 * operator's integration settings, credentials bound to the endpoints they were issued for, and the provider
 * account bound to it.
 */
public final class ConnectionContexts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;
    private final ConnectionSecrets secrets;
    private final Clock clock;
    private final SecureRandom random;
    private final Integrations integrations;
    private final ProviderCalls http;
    private final SharedRateBudgets rateBudgets;
    private final ConnectionMetrics metrics;

    ConnectionContexts(Jdbi jdbi, ConnectionSecrets secrets, Clock clock, SecureRandom random,
            Integrations integrations, ProviderCalls http, SharedRateBudgets rateBudgets, ConnectionMetrics metrics) {
        this.jdbi = jdbi;
        this.secrets = secrets;
        this.clock = clock;
        this.random = random;
        this.integrations = integrations;
        this.http = http;
        this.rateBudgets = rateBudgets;
        this.metrics = metrics;
    }

    /** The raw stored configuration: non-secret values merged with decrypted secrets. */
    public Map<String, Object> storedValues(ConnectionRow row) {
        Map<String, Object> values = new LinkedHashMap<>(parse(row.config()));
        values.putAll(storedSecrets(row));
        return values;
    }

    public Map<String, String> storedSecrets(ConnectionRow row) {
        return secrets.open(row.secretKeyId(), row.secretConfig(), ConnectionSecrets.configContext(row.id()));
    }

    /**
     * The effective configuration of a connection with these stored values.
     *
     * @throws io.bookinghub.spi.ConfigValidationException naming every bad field
     */
    public EffectiveConfig resolve(ConnectorDescriptor descriptor, Map<String, ?> values) {
        return EffectiveConfig.resolve(descriptor, values, integrations.layers(descriptor.id()));
    }

    public HubConnectorContext create(ConnectionRow row, ConnectorDescriptor descriptor) {
        return create(row.id(), row.businessId(), descriptor, resolve(descriptor, storedValues(row)),
                Optional.ofNullable(row.accountId()));
    }

    /**
     * @param accountId the provider account bound to the connection, if one was verified
     */
    public HubConnectorContext create(UUID connectionId, UUID businessId, ConnectorDescriptor descriptor,
            EffectiveConfig config, Optional<String> accountId) {
        return create(connectionId, businessId, descriptor, config, accountId,
                new JdbiConnectorAudit(jdbi, clock, connectionId, descriptor.id()));
    }

    /** The audit of a connection about to be created: it holds its rows until the row exists. */
    JdbiConnectorAudit deferredAudit(UUID connectionId, ConnectorDescriptor descriptor) {
        return JdbiConnectorAudit.deferred(jdbi, clock, connectionId, descriptor.id());
    }

    HubConnectorContext create(UUID connectionId, UUID businessId, ConnectorDescriptor descriptor,
            EffectiveConfig config, Optional<String> accountId, JdbiConnectorAudit audit) {
        BusinessRow business = jdbi.onDemand(BusinessDao.class).find(businessId)
                .orElseThrow(() -> new IllegalStateException("business " + businessId + " vanished"));
        String connectorId = descriptor.id();
        return new HubConnectorContext(businessId.toString(), ZoneId.of(business.timeZone()), accountId,
                config.config(), clock, random, metrics.credentials(connectorId,
                        new JdbiCredentialStore(jdbi, secrets, clock, connectionId, config.credentialBinding(descriptor))),
                metrics.rateBudget(connectorId, rateBudgets.forConnector(connectorId)),
                metrics.audit(connectorId, audit), http.forConnection(connectorId, connectionId));
    }

    /** JSON text to a map; a connection's non-secret values are stored this way. */
    public static Map<String, Object> parse(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any value to JSON text. */
    public static String toJson(Object values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
