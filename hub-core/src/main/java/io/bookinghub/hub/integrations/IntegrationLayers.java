package io.bookinghub.hub.integrations;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConfigProperty;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The operator's sources for one connector's integration properties, in precedence order: settings stored
 * through the API, then config.yml, then the environment variable a property names.
 *
 * @param stored      values saved through the settings route (secrets decrypted)
 * @param file        the connector's {@code integrations.<id>} map of config.yml
 * @param environment the hub process environment
 */
public record IntegrationLayers(Map<String, ?> stored, Map<String, String> file,
        Function<String, String> environment) {
    public IntegrationLayers {
        stored = Map.copyOf(requireNonNull(stored, "stored is null"));
        file = Map.copyOf(requireNonNull(file, "file is null"));
        requireNonNull(environment, "environment is null");
    }

    /** The operator's value of an integration property and where it came from; empty if none is set. */
    public Optional<Sourced> lookup(ConfigProperty property) {
        Object value = stored.get(property.name());
        if (present(value)) {
            return Optional.of(new Sourced(value, Origin.SETTINGS));
        }
        value = file.get(property.name());
        if (present(value)) {
            return Optional.of(new Sourced(value, Origin.CONFIG_FILE));
        }
        if (property.environmentVariable() != null) {
            value = environment.apply(property.environmentVariable());
            if (present(value)) {
                return Optional.of(new Sourced(value, Origin.ENVIRONMENT));
            }
        }
        return Optional.empty();
    }

    private static boolean present(Object value) {
        return value != null && !value.toString().isBlank();
    }

    /** A value with its origin. */
    public record Sourced(Object value, Origin origin) {
        public Sourced {
            requireNonNull(value, "value is null");
            requireNonNull(origin, "origin is null");
        }
    }
}
