package io.bookinghub.hub.connections;

import io.bookinghub.hub.businesses.BusinessDao;
import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.plugins.InstalledConnector;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Enables, configures, shows and disables business connections. */
public final class ConnectionService {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionService.class);
    private static final Duration MIN_SYNC_INTERVAL = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final Clock clock;
    private final ConnectionContexts contexts;
    private final ConnectorInstances instances;
    private final ConnectionSecrets secrets;

    public ConnectionService(Jdbi jdbi, Clock clock, ConnectionContexts contexts, ConnectorInstances instances,
            ConnectionSecrets secrets) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.contexts = contexts;
        this.instances = instances;
        this.secrets = secrets;
    }

    private void requireBusiness(UUID businessId) {
        jdbi.onDemand(BusinessDao.class).require(businessId);
    }

    /** The business's connection to the connector; NOT_FOUND names the business or the connection missing. */
    public ConnectionRow require(UUID businessId, String connectorId) {
        requireBusiness(businessId);
        return jdbi.onDemand(ConnectionDao.class).find(businessId, connectorId).orElseThrow(() -> new ConnectorException(ErrorCode.NOT_FOUND,
                "Business " + businessId + " has no connection to '" + connectorId + "'"));
    }

    /**
     * Enables and configures a connection in one transaction; nothing is written if validation fails.
     *
     * @param submitted the settings to change: a secret left out keeps its stored value, a null value clears it
     * @param syncInterval an ISO-8601 duration (at least PT1M), or null for no schedule
     * @return the stored connection
     */
    public ConnectionRow configure(UUID businessId, String connectorId, Map<String, Object> submitted,
            String syncInterval) {
        requireBusiness(businessId);
        InstalledConnector installed = instances.installed(connectorId);
        ConnectorDescriptor descriptor = installed.descriptor();
        Duration interval = parseInterval(syncInterval);
        Instant now = clock.instant();

        record Outcome(ConnectionRow row, BookingConnector connector) {
        }
        Outcome outcome = jdbi.inTransaction(handle -> {
            ConnectionDao dao = handle.attach(ConnectionDao.class);
            Optional<ConnectionRow> existing = dao.findForUpdate(businessId, connectorId);
            UUID id = existing.map(ConnectionRow::id).orElseGet(UUID::randomUUID);

            Map<String, String> storedSecrets = existing.map(contexts::storedSecrets).orElse(Map.of());
            Map<String, Object> merged = new LinkedHashMap<>(storedSecrets);
            if (submitted != null) {
                submitted.forEach((name, value) -> {
                    if (value == null) {
                        merged.remove(name);
                    } else {
                        // JSON-typed properties may arrive as nested objects; they are kept as JSON text.
                        merged.put(name, value instanceof Map || value instanceof List
                                ? ConnectionContexts.toJson(value) : value);
                    }
                });
            }
            ConnectorConfig config = contexts.validate(descriptor, merged);

            Map<String, String> plain = new LinkedHashMap<>();
            Map<String, String> secret = new LinkedHashMap<>();
            for (ConfigProperty property : descriptor.configProperties()) {
                if (merged.containsKey(property.name()) && config.values().containsKey(property.name())) {
                    (property.secret() ? secret : plain).put(property.name(), config.values().get(property.name()));
                }
            }
            // Creating the connector checks what metadata cannot express (fields that depend on each other).
            BookingConnector connector = installed.factory().create(
                    contexts.create(id, businessId, descriptor, config));
            // The provider account routes shared-route webhooks to this connection.
            String accountId = descriptor.supports(Capability.WEBHOOKS) ? connector.webhooks().accountId()
                    : existing.map(ConnectionRow::accountId).orElse(null);
            SecretBox.Sealed sealed = secret.isEmpty() ? null : secrets.seal(secret, ConnectionSecrets.configContext(id));
            String configJson = ConnectionContexts.toJson(plain);
            Instant nextSync = interval == null ? null : now.plus(interval);
            String intervalText = interval == null ? null : interval.toString();
            if (existing.isEmpty()) {
                dao.insert(id, businessId, connectorId, configJson, sealed == null ? null : sealed.ciphertext(),
                        sealed == null ? null : sealed.keyId(), ConnectionStatus.ACTIVE.name(), accountId, intervalText,
                        nextSync, now);
                handle.attach(ConnectionAuditDao.class).event(id, now, "enabled", "connection created");
            } else {
                ConnectionRow old = existing.get();
                // Reconfiguring does not clear a pending re-authorization: only new credentials do, be they
                // tokens from a reconnect or new secret settings (an API key, say).
                boolean needsReauth = old.enabled() && secret.equals(storedSecrets)
                        && ConnectionStatus.NEEDS_REAUTHORIZATION.name().equals(old.status());
                dao.update(id, configJson, sealed == null ? null : sealed.ciphertext(),
                        sealed == null ? null : sealed.keyId(),
                        needsReauth ? old.status() : ConnectionStatus.ACTIVE.name(),
                        needsReauth ? old.statusReason() : null, accountId, intervalText, nextSync, now);
                handle.attach(ConnectionAuditDao.class).event(id, now, old.enabled() ? "configured" : "enabled",
                        "configuration updated");
            }
            return new Outcome(dao.findById(id).orElseThrow(), connector);
        });
        instances.put(outcome.row(), outcome.connector());
        return outcome.row();
    }

    private static Duration parseInterval(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Duration interval = Duration.parse(text.trim());
            if (interval.compareTo(MIN_SYNC_INTERVAL) < 0) {
                throw invalidInterval("must be at least PT1M");
            }
            return interval;
        } catch (DateTimeParseException e) {
            throw invalidInterval("must be an ISO-8601 duration such as PT15M");
        }
    }

    private static ConfigValidationException invalidInterval(String message) {
        return new ConfigValidationException(List.of(new ConfigValidationException.FieldError("syncInterval", message)));
    }

    public List<ConnectionRow> list(UUID businessId) {
        requireBusiness(businessId);
        return jdbi.onDemand(ConnectionDao.class).listForBusiness(businessId);
    }

    /** Revokes at the provider (best effort), deletes credentials, keeps configuration. */
    public ConnectionRow disable(UUID businessId, String connectorId) {
        ConnectionRow row = require(businessId, connectorId);
        if (row.enabled()) {
            try {
                instances.get(row).disconnect();
            } catch (RuntimeException e) {
                LOG.warn("Disconnect of {} for business {} failed: {}", connectorId, businessId, e.toString());
                jdbi.useExtension(ConnectionAuditDao.class, audit -> audit.event(row.id(), clock.instant(),
                        "revoke-failed", e.getClass().getSimpleName()));
            }
        }
        jdbi.useTransaction(handle -> {
            handle.attach(CredentialDao.class).delete(row.id());
            ConnectionDao dao = handle.attach(ConnectionDao.class);
            dao.disable(row.id(), clock.instant());
            handle.attach(ConnectionAuditDao.class).event(row.id(), clock.instant(), "disabled",
                    "connection disabled, credentials deleted");
        });
        instances.remove(row.id());
        return jdbi.onDemand(ConnectionDao.class).findById(row.id()).orElseThrow();
    }
}
