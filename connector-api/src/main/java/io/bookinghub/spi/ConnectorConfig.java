package io.bookinghub.spi;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connection's validated configuration: every value has been checked against the connector's
 * {@link ConfigProperty} metadata, and absent values were filled from the environment or defaults.
 * Values are held in canonical text form; the typed getters parse them.
 */
public final class ConnectorConfig {
    private final Map<String, ConfigProperty> properties;
    private final Map<String, String> values;

    private ConnectorConfig(Map<String, ConfigProperty> properties, Map<String, String> values) {
        this.properties = properties;
        this.values = values;
    }

    /**
     * A configuration of already validated values. The hub (and the connector test kit) validate what was
     * submitted with the toolkit's {@code io.bookinghub.toolkit.config.ConfigValidator}, which checks every
     * value against the metadata, fills environment values and defaults, and then calls this; connectors
     * never need to.
     *
     * @param metadata the connector's declared properties
     * @param values   each set property's value in canonical text form; absent properties are unset
     * @throws IllegalArgumentException if a value names no declared property
     */
    public static ConnectorConfig of(List<ConfigProperty> metadata, Map<String, String> values) {
        requireNonNull(metadata, "metadata is null");
        requireNonNull(values, "values is null");
        Map<String, ConfigProperty> byName = new LinkedHashMap<>();
        metadata.forEach(p -> byName.put(p.name(), p));
        Map<String, String> copy = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException("Connector declares no config property '" + name + "'");
            }
            copy.put(name, requireNonNull(value, "value of " + name + " is null"));
        });
        return new ConnectorConfig(Collections.unmodifiableMap(byName), Collections.unmodifiableMap(copy));
    }

    private ConfigProperty property(String name) {
        ConfigProperty property = properties.get(name);
        if (property == null) {
            throw new IllegalArgumentException("Connector declares no config property '" + name + "'");
        }
        return property;
    }

    /** The value, if one was given or defaulted. */
    public Optional<String> get(String name) {
        property(name);
        return Optional.ofNullable(values.get(name));
    }

    /** The value of a required (or defaulted) property. */
    public String string(String name) {
        return get(name).orElseThrow(() -> new ConnectorException(ErrorCode.INVALID_INPUT,
                "Config property '" + name + "' has no value"));
    }

    public long integer(String name) {
        return Long.parseLong(string(name));
    }

    public BigDecimal decimal(String name) {
        return new BigDecimal(string(name));
    }

    public boolean bool(String name) {
        return Boolean.parseBoolean(string(name));
    }

    public Duration duration(String name) {
        return Duration.parse(string(name));
    }

    public URI url(String name) {
        return URI.create(string(name));
    }

    /** All values, secrets included; for the hub's storage, never for display. */
    public Map<String, String> values() {
        return values;
    }

    /** Values safe to display: secrets are replaced by "set"; unset properties are absent. */
    public Map<String, Object> masked() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ConfigProperty p : properties.values()) {
            if (p.secret()) {
                out.put(p.name(), values.containsKey(p.name()) ? "set" : "unset");
            } else if (values.containsKey(p.name())) {
                out.put(p.name(), values.get(p.name()));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "ConnectorConfig" + masked();
    }
}
