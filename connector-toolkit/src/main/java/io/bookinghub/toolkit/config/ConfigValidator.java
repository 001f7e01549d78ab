package io.bookinghub.toolkit.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.ConfigType;
import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConfigValidationException.FieldError;
import io.bookinghub.spi.ConnectorConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Validates submitted configuration against a connector's {@link ConfigProperty} metadata and makes the
 * {@link ConnectorConfig} a connector receives. The hub runs it on every save and start; the connector test kit
 * runs it so that a connector is tested with configuration the hub would accept.
 *
 * <p>Rules, per property: a submitted value wins, else the {@linkplain ConfigProperty#environmentVariable()
 * environment variable}, else the default; a required property with none of these is an error; a value is
 * checked against its {@link ConfigType} (a {@code JSON} value must parse as one JSON object or array, nothing
 * after it) and kept in canonical text form (booleans lower case, JSON as given or, for a map or list passed
 * directly, serialised). Names the metadata does not declare are errors too. Every error names its field and
 * describes the expected shape only: a secret value is never echoed back.
 */
public final class ConfigValidator {

    // Strict: a second value after the first would mean the text is not the one document it claims to be.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ConfigValidator() {
    }

    /**
     * @param metadata    the connector's declared properties
     * @param submitted   submitted values (strings, numbers, booleans; JSON as text, or as maps and lists); null
     *                    for none
     * @param environment looks up environment variables named by {@link ConfigProperty#environmentVariable()};
     *                    {@code name -> null} for none
     * @throws ConfigValidationException naming every rejected field
     */
    public static ConnectorConfig validate(List<ConfigProperty> metadata, Map<String, ?> submitted,
            Function<String, String> environment) {
        requireNonNull(metadata, "metadata is null");
        requireNonNull(environment, "environment is null");
        Map<String, ?> input = submitted == null ? Map.of() : submitted;
        Map<String, ConfigProperty> byName = new LinkedHashMap<>();
        metadata.forEach(p -> byName.put(p.name(), p));

        List<FieldError> errors = new ArrayList<>();
        for (String key : input.keySet()) {
            if (!byName.containsKey(key)) {
                errors.add(new FieldError(key, "unknown property"));
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
            String text = raw == null ? null : text(property, raw);
            if (text == null || text.isBlank()) {
                if (property.required()) {
                    errors.add(new FieldError(property.name(), "is required"
                            + (property.environmentVariable() == null ? ""
                                    : " (set it on the connection or in " + property.environmentVariable() + ")")));
                }
                continue;
            }
            String problem = check(property, text.trim());
            if (problem != null) {
                errors.add(new FieldError(property.name(), problem));
            } else {
                values.put(property.name(), canonical(property, text.trim()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
        return ConnectorConfig.of(metadata, values);
    }

    private static String text(ConfigProperty property, Object raw) {
        if (property.type() == ConfigType.JSON && (raw instanceof Map || raw instanceof Collection)) {
            try {
                return JSON.writeValueAsString(raw);
            } catch (JsonProcessingException e) {
                return "";
            }
        }
        return raw.toString();
    }

    // Messages describe the expected shape only: a secret value must never be echoed back.
    private static String check(ConfigProperty property, String text) {
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
                return isHttpUrl(text) ? null : "must be an absolute http(s) URL";
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
                return jsonProblem(text);
            case STRING:
            default:
                return null;
        }
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Why the text is not one JSON object or array, by position only (the text may be sensitive). */
    private static String jsonProblem(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return "is not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }
        return node.isObject() || node.isArray() ? null : "must be a JSON object or array";
    }

    private static String canonical(ConfigProperty property, String text) {
        return property.type() == ConfigType.BOOLEAN ? text.toLowerCase(Locale.ROOT) : text;
    }
}
