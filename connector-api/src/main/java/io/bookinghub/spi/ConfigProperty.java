package io.bookinghub.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Metadata for one property of a connection's configuration. The hub validates submitted
 * configuration against these, masks {@link #secret()} values in every response and stores them
 * encrypted, and fills in {@link #environmentVariable()} and {@link #defaultValue()} for absent values.
 *
 * @param name                property name, as used in the admin API and {@link ConnectorConfig}
 * @param type                value type
 * @param required            whether a value (given, from the environment or a default) must exist
 * @param secret              whether the value is a secret: encrypted at rest, never returned or logged
 * @param defaultValue        text form of the default, or {@code null}
 * @param environmentVariable hub process environment variable that supplies the value when the
 *                            connection does not set it (e.g. {@code BOOKSY_CLIENT_ID}), or {@code null}
 * @param description         one line for admins
 * @param allowedValues       for {@link ConfigType#ENUM}, the accepted values; empty otherwise
 */
public record ConfigProperty(
        String name,
        ConfigType type,
        boolean required,
        boolean secret,
        String defaultValue,
        String environmentVariable,
        String description,
        List<String> allowedValues) {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.-]{0,63}");

    public ConfigProperty {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
        allowedValues = allowedValues == null ? List.of() : List.copyOf(allowedValues);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid config property name: " + name);
        }
        if (type == ConfigType.ENUM && allowedValues.isEmpty()) {
            throw new IllegalArgumentException("ENUM property " + name + " needs allowed values");
        }
        if (secret && defaultValue != null) {
            throw new IllegalArgumentException("Secret property " + name + " must not have a default");
        }
    }

    public static Builder builder(String name, ConfigType type) {
        return new Builder(name, type);
    }

    /** Fluent construction, so descriptors read like a table. */
    public static final class Builder {
        private final String name;
        private final ConfigType type;
        private boolean required;
        private boolean secret;
        private String defaultValue;
        private String environmentVariable;
        private String description = "";
        private List<String> allowedValues = List.of();

        private Builder(String name, ConfigType type) {
            this.name = name;
            this.type = type;
        }

        public Builder required() {
            this.required = true;
            return this;
        }

        public Builder secret() {
            this.secret = true;
            return this;
        }

        public Builder defaultValue(String value) {
            this.defaultValue = value;
            return this;
        }

        public Builder env(String variable) {
            this.environmentVariable = variable;
            return this;
        }

        public Builder description(String text) {
            this.description = text;
            return this;
        }

        public Builder allowedValues(String... values) {
            this.allowedValues = List.of(values);
            return this;
        }

        public ConfigProperty build() {
            return new ConfigProperty(name, type, required, secret, defaultValue, environmentVariable,
                    description, allowedValues);
        }
    }
}
