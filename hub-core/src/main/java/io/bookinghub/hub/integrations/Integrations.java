package io.bookinghub.hub.integrations;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.connections.ConnectionContexts;
import io.bookinghub.hub.connections.ConnectionSecrets;
import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.plugins.ConnectorPlugins;
import io.bookinghub.hub.plugins.InstalledConnector;
import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * The operator's integration settings of each connector: the provider app registration (client id and
 * secret, endpoints) and how the hub talks to the provider (limits, timeouts, webhook scheme). Sources, in
 * precedence order: settings saved through the API (secrets sealed, masked on read, every change audited),
 * config.yml's {@code integrations.<connectorId>} map, environment variables, defaults.
 */
public final class Integrations {
    private final Jdbi jdbi;
    private final ConnectionSecrets secrets;
    private final Clock clock;
    private final ConnectorPlugins plugins;
    private final Map<String, Map<String, String>> file;
    private final Function<String, String> environment;
    private final Function<URI, Optional<String>> outboundRefusal;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param file            config.yml's integration settings by connector id
     * @param outboundRefusal why the hub's outbound policy would refuse a URL, if it would
     */
    public Integrations(Jdbi jdbi, ConnectionSecrets secrets, Clock clock, ConnectorPlugins plugins,
            Map<String, Map<String, String>> file, Function<String, String> environment,
            Function<URI, Optional<String>> outboundRefusal) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.file = Map.copyOf(requireNonNull(file, "file is null"));
        this.environment = requireNonNull(environment, "environment is null");
        this.outboundRefusal = requireNonNull(outboundRefusal, "outboundRefusal is null");
    }

    /**
     * Checks config.yml's settings against the installed connectors; a bad one stops start-up naming it.
     * Settings of a connector that is not installed are kept (its plugin may be fixed later).
     */
    public void validateFileSettings() {
        List<ConfigValidationException.FieldError> errors = new ArrayList<>();
        file.forEach((connectorId, values) -> plugins.find(connectorId).ifPresent(installed -> {
            Map<String, ConfigProperty> byName = installed.descriptor().propertiesByName();
            values.keySet().forEach(name -> {
                ConfigProperty property = byName.get(name);
                String field = "integrations." + connectorId + "." + name;
                if (property == null) {
                    errors.add(new ConfigValidationException.FieldError(field, "unknown property"));
                } else if (!property.isIntegration()) {
                    errors.add(new ConfigValidationException.FieldError(field,
                            "is set per connection by the business, not in the integration"));
                }
            });
        }));
        if (!errors.isEmpty()) {
            throw new IllegalStateException("Invalid integration settings in the configuration: "
                    + new ConfigValidationException(errors).getMessage());
        }
    }

    /** Runs {@code listener} with the connector id after its settings changed on this node. */
    public void onChange(Consumer<String> listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /** The operator's sources for a connector's integration properties. */
    public IntegrationLayers layers(String connectorId) {
        Map<String, Object> stored = jdbi.withExtension(IntegrationDao.class, dao -> dao.find(connectorId))
                .map(this::storedValues).orElse(Map.of());
        return new IntegrationLayers(stored, file.getOrDefault(connectorId, Map.of()), environment);
    }

    private Map<String, Object> storedValues(IntegrationDao.Row row) {
        Map<String, Object> values = new LinkedHashMap<>(ConnectionContexts.parse(row.config()));
        values.putAll(secrets.open(row.secretKeyId(), row.secretConfig(),
                IntegrationDao.secretsContext(row.connectorId())));
        return values;
    }

    /** The effective integration settings of a connector: values (secrets masked) and origins. */
    public Map<String, SettingView> view(String connectorId) {
        ConnectorDescriptor descriptor = installed(connectorId).descriptor();
        IntegrationLayers layers = layers(connectorId);
        Map<String, SettingView> out = new LinkedHashMap<>();
        for (ConfigProperty property : descriptor.configProperties()) {
            if (!property.isIntegration()) {
                continue;
            }
            Optional<IntegrationLayers.Sourced> sourced = layers.lookup(property);
            String value = sourced.map(s -> s.value().toString()).orElse(property.defaultValue());
            Origin origin = sourced.map(IntegrationLayers.Sourced::origin)
                    .orElse(property.defaultValue() == null ? null : Origin.DEFAULT);
            out.put(property.name(), SettingView.of(property, value, origin));
        }
        return out;
    }

    /**
     * Changes stored settings: each given property is set, a {@code null} removes the stored value (the
     * next source then applies). Validated as a whole before anything is written; the change is audited
     * by property name (values of non-secret properties too, never those of secrets).
     *
     * @throws ConfigValidationException 422 naming every bad field
     */
    public Map<String, SettingView> update(String connectorId, Map<String, Object> submitted, String actor) {
        InstalledConnector installed = installed(connectorId);
        ConnectorDescriptor descriptor = installed.descriptor();
        Map<String, ConfigProperty> byName = descriptor.propertiesByName();
        Map<String, Object> changes = submitted == null ? Map.of() : submitted;
        List<ConfigValidationException.FieldError> errors = new ArrayList<>();
        changes.forEach((name, value) -> {
            ConfigProperty property = byName.get(name);
            if (property == null) {
                errors.add(new ConfigValidationException.FieldError(name, "unknown property"));
            } else if (!property.isIntegration()) {
                errors.add(new ConfigValidationException.FieldError(name,
                        "is set per connection by the business, not in the integration"));
            } else if (value != null) {
                endpointRefusal(property, value.toString()).ifPresent(errors::add);
            }
        });
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
        Instant now = clock.instant();
        jdbi.useTransaction(handle -> {
            IntegrationDao dao = handle.attach(IntegrationDao.class);
            Map<String, Object> before = dao.findForUpdate(connectorId).map(this::storedValues).orElse(Map.of());
            Map<String, Object> after = new LinkedHashMap<>(before);
            changes.forEach((name, value) -> {
                if (value == null) {
                    after.remove(name);
                } else {
                    after.put(name, value instanceof Map || value instanceof List ? ConnectionContexts.toJson(value)
                            : value);
                }
            });
            checkValid(installed, new IntegrationLayers(after, file.getOrDefault(connectorId, Map.of()), environment),
                    changes.keySet());
            Map<String, String> plain = new LinkedHashMap<>();
            Map<String, String> secret = new LinkedHashMap<>();
            after.forEach((name, value) -> (byName.get(name).secret() ? secret : plain).put(name, value.toString()));
            SecretBox.Sealed sealed = secret.isEmpty() ? null
                    : secrets.seal(secret, IntegrationDao.secretsContext(connectorId));
            dao.upsert(connectorId, ConnectionContexts.toJson(plain), sealed == null ? null : sealed.ciphertext(),
                    sealed == null ? null : sealed.keyId(), now);
            for (String name : changes.keySet()) {
                if (!Objects.equals(before.get(name), after.get(name))) {
                    dao.event(connectorId, now, actor, describeChange(byName.get(name), before.get(name),
                            after.get(name)));
                }
            }
            dao.touchConnections(connectorId, now);
        });
        listeners.forEach(listener -> listener.accept(connectorId));
        return view(connectorId);
    }

    /** The integration's changes, newest first, after the one at {@code afterAt} with {@code afterId} if given. */
    public List<IntegrationDao.Event> events(String connectorId, Instant afterAt, Long afterId, int limit) {
        installed(connectorId);
        return jdbi.withExtension(IntegrationDao.class, dao -> dao.events(connectorId, afterAt, afterId, limit));
    }

    // Only the integration properties are judged here: a connection-scope property that is required is the
    // business's to set, and its absence is no fault of the operator's settings. The factory's own cross-field
    // rules run on a connector created for the check alone; a message naming a property this change sets
    // ("field: why", as the SPI asks) refuses it. Others (a client id not configured yet) are the next change's.
    private void checkValid(InstalledConnector installed, IntegrationLayers layers, Set<String> changed) {
        ConnectorDescriptor descriptor = installed.descriptor();
        Map<String, ConfigProperty> byName = descriptor.propertiesByName();
        EffectiveConfig effective;
        try {
            effective = EffectiveConfig.resolve(descriptor, Map.of(), layers);
        } catch (ConfigValidationException e) {
            List<ConfigValidationException.FieldError> own = e.errors().stream()
                    .filter(f -> byName.containsKey(f.field()) && byName.get(f.field()).isIntegration()).toList();
            if (!own.isEmpty()) {
                throw new ConfigValidationException(own);
            }
            return;
        }
        try {
            installed.factory().create(new ProbeContext(effective.config(), clock)).close();
        } catch (ConnectorException e) {
            int colon = e.getMessage() == null ? -1 : e.getMessage().indexOf(':');
            String field = colon < 0 ? "" : e.getMessage().substring(0, colon).trim();
            if (changed.contains(field) && byName.get(field).isIntegration()) {
                throw new ConfigValidationException(List.of(new ConfigValidationException.FieldError(field,
                        e.getMessage().substring(colon + 1).trim())));
            }
        }
    }

    /**
     * An absolute URL in an endpoint property must pass the outbound policy when it is saved, so a typo or an
     * internal address is refused now rather than on the first sync. Paths are joined to a checked base URL.
     */
    public Optional<ConfigValidationException.FieldError> endpointRefusal(ConfigProperty property, String value) {
        if (!property.endpoint() || value.isBlank() || value.trim().startsWith("/")) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            return Optional.empty(); // the property's own validation names the syntax problem
        }
        if (!uri.isAbsolute()) {
            return Optional.empty();
        }
        return outboundRefusal.apply(uri).map(reason -> new ConfigValidationException.FieldError(property.name(),
                "the hub's outbound policy refuses it: " + reason));
    }

    private static String describeChange(ConfigProperty property, Object before, Object after) {
        if (property.secret()) {
            return property.name() + (after == null ? " removed" : before == null ? " set" : " changed");
        }
        return property.name() + ": " + (before == null ? "(unset)" : before) + " -> " + (after == null ? "(unset)" : after);
    }

    private InstalledConnector installed(String connectorId) {
        return plugins.find(connectorId).orElseThrow(() -> new ConnectorException(ErrorCode.NOT_FOUND,
                "No connector '" + connectorId + "' is installed"));
    }



}
