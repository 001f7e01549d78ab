package io.bookinghub.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Metadata for one property of a connector's configuration. The hub validates submitted
 * configuration against these, masks {@link #secret()} values in every response and stores them
 * encrypted, and fills in {@link #environmentVariable()} and {@link #defaultValue()} for absent values.
 *
 * <p>Every property has a {@link Scope}. {@link Scope#INTEGRATION} properties belong to the operator
 * (hub-admin): how the hub talks to the provider — URLs, paths, client credentials, limits, timeouts,
 * debug. They are set once per hub (config.yml, environment, or the integration settings route) and a
 * tenant can never set them. {@link Scope#CONNECTION} properties belong to the tenant's connection
 * (which provider account, location filter, status mapping). The builder's default is INTEGRATION, so a
 * property nobody thought about stays with the operator.
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
 * @param scope               who sets the value: the operator once per hub, or each connection
 * @param endpoint            the value decides where the hub sends requests and secrets, or to whom tokens
 *                            were issued (base URL, token URL, paths, client id): changing it discards
 *                            stored tokens, a connection that overrides it inherits no integration secret,
 *                            and an absolute URL in it must pass the hub's outbound policy when saved.
 *                            Not for URLs the hub never calls (an OAuth redirect URI).
 */
public record ConfigProperty(
        String name,
        ConfigType type,
        boolean required,
        boolean secret,
        String defaultValue,
        String environmentVariable,
        String description,
        List<String> allowedValues,
        Scope scope,
        boolean endpoint) {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.-]{0,63}");

    /** Who owns a property's value. */
    public enum Scope {
        /** The operator's, once per hub: the provider app registration and how to talk to the provider. */
        INTEGRATION,
        /** The tenant's, per connection. */
        CONNECTION
    }

    public ConfigProperty {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
        requireNonNull(scope, "scope is null");
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
        // The hub's environment is the operator's: it must never fill a value a tenant owns.
        if (scope == Scope.CONNECTION && environmentVariable != null) {
            throw new IllegalArgumentException("Connection property " + name + " cannot read an environment variable");
        }
        if (scope == Scope.CONNECTION && (endpoint || type == ConfigType.URL)) {
            // A tenant choosing where the hub connects is how secrets leave and the hub's own network is probed.
            throw new IllegalArgumentException("Property " + name + " decides where the hub sends requests; "
                    + "it must be an integration property");
        }
    }

    public boolean isIntegration() {
        return scope == Scope.INTEGRATION;
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
        private Scope scope = Scope.INTEGRATION;
        private boolean endpoint;

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

        /** Makes the property the tenant's, set per connection (the default is the operator's integration). */
        public Builder perConnection() {
            this.scope = Scope.CONNECTION;
            return this;
        }

        /** Marks the property as deciding where requests and secrets go (see {@link ConfigProperty#endpoint()}). */
        public Builder endpoint() {
            this.endpoint = true;
            return this;
        }

        public Builder allowedValues(String... values) {
            this.allowedValues = List.of(values);
            return this;
        }

        public ConfigProperty build() {
            return new ConfigProperty(name, type, required, secret, defaultValue, environmentVariable,
                    description, allowedValues, scope, endpoint);
        }
    }
}
