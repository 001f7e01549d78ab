package io.bookinghub.hub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundConfigTest {
    private static final ObjectMapper JSON = Jackson.newObjectMapper();
    private static final Validator VALIDATOR = Validators.newValidator();

    private static List<String> violations(String json) throws Exception {
        return VALIDATOR.validate(JSON.readValue(json, OutboundConfig.class)).stream()
                .map(ConstraintViolation::getMessage).toList();
    }

    @Test
    void defaultsAreValidAndAllowNothing() throws Exception {
        OutboundConfig config = new OutboundConfig();
        assertThat(VALIDATOR.validate(config)).isEmpty();
        assertThat(config.allowRules()).isEmpty();
        assertThat(config.getMaxResponseBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(violations("{\"allow\": \"\"}")).isEmpty();
    }

    @Test
    void aCommaSeparatedAllowListIsParsed() throws Exception {
        OutboundConfig config = JSON.readValue("{\"allow\": \" 127.0.0.1:*, *.example.test:443 ,\"}",
                OutboundConfig.class);
        assertThat(config.allowRules()).extracting(AllowRule::toString)
                .containsExactly("127.0.0.1:*", "*.example.test:443");
        config.allowAlso("localhost:8099");
        assertThat(config.allowRules()).hasSize(3);
    }

    @Test
    void badValuesNameTheField() throws Exception {
        assertThat(violations("{\"allow\": \"localhost\"}")).singleElement().asString()
                .startsWith("outbound.allow must be");
        assertThat(violations("{\"maxConnectTimeout\": \"PT0S\"}")).singleElement().asString()
                .startsWith("outbound.maxConnectTimeout");
        assertThat(violations("{\"maxRequestTimeout\": \"PT11M\"}")).singleElement().asString()
                .startsWith("outbound.maxRequestTimeout");
        assertThat(violations("{\"maxResponseBytes\": 0}")).hasSize(1);
    }
}
