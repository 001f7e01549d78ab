package io.bookinghub.hub.connections;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.hub.testing.TestPlugins;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A connection waiting for re-authorization is reported on that connection and in the status gauges on the
 * admin port's {@code /metrics}; the hub's {@code /healthcheck} stays healthy.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConnectionsHealthTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final Path PLUGINS;
    private static final Path VAR;

    static {
        try {
            PLUGINS = Files.createTempDirectory("plugins");
            VAR = Files.createTempDirectory("var");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestPlugins.buildZip(PLUGINS, "echo", "com.example.echo",
                TestPlugins.connectorSource("com.example.echo", "echo", TestPlugins.standardDescriptor("echo")));
    }

    static final DropwizardAppExtension<HubConfiguration> APP = HubTestApp.extension(DB, PLUGINS, VAR,
            HubTestApp.environment());
    private static final HubApi API = new HubApi(APP);

    @Test
    void aConnectionNeedingReauthorizationShowsInItsStatusAndTheGaugesNotInTheHubsHealth() {
        UUID business = API.createBusiness("Salon Revoked");
        String path = "/admin/businesses/" + business + "/connections/echo";
        assertThat(API.call(path, ADMIN_TOKEN).put(Entity.json(Map.of("config", Map.of("greeting", "hello"))))
                .getStatus()).isEqualTo(200);
        assertThat(statusGauges()).containsEntry("ACTIVE", 1L).containsEntry("NEEDS_REAUTHORIZATION", 0L);

        // As the sync service records a provider's invalid_grant.
        DB.jdbi().useHandle(h -> h.createUpdate("UPDATE connections SET status = 'NEEDS_REAUTHORIZATION', "
                + "status_reason = 'grant revoked at the provider' WHERE business_id = :b").bind("b", business)
                .execute());

        JsonNode connection = HubApi.json(API.call(path, ADMIN_TOKEN).get());
        assertThat(connection.get("status").asText()).isEqualTo("NEEDS_REAUTHORIZATION");
        assertThat(connection.get("statusReason").asText()).isEqualTo("grant revoked at the provider");

        Response health = API.adminTarget("/healthcheck").request().get();
        JsonNode checks = HubApi.json(health);
        assertThat(health.getStatus()).as(checks.toString()).isEqualTo(200);
        assertThat(checks.get("connections").get("healthy").asBoolean()).isTrue();
        assertThat(checks.get("connections").get("message").asText()).contains("NEEDS_REAUTHORIZATION=1");

        assertThat(statusGauges()).containsEntry("ACTIVE", 0L).containsEntry("NEEDS_REAUTHORIZATION", 1L)
                .containsKeys(Arrays.stream(ConnectionStatus.values()).map(Enum::name)
                        .toArray(String[]::new));
    }

    /** {@code connections.status.*} gauges from the admin port's {@code /metrics}, by status. */
    private static Map<String, Long> statusGauges() {
        JsonNode gauges = HubApi.json(API.adminTarget("/metrics").request().get()).get("gauges");
        Map<String, Long> out = new TreeMap<>();
        gauges.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith(ConnectionStatusGauges.PREFIX)) {
                out.put(e.getKey().substring(ConnectionStatusGauges.PREFIX.length()), e.getValue().get("value").asLong());
            }
        });
        return out;
    }
}
