package io.bookinghub.hub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * A hub with no outbound allow-list, and a tenant's Booksy connection pointed at a server on the hub's own
 * loopback: the sync fails with the policy's refusal, and the server never sees a request.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OutboundRefusalEndToEndTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final DropwizardAppExtension<HubConfiguration> APP;
    private static final HubApi API;

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()
            .bindAddress("127.0.0.1")).build();

    static {
        try {
            APP = HubTestApp.extension(DB, BuiltPlugins.copy("booksy-connector"), Files.createTempDirectory("var"),
                    HubTestApp.environment(), ConfigOverride.config("sync.schedulerEnabled", "false"),
                    // test-config.yml allow-lists loopback for the other tests; production's default is empty.
                    ConfigOverride.config("outbound.allow", ""));
            API = new HubApi(APP);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aConnectionPointedAtLoopbackIsRefusedAndNothingIsSent() {
        wm.stubFor(get(anyUrl()).willReturn(okJson("{\"data\":[]}")));
        UUID business = API.createBusiness("Refused Studio");
        String connection = "/admin/businesses/" + business + "/connections/booksy";
        Map<String, Object> config = Map.of(
                "apiBaseUrl", "http://localhost:" + wm.getPort(),
                "authMode", "api-key",
                "apiKey", "ak-outbound-refusal-test",
                "businessId", "b-1001");
        Response put = API.call(connection, ADMIN_TOKEN).put(Entity.json(Map.of("config", config)));
        assertThat(put.getStatus()).as(put.readEntity(String.class)).isEqualTo(200);

        Response sync = API.call(connection + "/sync?wait=true", ADMIN_TOKEN)
                .post(Entity.json(Map.of("mode", "FULL")));
        JsonNode run = HubApi.json(sync);
        assertThat(sync.getStatus()).as(run.toString()).isEqualTo(200);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("FAILED");
        assertThat(run.get("errorCode").asText()).isEqualTo("INVALID_INPUT");
        assertThat(run.get("errorMessage").asText())
                .contains("Outbound call to localhost:" + wm.getPort() + " refused: only https is allowed")
                .contains("HUB_OUTBOUND_ALLOW");

        // The refused attempt is in the connection's api-call audit, with the reason.
        JsonNode calls = HubApi.json(API.call(connection + "/api-calls", ADMIN_TOKEN).get());
        assertThat(calls.toString()).contains("refused: only https is allowed");
        wm.verify(0, anyRequestedFor(anyUrl()));
    }
}
