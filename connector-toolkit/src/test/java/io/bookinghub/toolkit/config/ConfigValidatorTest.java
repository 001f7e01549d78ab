package io.bookinghub.toolkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.ConfigType;
import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConfigValidationException.FieldError;
import io.bookinghub.spi.ConnectorConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValidatorTest {

    private static final ConfigProperty MAPPING = ConfigProperty.builder("mapping", ConfigType.JSON).perConnection()
            .build();
    private static final ConfigProperty SECRET = ConfigProperty.builder("apiKey", ConfigType.JSON).secret().build();

    private static List<FieldError> errors(List<ConfigProperty> metadata, Map<String, ?> submitted) {
        try {
            ConfigValidator.validate(metadata, submitted, name -> null);
        } catch (ConfigValidationException e) {
            return e.errors();
        }
        throw new AssertionError("accepted " + submitted);
    }

    @Test
    void jsonPropertiesMustBeOneObjectOrArray() {
        assertThat(ConfigValidator.validate(List.of(MAPPING), Map.of("mapping", " {\"a\": [1, 2]} "), n -> null)
                .string("mapping")).isEqualTo("{\"a\": [1, 2]}");
        assertThat(ConfigValidator.validate(List.of(MAPPING), Map.of("mapping", "[]"), n -> null).string("mapping"))
                .isEqualTo("[]");

        assertThat(errors(List.of(MAPPING), Map.of("mapping", "{\"a\": 1"))).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("mapping");
            assertThat(e.message()).startsWith("is not valid JSON (line 1, column");
        });
        assertThat(errors(List.of(MAPPING), Map.of("mapping", "{\"a\": 1} {\"b\": 2}")))
                .extracting(FieldError::message).singleElement().asString().startsWith("is not valid JSON");
        assertThat(errors(List.of(MAPPING), Map.of("mapping", "42")))
                .containsExactly(new FieldError("mapping", "must be a JSON object or array"));
        assertThat(errors(List.of(MAPPING), Map.of("mapping", "'single': 'quotes'")))
                .extracting(FieldError::field).containsExactly("mapping");
    }

    @Test
    void aMapOrListGivenDirectlyIsKeptAsJsonText() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("status", Map.of("done", "COMPLETED"));
        ConnectorConfig config = ConfigValidator.validate(List.of(MAPPING), Map.of("mapping", nested), n -> null);
        assertThat(config.string("mapping")).isEqualTo("{\"status\":{\"done\":\"COMPLETED\"}}");
    }

    @Test
    void invalidJsonNeverEchoesTheValue() {
        String secret = "{\"token\": \"s3cr3t-value\"";
        assertThatThrownBy(() -> ConfigValidator.validate(List.of(SECRET), Map.of("apiKey", secret), n -> null))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageStartingWith("apiKey: is not valid JSON")
                .message().doesNotContain("s3cr3t");
    }

    @Test
    void namesEveryBadFieldUnknownOnesMissingOnesAndWrongTypes() {
        List<ConfigProperty> metadata = List.of(
                ConfigProperty.builder("pageSize", ConfigType.INTEGER).build(),
                ConfigProperty.builder("baseUrl", ConfigType.URL).required().env("ACME_URL").build(),
                ConfigProperty.builder("debug", ConfigType.BOOLEAN).build());
        assertThat(errors(metadata, Map.of("pageSize", "ten", "colour", "red", "debug", "yes")))
                .containsExactlyInAnyOrder(
                        new FieldError("colour", "unknown property"),
                        new FieldError("pageSize", "must be an integer"),
                        new FieldError("baseUrl", "is required (set it on the connection or in ACME_URL)"),
                        new FieldError("debug", "must be true or false"));
    }

    @Test
    void environmentThenDefaultFillAbsentValuesAndBooleansAreCanonical() {
        List<ConfigProperty> metadata = List.of(
                ConfigProperty.builder("baseUrl", ConfigType.URL).env("ACME_URL").build(),
                ConfigProperty.builder("timeout", ConfigType.DURATION).defaultValue("PT10S").build(),
                ConfigProperty.builder("debug", ConfigType.BOOLEAN).build());
        ConnectorConfig config = ConfigValidator.validate(metadata, Map.of("debug", "TRUE"),
                name -> name.equals("ACME_URL") ? "https://api.acme.test" : null);
        assertThat(config.values()).containsExactly(Map.entry("baseUrl", "https://api.acme.test"),
                Map.entry("timeout", "PT10S"), Map.entry("debug", "true"));
    }
}
