package io.bookinghub.hub.integrations;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.toolkit.config.ConfigValidator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A connection's configuration as the connector gets it: each property's value from the most specific
 * source allowed for its scope, validated, with the origin of every value.
 *
 * <ul>
 *   <li>A connection-scope property comes from the connection, else its default.</li>
 *   <li>An integration property comes from a hub-admin's override on the connection, else the operator's
 *       settings, config.yml, the environment, its default.</li>
 *   <li>When a connection overrides any endpoint property (where requests go), integration secrets are no
 *       longer inherited: the operator's client secret is never sent to an endpoint the operator did not
 *       choose. Such a connection must carry its own secrets in its overrides.</li>
 * </ul>
 *
 * @param config  the validated configuration
 * @param origins where each set value came from
 */
public record EffectiveConfig(ConnectorConfig config, Map<String, Origin> origins) {
    public EffectiveConfig {
        requireNonNull(config, "config is null");
        origins = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(origins, "origins is null")));
    }

    /**
     * Resolves and validates.
     *
     * @param connection the connection's stored values: its own properties and any overrides
     * @throws io.bookinghub.spi.ConfigValidationException naming every bad field
     */
    public static EffectiveConfig resolve(ConnectorDescriptor descriptor, Map<String, ?> connection,
            IntegrationLayers layers) {
        boolean endpointOverridden = descriptor.configProperties().stream()
                .anyMatch(p -> p.isIntegration() && p.endpoint() && present(connection.get(p.name())));
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Origin> origins = new LinkedHashMap<>();
        // Names the connector does not declare go through, so that validation reports each as unknown.
        Map<String, ConfigProperty> declared = descriptor.propertiesByName();
        connection.forEach((name, value) -> {
            if (!declared.containsKey(name)) {
                values.put(name, value);
            }
        });
        for (ConfigProperty property : descriptor.configProperties()) {
            Object own = connection.get(property.name());
            if (present(own)) {
                values.put(property.name(), own);
                origins.put(property.name(), property.isIntegration() ? Origin.OVERRIDE : Origin.CONNECTION);
                continue;
            }
            if (!property.isIntegration() || property.secret() && endpointOverridden) {
                continue;
            }
            Optional<IntegrationLayers.Sourced> operator = layers.lookup(property);
            if (operator.isPresent()) {
                values.put(property.name(), operator.get().value());
                origins.put(property.name(), operator.get().origin());
            }
        }
        for (ConfigProperty property : descriptor.configProperties()) {
            if (!values.containsKey(property.name()) && property.defaultValue() != null) {
                origins.put(property.name(), Origin.DEFAULT);
            }
        }
        // The environment was consulted above, for integration properties only; validate() must not again.
        ConnectorConfig config = ConfigValidator.validate(descriptor.configProperties(), values, name -> null);
        origins.keySet().retainAll(config.values().keySet());
        return new EffectiveConfig(config, origins);
    }

    private static boolean present(Object value) {
        return value != null && !value.toString().isBlank();
    }

    /**
     * Fingerprint of the endpoint values (where tokens are sent, and to which client they were issued).
     * Credentials stored under one fingerprint are not used under another.
     */
    public String credentialBinding(ConnectorDescriptor descriptor) {
        StringBuilder text = new StringBuilder();
        for (ConfigProperty property : descriptor.configProperties()) {
            if (property.endpoint()) {
                String value = config.values().getOrDefault(property.name(), "");
                text.append(property.name().length()).append(':').append(property.name())
                        .append(value.length()).append(':').append(value);
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Each property's display value (secrets as "set") with its origin, for hub-admins. */
    public Map<String, SettingView> views(ConnectorDescriptor descriptor) {
        Map<String, SettingView> out = new LinkedHashMap<>();
        for (ConfigProperty property : descriptor.configProperties()) {
            out.put(property.name(), SettingView.of(property, config.values().get(property.name()),
                    origins.get(property.name())));
        }
        return out;
    }
}
