package io.bookinghub.hub.connections;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.BuiltPlugins;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How a business's own settings change: PUT replaces them, PATCH (JSON Merge Patch) changes only what it
 * names, and values no one could mean are refused with 422 naming the field instead of failing later.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConnectionSettingsTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final DropwizardAppExtension<HubConfiguration> APP;
    private static final HubApi API;

    static {
        try {
            APP = HubTestApp.extension(DB, BuiltPlugins.copy("booksy-connector", "csv-import-connector"),
                    Files.createTempDirectory("var"), HubTestApp.environment(),
                    ConfigOverride.config("sync.schedulerEnabled", "false"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        API = new HubApi(APP);
    }

    /** The operator's Booksy app, so that connections validate (no call is made in these tests). */
    @BeforeAll
    static void operatorRegistersTheBooksyApp() {
        HubApi.json(API.call("/admin/connectors/booksy/settings", ADMIN_TOKEN).put(Entity.json(Map.of("settings", Map.of(
                "clientId", "hub-app", "clientSecret", "hub-app-secret", "redirectUri",
                "https://hub.example/connectors/booksy/oauth/callback")))), 200);
    }

    @Test
    void patchChangesOnlyWhatItNamesWhilePutReplacesTheBusinessesSettings() {
        String connection = "/admin/businesses/" + API.createBusiness("Patched") + "/connections/booksy";
        JsonNode created = put(connection, Map.of("config", Map.of("businessId", "b-1", "availabilityDays", "3",
                "statusMapping", Map.of("waiting", "BOOKED")), "syncInterval", "PT15M"), 200);
        assertThat(created.get("config").get("availabilityDays").asText()).isEqualTo("3");

        JsonNode patched = patch(connection, Map.of("config", Map.of("availabilityDays", "5")), 200);
        assertThat(patched.get("config").get("availabilityDays").asText()).isEqualTo("5");
        assertThat(patched.get("config").get("statusMapping").asText()).contains("waiting");
        assertThat(patched.get("config").get("businessId").asText()).isEqualTo("b-1");
        assertThat(patched.get("syncInterval").asText()).as("kept when not named").isEqualTo("PT15M");

        Map<String, Object> removeMapping = new HashMap<>();
        removeMapping.put("statusMapping", null);
        Map<String, Object> body = new HashMap<>();
        body.put("config", removeMapping);
        body.put("syncInterval", null);
        JsonNode removed = patch(connection, body, 200);
        assertThat(removed.get("config").has("statusMapping")).isFalse();
        assertThat(removed.get("config").get("availabilityDays").asText()).isEqualTo("5");
        assertThat(removed.get("syncInterval").isNull()).isTrue();

        JsonNode replaced = put(connection, Map.of("config", Map.of("businessId", "b-1")), 200);
        assertThat(replaced.get("config").has("availabilityDays")).as("PUT replaces").isFalse();

        JsonNode refused = patch(connection, Map.of("config", Map.of("apiBaseUrl", "https://x.example")), 403);
        assertThat(refused.get("fields").findValuesAsText("field")).containsExactly("apiBaseUrl");
        JsonNode unknown = patch(connection, Map.of("settings", Map.of(), "config", "x"), 422);
        assertThat(unknown.get("fields").findValuesAsText("field")).containsExactlyInAnyOrder("settings", "config");
    }

    @Test
    void absurdValuesAreRefusedNamingTheField() {
        UUID business = API.createBusiness("Absurd");
        String booksy = "/admin/businesses/" + business + "/connections/booksy";
        for (String interval : new String[] {"PT99999999999999H", "P1000000000D", "PT30S"}) {
            JsonNode error = put(booksy, Map.of("config", Map.of("businessId", "b-1"), "syncInterval", interval), 422);
            assertThat(error.get("fields").findValuesAsText("field")).as(interval).containsExactly("syncInterval");
        }
        // A connector that cannot sync has no schedule to set.
        JsonNode noSync = put("/admin/businesses/" + business + "/connections/csv-import",
                Map.of("config", Map.of(), "syncInterval", "PT1H"), 422);
        assertThat(noSync.get("fields").findValuesAsText("field")).containsExactly("syncInterval");
        assertThat(noSync.get("message").asText()).contains("cannot sync");

        for (Map.Entry<String, String> setting : Map.of("webhookTolerance", "PT100000000H", "rateLimitPerSecond",
                "1e-300", "apiKeyHeader", "X-Key\r\nX-Injected: 1").entrySet()) {
            JsonNode error = HubApi.json(API.call("/admin/connectors/booksy/settings", ADMIN_TOKEN).put(Entity.json(Map.of(
                    "settings", Map.of(setting.getKey(), setting.getValue())))), 422);
            assertThat(error.get("message").asText()).as(setting.getKey()).contains(setting.getKey());
        }
    }

    @Test
    void aConnectionSealedWithAKeyThisHubLacksSaysWhichKey() {
        UUID business = API.createBusiness("Other Key");
        String connection = "/admin/businesses/" + business + "/connections/booksy";
        put(connection, Map.of("config", Map.of("businessId", "b-1", "apiKey", "the-salons-own-key")), 200);
        // As if sealed by a hub with another key ring.
        DB.jdbi().useHandle(h -> h.createUpdate("UPDATE connections SET secret_key_id = 'k0123456789ab' "
                + "WHERE business_id = :b").bind("b", business).execute());
        JsonNode error = HubApi.json(API.call(connection, ADMIN_TOKEN).get(), 500);
        assertThat(error.get("message").asText()).contains("encryption key 'k0123456789ab' is not configured")
                .doesNotContain("the-salons-own-key");
    }

    private static JsonNode put(String path, Map<String, Object> body, int status) {
        return HubApi.json(API.call(path, ADMIN_TOKEN).put(Entity.json(body)), status);
    }

    private static JsonNode patch(String path, Map<String, Object> body, int status) {
        // The JAX-RS client's HttpURLConnection cannot send PATCH; the JDK client can.
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    API.target(path).getUri()).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(
                            Jackson.newObjectMapper().writeValueAsBytes(body)))
                    .header("Content-Type", "application/merge-patch+json")
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
            return Jackson.newObjectMapper().readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
