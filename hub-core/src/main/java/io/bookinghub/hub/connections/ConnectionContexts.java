package io.bookinghub.hub.connections;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.hub.businesses.BusinessDao;
import io.bookinghub.hub.businesses.BusinessRow;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.http.OutboundHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/** Builds the {@link HubConnectorContext} for a stored connection. */
public final class ConnectionContexts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;
    private final ConnectionSecrets secrets;
    private final Clock clock;
    private final SecureRandom random;
    private final Function<String, String> environment;
    private final OutboundHttp http;

    public ConnectionContexts(Jdbi jdbi, ConnectionSecrets secrets, Clock clock, SecureRandom random,
            Function<String, String> environment, OutboundHttp http) {
        this.jdbi = jdbi;
        this.secrets = secrets;
        this.clock = clock;
        this.random = random;
        this.environment = environment;
        this.http = http;
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

    public ConnectorConfig validate(ConnectorDescriptor descriptor, Map<String, ?> values) {
        return ConnectorConfig.validate(descriptor.configProperties(), values, environment);
    }

    public HubConnectorContext create(ConnectionRow row, ConnectorDescriptor descriptor) {
        return create(row.id(), row.businessId(), descriptor, validate(descriptor, storedValues(row)));
    }

    public HubConnectorContext create(UUID connectionId, UUID businessId, ConnectorDescriptor descriptor,
            ConnectorConfig config) {
        BusinessRow business = jdbi.onDemand(BusinessDao.class).find(businessId)
                .orElseThrow(() -> new IllegalStateException("business " + businessId + " vanished"));
        return new HubConnectorContext(businessId.toString(), ZoneId.of(business.timeZone()), config, clock, random,
                new JdbiCredentialStore(jdbi, secrets, clock, connectionId),
                new JdbiConnectorAudit(jdbi, clock, connectionId, descriptor.id()), http);
    }

    static Map<String, Object> parse(String json) {
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

    static String toJson(Object values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
