package io.bookinghub.hub.connections;

import io.bookinghub.hub.businesses.BusinessDao;
import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.integrations.EffectiveConfig;
import io.bookinghub.hub.integrations.Integrations;
import io.bookinghub.hub.plugins.InstalledConnector;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enables, configures, shows and disables business connections, and binds each to the provider account its
 * credentials really grant.
 *
 * <p>Who sets what: a business-admin sets the connection-scope properties of its own connection
 * ({@link #configure}); integration properties are the operator's, and a hub-admin may override them for one
 * connection only ({@link #override}). A provider account is bound to at most one enabled connection of a
 * connector (a unique index), and only after the connector verified the credentials grant it.
 */
public final class ConnectionService {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionService.class);
    private static final Duration MIN_SYNC_INTERVAL = Duration.ofMinutes(1);
    /** A year and a day: a longer interval is a typo, and far-future instants overflow. */
    private static final Duration MAX_SYNC_INTERVAL = Duration.ofDays(366);
    private static final String BOUND_ACCOUNT_INDEX = "connections_bound_account";
    /** Deliberately says nothing about which business holds the account. */
    private static final String ACCOUNT_TAKEN = "This provider account is already connected to another business on "
            + "this hub; disconnect it there first";

    private final Jdbi jdbi;
    private final Clock clock;
    private final ConnectionContexts contexts;
    private final ConnectorInstances instances;
    private final ConnectionSecrets secrets;
    private final Integrations integrations;

    public ConnectionService(Jdbi jdbi, Clock clock, ConnectionContexts contexts, ConnectorInstances instances,
            ConnectionSecrets secrets, Integrations integrations) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.contexts = contexts;
        this.instances = instances;
        this.secrets = secrets;
        this.integrations = integrations;
    }

    private void requireBusiness(UUID businessId) {
        jdbi.onDemand(BusinessDao.class).require(businessId);
    }

    /** The business's connection to the connector; NOT_FOUND names the business or the connection missing. */
    public ConnectionRow require(UUID businessId, String connectorId) {
        requireBusiness(businessId);
        return jdbi.onDemand(ConnectionDao.class).find(businessId, connectorId).orElseThrow(() -> new ConnectorException(
                ErrorCode.NOT_FOUND, "Business " + businessId + " has no connection to '" + connectorId + "'"));
    }

    /**
     * Enables and configures a connection with the business's own (connection-scope) settings, replacing them
     * ({@code PUT}): a non-secret setting left out returns to its default, a secret left out keeps its stored
     * value (admins never see secrets, so they cannot resend them), a null clears one. Nothing is written if
     * validation fails. Integration properties answer 403 (FORBIDDEN) naming each of them, whoever asks: they
     * are the operator's, and overrides have their own admin-only route.
     *
     * @param syncInterval an ISO-8601 duration (PT1M to P366D), or null for no schedule
     * @return the stored connection
     */
    public ConnectionRow configure(UUID businessId, String connectorId, Map<String, Object> submitted,
            String syncInterval) {
        return change(businessId, connectorId, submitted, true, Optional.of(syncInterval == null ? "" : syncInterval));
    }

    /**
     * Changes only the given settings of the business's connection ({@code PATCH}, JSON Merge Patch, RFC 7396):
     * every other setting keeps its stored value, a null removes one.
     *
     * @param syncInterval empty to keep the schedule; a blank value removes it
     */
    public ConnectionRow patch(UUID businessId, String connectorId, Map<String, Object> submitted,
            Optional<String> syncInterval) {
        return change(businessId, connectorId, submitted, false, syncInterval);
    }

    private ConnectionRow change(UUID businessId, String connectorId, Map<String, Object> submitted, boolean replace,
            Optional<String> syncInterval) {
        requireBusiness(businessId);
        InstalledConnector installed = instances.installed(connectorId);
        Map<String, ConfigProperty> properties = installed.descriptor().propertiesByName();
        Map<String, Object> changes = submitted == null ? Map.of() : submitted;
        List<ConfigValidationException.FieldError> refused = new ArrayList<>();
        changes.keySet().stream().filter(name -> properties.containsKey(name) && properties.get(name).isIntegration())
                .forEach(name -> refused.add(new ConfigValidationException.FieldError(name, "is an integration "
                        + "setting of the hub's operator, not of a connection (a hub-admin can override it with PUT "
                        + "/admin/businesses/" + businessId + "/connections/" + connectorId + "/overrides)")));
        if (!refused.isEmpty()) {
            throw new ConfigValidationException(ErrorCode.FORBIDDEN, refused);
        }
        Duration interval = parseInterval(syncInterval.orElseGet(() -> jdbi.onDemand(ConnectionDao.class)
                .find(businessId, connectorId).map(ConnectionRow::syncInterval).orElse(null)));
        if (interval != null && !installed.descriptor().supports(Capability.FULL_SYNC)) {
            throw invalidInterval("connector '" + connectorId + "' cannot sync, so it has no schedule");
        }
        return save(businessId, installed, stored -> {
            // Overrides are the operator's and secrets are never shown (so never resent): both stay on a replace.
            Map<String, Object> merged = new LinkedHashMap<>();
            stored.forEach((name, value) -> {
                ConfigProperty property = properties.get(name);
                if (!replace || property == null || property.isIntegration() || property.secret()) {
                    merged.put(name, value);
                }
            });
            return apply(changes, merged);
        }, interval);
    }

    /**
     * Overrides integration properties for one existing connection (hub-admin only): each given property is
     * set, a null removes the override. An endpoint override makes the connection stop inheriting the
     * integration's secrets, and an absolute URL must pass the outbound policy (422 otherwise).
     */
    public ConnectionRow override(UUID businessId, String connectorId, Map<String, Object> overrides) {
        ConnectionRow existing = require(businessId, connectorId);
        InstalledConnector installed = instances.installed(connectorId);
        Map<String, ConfigProperty> properties = installed.descriptor().propertiesByName();
        Map<String, Object> changes = overrides == null ? Map.of() : overrides;
        List<ConfigValidationException.FieldError> errors = new ArrayList<>();
        changes.forEach((name, value) -> {
            ConfigProperty property = properties.get(name);
            if (property == null) {
                errors.add(new ConfigValidationException.FieldError(name, "unknown property"));
            } else if (!property.isIntegration()) {
                errors.add(new ConfigValidationException.FieldError(name, "is the business's own setting; set it "
                        + "with PUT /admin/businesses/" + businessId + "/connections/" + connectorId));
            } else if (value != null) {
                integrations.endpointRefusal(property, value.toString()).ifPresent(errors::add);
            }
        });
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
        return save(businessId, installed, stored -> apply(changes, new LinkedHashMap<>(stored)),
                parseInterval(existing.syncInterval()));
    }

    private static Map<String, Object> apply(Map<String, Object> changes, Map<String, Object> values) {
        changes.forEach((name, value) -> {
            if (value == null) {
                values.remove(name);
            } else {
                // JSON-typed properties may arrive as nested objects; they are kept as JSON text.
                values.put(name, value instanceof Map || value instanceof List ? ConnectionContexts.toJson(value)
                        : value);
            }
        });
        return values;
    }

    /**
     * Validates the changed values, creates the connector (which checks what metadata cannot express),
     * works out the account binding and status — calling the provider to verify the account when the
     * credentials come from configuration — and then writes in one transaction, refusing if the row changed
     * in between. Network calls happen before the transaction, never inside it.
     */
    private ConnectionRow save(UUID businessId, InstalledConnector installed, UnaryOperator<Map<String, Object>> change,
            Duration interval) {
        ConnectorDescriptor descriptor = installed.descriptor();
        String connectorId = descriptor.id();
        Optional<ConnectionRow> before = jdbi.onDemand(ConnectionDao.class).find(businessId, connectorId);
        UUID id = before.map(ConnectionRow::id).orElseGet(UUID::randomUUID);
        Map<String, Object> merged = change.apply(before.map(contexts::storedValues).orElse(Map.of()));
        EffectiveConfig effective = contexts.resolve(descriptor, merged);
        Optional<String> bound = before.filter(ConnectionRow::enabled).map(ConnectionRow::accountId);
        JdbiConnectorAudit audit = before.isPresent() ? new JdbiConnectorAudit(jdbi, clock, id, connectorId)
                : contexts.deferredAudit(id, descriptor);
        BookingConnector connector = installed.factory().create(
                contexts.create(id, businessId, descriptor, effective, bound, audit));
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, String> secret = new LinkedHashMap<>();
        for (ConfigProperty property : descriptor.configProperties()) {
            String value = effective.config().values().get(property.name());
            if (merged.containsKey(property.name()) && value != null) {
                (property.secret() ? secret : plain).put(property.name(), value);
            }
        }
        boolean secretsChanged = !secret.equals(before.map(contexts::storedSecrets).orElse(Map.of()));
        Binding binding;
        try {
            binding = binding(id, descriptor, effective, connector, before, bound, secretsChanged);
        } catch (RuntimeException e) {
            close(connector);
            throw e;
        }

        SecretBox.Sealed sealed = secret.isEmpty() ? null : secrets.seal(secret, ConnectionSecrets.configContext(id));
        String configJson = ConnectionContexts.toJson(plain);
        Instant now = clock.instant();
        Instant nextSync = interval == null ? null : now.plus(interval);
        String intervalText = interval == null ? null : interval.toString();
        ConnectionRow row;
        try {
            row = jdbi.inTransaction(handle -> {
                ConnectionDao dao = handle.attach(ConnectionDao.class);
                Optional<ConnectionRow> existing = dao.findForUpdate(businessId, connectorId);
                if (!existing.map(ConnectionRow::updatedAt).equals(before.map(ConnectionRow::updatedAt))) {
                    throw new ConnectorException(ErrorCode.CONFLICT, "The connection to '" + connectorId
                            + "' changed while this request was processed; send it again");
                }
                if (existing.isEmpty()) {
                    dao.insert(id, businessId, connectorId, configJson, sealed == null ? null : sealed.ciphertext(),
                            sealed == null ? null : sealed.keyId(), binding.status().name(), binding.reason(),
                            binding.account(), intervalText, nextSync, now);
                    handle.attach(ConnectionAuditDao.class).event(id, now, "enabled", "connection created");
                    audit.flush(handle);
                } else {
                    dao.update(id, configJson, sealed == null ? null : sealed.ciphertext(),
                            sealed == null ? null : sealed.keyId(), binding.status().name(), binding.reason(),
                            binding.account(), intervalText, nextSync, now);
                    handle.attach(ConnectionAuditDao.class).event(id, now,
                            existing.get().enabled() ? "configured" : "enabled", "configuration updated");
                }
                dao.accountDerivedBy(id, descriptor.version());
                if (binding.discardCredentials() && handle.attach(CredentialDao.class).delete(id) > 0) {
                    handle.attach(ConnectionAuditDao.class).event(id, now, "credentials-discarded", binding.reason());
                }
                return dao.findById(id).orElseThrow();
            });
        } catch (RuntimeException e) {
            close(connector);
            throw boundAccountConflict(e) ? accountTaken() : e;
        }
        if (Objects.equals(binding.account(), bound.orElse(null))) {
            instances.put(row, connector);
        } else {
            // Created before its account was verified: the next use builds one that knows the bound account.
            close(connector);
            instances.remove(row.id());
        }
        return row;
    }

    /** 409 naming the field the API shows the bound account (the webhook routing id) in, in the one error shape. */
    private static ConfigValidationException accountTaken() {
        return new ConfigValidationException(ErrorCode.CONFLICT,
                List.of(new ConfigValidationException.FieldError("accountId", ACCOUNT_TAKEN)));
    }

    /** What a saved connection's account binding, status and credentials become. */
    private record Binding(String account, ConnectionStatus status, String reason, boolean discardCredentials) {
    }

    private Binding binding(UUID id, ConnectorDescriptor descriptor, EffectiveConfig effective,
            BookingConnector connector, Optional<ConnectionRow> before, Optional<String> bound,
            boolean secretsChanged) {
        boolean waiting = before.filter(ConnectionRow::enabled)
                .filter(old -> ConnectionStatus.NEEDS_REAUTHORIZATION.name().equals(old.status())).isPresent();
        if (!connector.authorizationRequired()) {
            // Credentials come from the configuration: check with the provider which account they reach.
            Optional<String> account;
            try {
                account = connector.verifyAccount();
            } catch (ConnectorException e) {
                if (e.code() == ErrorCode.AUTH_REQUIRED) {
                    throw new ConnectorException(ErrorCode.INVALID_INPUT, e.getMessage());
                }
                throw e;
            }
            // The provider refused these credentials before: only new secret settings (a new API key, say)
            // clear that; reconfiguring anything else leaves the connection waiting.
            return waiting && !secretsChanged
                    ? new Binding(account.orElse(null), ConnectionStatus.NEEDS_REAUTHORIZATION,
                            before.get().statusReason(), false)
                    : new Binding(account.orElse(null), ConnectionStatus.ACTIVE, null, false);
        }
        boolean credentialsValid = before.isPresent() && jdbi.onDemand(CredentialDao.class).find(id)
                .filter(c -> effective.credentialBinding(descriptor).equals(c.binding())).isPresent();
        String claimed = descriptor.supports(Capability.WEBHOOKS) ? connector.webhooks().accountId() : null;
        boolean accountKept = bound.isPresent() && (claimed == null || claimed.equals(bound.get()));
        if (credentialsValid && accountKept) {
            return new Binding(bound.get(), waiting ? ConnectionStatus.NEEDS_REAUTHORIZATION : ConnectionStatus.ACTIVE,
                    waiting ? before.get().statusReason() : null, false);
        }
        String reason = credentialsValid
                ? "The connection now names another provider account; authorize it again"
                : before.isPresent() && before.get().accountId() != null
                        ? "The provider endpoint settings changed since the connection was authorized; authorize it again"
                        : "Authorize the connection with the provider to start it";
        return new Binding(null, ConnectionStatus.NEEDS_AUTHORIZATION, reason, true);
    }

    /**
     * After an authorization-code exchange stored new credentials: asks the connector which provider account
     * they grant and binds it to the connection, which becomes ACTIVE. If the grant does not cover the
     * configured account, or the account is bound to another enabled connection, the new credentials are
     * revoked (best effort) and deleted, the connection waits for authorization, and the exception says why.
     */
    public ConnectionRow completeAuthorization(ConnectionRow row) {
        BookingConnector connector = instances.get(row);
        Optional<String> account;
        try {
            account = connector.verifyAccount();
        } catch (ConnectorException e) {
            discardAuthorization(row, connector, e.getMessage());
            throw e;
        }
        Instant now = clock.instant();
        try {
            jdbi.useTransaction(handle -> {
                ConnectionDao dao = handle.attach(ConnectionDao.class);
                dao.lock(row.id()).orElseThrow(() -> new ConnectorException(ErrorCode.CONFLICT,
                        "The connection was deleted while it was being authorized"));
                dao.bind(row.id(), account.orElse(null), now);
                dao.accountDerivedBy(row.id(), connector.descriptor().version());
                handle.attach(ConnectionAuditDao.class).event(row.id(), now, "account-bound",
                        account.map(a -> "provider account " + a + " verified and bound").orElse("authorized"));
            });
        } catch (RuntimeException e) {
            if (boundAccountConflict(e)) {
                discardAuthorization(row, connector, ACCOUNT_TAKEN);
                throw accountTaken();
            }
            throw e;
        }
        // The next use builds an instance that knows its bound account, and routing caches drop the old rows.
        instances.remove(row.id());
        return jdbi.onDemand(ConnectionDao.class).findById(row.id()).orElseThrow();
    }

    private void discardAuthorization(ConnectionRow row, BookingConnector connector, String reason) {
        try {
            connector.disconnect();
        } catch (RuntimeException e) {
            LOG.warn("Revoking refused credentials of {} for business {} failed: {}", row.connectorId(),
                    row.businessId(), e.getClass().getSimpleName());
        }
        Instant now = clock.instant();
        jdbi.useTransaction(handle -> {
            handle.attach(CredentialDao.class).delete(row.id());
            handle.attach(ConnectionDao.class).setStatus(row.id(), ConnectionStatus.NEEDS_AUTHORIZATION.name(), reason,
                    now);
            handle.attach(ConnectionAuditDao.class).event(row.id(), now, "authorization-refused",
                    "credentials discarded: " + reason);
        });
    }

    /**
     * Derives again, with the installed plugin, the bound account (the webhook routing id) of every enabled
     * connection whose account another version of the connector derived — after a plugin upgrade the stored id
     * must not stay what the old plugin computed until someone saves the connection. Calls the provider
     * ({@link BookingConnector#verifyAccount}) once per such connection; run it off the start-up path. Safe on
     * several nodes at once: each re-binding applies only if no one re-derived the connection meanwhile. A
     * connection that cannot be checked now (provider down, credentials refused) keeps its binding and is tried
     * again at the next start; one whose new account another connection holds keeps its old binding, logged.
     *
     * @return how many connections were re-derived
     */
    public int rederiveRoutes(ConnectorDescriptor descriptor) {
        int done = 0;
        for (ConnectionRow row : jdbi.onDemand(ConnectionDao.class).staleRoutes(descriptor.id(),
                descriptor.version())) {
            Optional<String> account;
            try {
                account = instances.get(row).verifyAccount();
            } catch (RuntimeException e) {
                LOG.warn("Connection {} of {}: its webhook routing account could not be derived again with version "
                        + "{} ({}); it keeps the stored one until the next start", row.id(), row.connectorId(),
                        descriptor.version(), e instanceof ConnectorException ce ? ce.code() : e.getClass().getName());
                continue;
            }
            String next = account.orElse(row.accountId());
            try {
                boolean changed = jdbi.inTransaction(handle -> {
                    if (handle.attach(ConnectionDao.class).rederived(row.id(), next, descriptor.version()) == 0) {
                        return false;
                    }
                    if (!next.equals(row.accountId())) {
                        handle.attach(ConnectionAuditDao.class).event(row.id(), clock.instant(), "account-rederived",
                                "connector " + descriptor.version() + " derives the provider account " + next);
                    }
                    return true;
                });
                done += changed ? 1 : 0;
            } catch (RuntimeException e) {
                if (!boundAccountConflict(e)) {
                    throw e;
                }
                LOG.warn("Connection {} of {}: the re-derived account is bound to another connection; it keeps its "
                        + "stored one", row.id(), row.connectorId());
            }
        }
        return done;
    }

    /**
     * After the operator changed a connector's integration settings: credentials issued under other endpoint
     * settings are deleted and their connections wait for authorization (they would never be used again).
     */
    public void integrationChanged(String connectorId) {
        InstalledConnector installed = instances.installed(connectorId);
        ConnectorDescriptor descriptor = installed.descriptor();
        for (ConnectionRow row : jdbi.onDemand(ConnectionDao.class).listEnabledOf(connectorId)) {
            String binding;
            try {
                binding = contexts.resolve(descriptor, contexts.storedValues(row)).credentialBinding(descriptor);
            } catch (ConnectorException e) {
                continue; // the connection's configuration no longer validates; its next use says so
            }
            Instant now = clock.instant();
            jdbi.useTransaction(handle -> {
                handle.attach(ConnectionDao.class).lock(row.id());
                CredentialDao credentials = handle.attach(CredentialDao.class);
                if (credentials.find(row.id()).filter(c -> !binding.equals(c.binding())).isPresent()) {
                    credentials.delete(row.id());
                    String reason = "The operator changed the provider endpoint settings; authorize the connection "
                            + "again";
                    handle.attach(ConnectionDao.class).setStatus(row.id(),
                            ConnectionStatus.NEEDS_AUTHORIZATION.name(), reason, now);
                    handle.attach(ConnectionAuditDao.class).event(row.id(), now, "credentials-discarded", reason);
                }
            });
        }
    }

    private static boolean boundAccountConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState()) && sql.getMessage() != null
                    && sql.getMessage().contains(BOUND_ACCOUNT_INDEX)) {
                return true;
            }
        }
        return false;
    }

    private static void close(BookingConnector connector) {
        try {
            connector.close();
        } catch (RuntimeException e) {
            LOG.warn("Connector {} failed to close: {}", connector.descriptor().id(), e.getClass().getSimpleName());
        }
    }


    private static Duration parseInterval(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Duration interval = Duration.parse(text.trim());
            if (interval.compareTo(MIN_SYNC_INTERVAL) < 0 || interval.compareTo(MAX_SYNC_INTERVAL) > 0) {
                throw invalidInterval("must be between PT1M and P366D");
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

    /** The installed connector's descriptor; NOT_FOUND if it is not installed. */
    public ConnectorDescriptor descriptor(String connectorId) {
        return instances.installed(connectorId).descriptor();
    }

    /** The effective configuration of a connection, with each value's origin. */
    public EffectiveConfig effective(ConnectionRow row) {
        return contexts.resolve(instances.installed(row.connectorId()).descriptor(), contexts.storedValues(row));
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
