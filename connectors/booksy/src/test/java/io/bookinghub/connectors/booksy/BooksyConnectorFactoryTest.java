package io.bookinghub.connectors.booksy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.testkit.TestContext;
import io.bookinghub.toolkit.config.ConfigValidator;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BooksyConnectorFactoryTest {
    private final BooksyConnectorFactory factory = new BooksyConnectorFactory();

    @Test
    void descriptorDeclaresIdCapabilitiesAndIsStable() {
        assertThat(factory.descriptor().id()).isEqualTo("booksy");
        assertThat(factory.descriptor().capabilities()).containsExactlyInAnyOrder(Capability.OAUTH_CONNECT,
                Capability.API_KEY_AUTH, Capability.FULL_SYNC, Capability.INCREMENTAL_SYNC, Capability.AVAILABILITY,
                Capability.WEBHOOKS, Capability.WRITE_BACK);
        assertThat(factory.descriptor()).isEqualTo(new BooksyConnectorFactory().descriptor());
    }

    @Test
    void configDefaultsAndEnvironmentVariablesFollowTheContract() {
        Map<String, ConfigProperty> props = factory.descriptor().configProperties().stream()
                .collect(Collectors.toMap(ConfigProperty::name, p -> p));
        assertThat(props.get("apiBaseUrl").defaultValue()).isEqualTo("https://api.booksy.com");
        assertThat(props.get("apiBaseUrl").environmentVariable()).isEqualTo("BOOKSY_API_BASE_URL");
        assertThat(props.get("authMode").allowedValues()).containsExactly("oauth", "api-key");
        assertThat(props.get("clientSecret").secret()).isTrue();
        assertThat(props.get("apiKey").secret()).isTrue();
        assertThat(props.get("webhookSecret").secret()).isTrue();
        assertThat(props.get("webhookSecretPrevious").secret()).isTrue();
        assertThat(props.get("businessId").required()).as("taken from the grant when empty").isFalse();
        assertThat(props.get("tokenUrl").defaultValue()).isEqualTo("/oauth/token");
        assertThat(props.get("appointmentsPath").defaultValue()).isEqualTo("/api/v1/appointments");
        assertThat(props.get("appointmentPath").defaultValue()).isEqualTo("/api/v1/appointments/{id}");
        assertThat(props.get("webhookScheme").defaultValue()).isEqualTo("standard-webhooks");
        assertThat(props.get("webhookSecret").environmentVariable()).isEqualTo("BOOKSY_WEBHOOK_SECRET");
        assertThat(props.get("rateLimitBurst").defaultValue()).isEqualTo("50");
        assertThat(props.get("backoffBase").defaultValue()).isEqualTo("PT0.5S");

        ConnectorConfig config = ConfigValidator.validate(factory.descriptor().configProperties(),
                Map.of(), env -> Map.of("BOOKSY_CLIENT_ID", "cid",
                        "BOOKSY_CLIENT_SECRET", "sec", "BOOKSY_REDIRECT_URI", "https://hub/cb").get(env));
        BooksyConfig booksy = BooksyConfig.from(config);
        assertThat(booksy.businessId()).isEmpty();
        assertThat(booksy.clientId()).isEqualTo("cid");
        assertThat(booksy.endpointUrl(BooksyConfig.TOKEN_URL)).isEqualTo("https://api.booksy.com/oauth/token");
        assertThat(booksy.authMode()).isEqualTo(BooksyConfig.AuthMode.OAUTH);
        assertThat(booksy.pageSize()).isEqualTo(100);
        assertThat(booksy.rateLimitPerSecond()).isEqualTo(10.0);
        assertThat(booksy.url("/oauth/token")).isEqualTo("https://api.booksy.com/oauth/token");
        assertThat(booksy.statusMapping()).containsEntry("no_show", "NO_SHOW");
    }

    @Test
    void whatDecidesWhereRequestsGoIsTheOperatorsAndTheBusinessOwnsOnlyItsAccountAndFilters() {
        Map<String, ConfigProperty> props = factory.descriptor().configProperties().stream()
                .collect(Collectors.toMap(ConfigProperty::name, p -> p));
        assertThat(props.values().stream().filter(p -> !p.isIntegration()).map(ConfigProperty::name))
                .containsExactlyInAnyOrder("apiKey", "businessId", "locationId", "availabilityDays", "statusMapping");
        assertThat(props.values().stream().filter(ConfigProperty::endpoint).map(ConfigProperty::name))
                .contains("apiBaseUrl", "clientId", "authorizationUrl", "tokenUrl", "revocationUrl", "businessesPath",
                        "appointmentPath")
                .doesNotContain("redirectUri", "clientSecret");
        assertThat(props.values().stream().filter(p -> p.environmentVariable() != null))
                .allMatch(ConfigProperty::isIntegration);
    }

    @Test
    void oauthEndpointsMayLiveOnAnotherHostAndClientAuthenticationIsConfigurable() {
        Map<String, Object> values = BooksyContexts.oauthValues("https://api.example.test");
        values.put("tokenUrl", "https://auth.example.test/token");
        values.put("clientAuthentication", "client_secret_post");
        BooksyConfig booksy = BooksyConfig.from(BooksyContexts.of(values).config());
        assertThat(booksy.endpointUrl(BooksyConfig.TOKEN_URL)).isEqualTo("https://auth.example.test/token");
        assertThat(booksy.endpointUrl(BooksyConfig.AUTHORIZATION_URL))
                .isEqualTo("https://api.example.test/oauth/authorize");
        assertThat(booksy.clientSecretPost()).isTrue();
        values.put("revocationUrl", "ftp://auth.example.test/revoke");
        assertThatThrownBy(() -> BooksyConfig.from(BooksyContexts.of(values).config()))
                .hasMessageContaining("revocationUrl");
    }

    @Test
    void oauthModeRequiresClientCredentialsAndRedirect() {
        Map<String, Object> values = BooksyContexts.oauthValues("http://localhost:1");
        values.remove("clientSecret");
        assertThatThrownBy(() -> factory.create(BooksyContexts.of(values)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("clientSecret");
        values.put("clientSecret", "x");
        values.remove("redirectUri");
        assertThatThrownBy(() -> factory.create(BooksyContexts.of(values))).hasMessageContaining("redirectUri");
    }

    @Test
    void apiKeyModeRequiresApiKeyButNotOauthFields() {
        Map<String, Object> values = BooksyContexts.apiKeyValues("http://localhost:1");
        values.remove("apiKey");
        assertThatThrownBy(() -> factory.create(BooksyContexts.of(values)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("apiKey");
        try (var connector = factory.create(BooksyContexts.of(BooksyContexts.apiKeyValues("http://localhost:1")))) {
            assertThatThrownBy(connector::oauth).isInstanceOfSatisfying(ConnectorException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT));
        }
    }

    @Test
    void statusMappingOverrideIsValidated() {
        Map<String, Object> values = BooksyContexts.oauthValues("http://localhost:1");
        values.put("statusMapping", "{\"waiting\":\"BOOKED\",\"cancelled\":\"cancelled_by_client\"}");
        BooksyConfig config = BooksyConfig.from(BooksyContexts.of(values).config());
        assertThat(config.statusMapping()).containsEntry("waiting", "BOOKED")
                .containsEntry("cancelled", "CANCELLED_BY_CLIENT").containsEntry("confirmed", "CONFIRMED");

        values.put("statusMapping", "{\"waiting\":\"LATE\"}");
        assertThatThrownBy(() -> BooksyConfig.from(BooksyContexts.of(values).config()))
                .hasMessageContaining("statusMapping");
        values.put("statusMapping", "[1,2");
        assertThatThrownBy(() -> BooksyConfig.from(BooksyContexts.of(values).config()))
                .hasMessageContaining("statusMapping");
    }

    @Test
    void appointmentPathMustBeAbsoluteAndHoldTheIdPlaceholder() {
        Map<String, Object> values = BooksyContexts.oauthValues("http://localhost:1");
        values.put("appointmentPath", "/api/v1/appointments");
        assertThatThrownBy(() -> BooksyConfig.from(BooksyContexts.of(values).config()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("appointmentPath");
        values.put("appointmentPath", "api/v1/appointments/{id}");
        assertThatThrownBy(() -> BooksyConfig.from(BooksyContexts.of(values).config()))
                .hasMessageContaining("appointmentPath");
        values.put("appointmentPath", "/api/v1/appointments?id={id}");
        assertThat(BooksyConfig.from(BooksyContexts.of(values).config()).appointmentPathPattern())
                .isEqualTo("/api/v1/appointments?id={id}");
    }

    @Test
    void configToStringNeverShowsSecrets() {
        TestContext ctx = BooksyContexts.of(BooksyContexts.oauthValues("http://localhost:1"));
        assertThat(ctx.config().toString()).doesNotContain(BooksyContexts.CLIENT_SECRET);
        try (var connector = factory.create(ctx)) {
            assertThat(connector.toString()).doesNotContain(BooksyContexts.CLIENT_SECRET);
        }
    }
}
