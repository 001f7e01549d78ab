package io.bookinghub.spi;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

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
     * Validates raw configuration (as submitted to the admin API) against the metadata.
     *
     * @param metadata    the connector's declared properties
     * @param submitted   submitted values (strings, numbers, booleans, or nested JSON already as text)
     * @param environment looks up environment variables named by {@link ConfigProperty#environmentVariable()}
     * @throws ConfigValidationException naming every rejected field
     */
    public static ConnectorConfig validate(List<ConfigProperty> metadata, Map<String, ?> submitted,
            Function<String, String> environment) {
        requireNonNull(metadata, "metadata is null");
        requireNonNull(environment, "environment is null");
        Map<String, ?> input = submitted == null ? Map.of() : submitted;
        Map<String, ConfigProperty> byName = new LinkedHashMap<>();
        metadata.forEach(p -> byName.put(p.name(), p));

        List<ConfigValidationException.FieldError> errors = new ArrayList<>();
        for (String key : input.keySet()) {
            if (!byName.containsKey(key)) {
                errors.add(new ConfigValidationException.FieldError(key, "unknown property"));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigProperty property : metadata) {
            Object raw = input.get(property.name());
            if (raw == null && property.environmentVariable() != null) {
                String fromEnv = environment.apply(property.environmentVariable());
                raw = fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
            }
            if (raw == null) {
                raw = property.defaultValue();
            }
            if (raw == null || raw.toString().isBlank()) {
                if (property.required()) {
                    errors.add(new ConfigValidationException.FieldError(property.name(), "is required"
                            + (property.environmentVariable() == null ? ""
                                    : " (set it on the connection or in " + property.environmentVariable() + ")")));
                }
                continue;
            }
            String problem = check(property, raw);
            if (problem != null) {
                errors.add(new ConfigValidationException.FieldError(property.name(), problem));
            } else {
                values.put(property.name(), canonical(property, raw));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
        return new ConnectorConfig(Collections.unmodifiableMap(byName), Collections.unmodifiableMap(values));
    }

    // Messages describe the expected shape only: a secret value must never be echoed back.
    private static String check(ConfigProperty property, Object raw) {
        String text = raw.toString().trim();
        switch (property.type()) {
            case INTEGER:
                try {
                    Long.parseLong(text);
                    return null;
                } catch (NumberFormatException e) {
                    return "must be an integer";
                }
            case DECIMAL:
                try {
                    new BigDecimal(text);
                    return null;
                } catch (NumberFormatException e) {
                    return "must be a decimal number";
                }
            case BOOLEAN:
                return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false") ? null
                        : "must be true or false";
            case URL:
                try {
                    URI uri = new URI(text);
                    String scheme = uri.getScheme();
                    return uri.isAbsolute() && uri.getHost() != null
                            && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                            ? null : "must be an absolute http(s) URL";
                } catch (Exception e) {
                    return "must be an absolute http(s) URL";
                }
            case ENUM:
                return property.allowedValues().contains(text) ? null
                        : "must be one of " + property.allowedValues();
            case DURATION:
                try {
                    Duration d = Duration.parse(text);
                    return d.isNegative() ? "must not be negative" : null;
                } catch (DateTimeParseException e) {
                    return "must be an ISO-8601 duration such as PT15M";
                }
            case JSON:
            case STRING:
            default:
                return null;
        }
    }

    private static String canonical(ConfigProperty property, Object raw) {
        String text = raw.toString().trim();
        return property.type() == ConfigType.BOOLEAN ? text.toLowerCase() : text;
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
