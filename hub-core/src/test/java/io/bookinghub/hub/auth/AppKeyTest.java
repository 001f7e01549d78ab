package io.bookinghub.hub.auth;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** App keys: bound to businesses and scopes, usable on {@code /v1} only. Real HTTP, real PostgreSQL. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AppKeyTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final DropwizardAppExtension<HubConfiguration> APP;

    static {
        try {
            APP = HubTestApp.extension(DB, Files.createTempDirectory("plugins"), Files.createTempDirectory("var"),
                    HubTestApp.environment());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final HubApi API = new HubApi(APP);

    @Test
    void anAppKeyReadsOnlyItsBusinessesOnV1AndNeverTheAdminRoutes() {
        UUID first = API.createBusiness("First");
        UUID second = API.createBusiness("Second");
        UUID other = API.createBusiness("Other");
        String key = API.appKey(List.of(first, second), List.of("read"));

        for (UUID bound : List.of(first, second)) {
            assertThat(HubApi.json(API.call("/v1/businesses/" + bound, key).get(), 200).get("id").asText())
                    .isEqualTo(bound.toString());
        }
        // Another tenant's business looks exactly like one that does not exist.
        JsonNode foreign = HubApi.json(API.call("/v1/businesses/" + other, key).get(), 404);
        assertThat(foreign.get("message").asText()).isEqualTo("No business " + other);
        // App keys are not admin keys, even for their own business.
        assertThat(API.call("/admin/businesses/" + first, key).get().getStatus()).isEqualTo(403);
        assertThat(API.call("/admin/businesses", key).get().getStatus()).isEqualTo(403);
        assertThat(API.call("/admin/api-keys", key).get().getStatus()).isEqualTo(403);
        // Admin keys reach /v1 for what their role covers.
        assertThat(API.call("/v1/businesses/" + other, ADMIN_TOKEN).get().getStatus()).isEqualTo(200);
        String owner = API.businessAdminKey(first);
        assertThat(API.call("/v1/businesses/" + first, owner).get().getStatus()).isEqualTo(200);
        assertThat(API.call("/v1/businesses/" + second, owner).get().getStatus()).isEqualTo(404);
    }

    @Test
    void aKeyWithoutTheReadScopeIsRefusedNamingIt() {
        UUID business = API.createBusiness("Writer only");
        String key = API.appKey(List.of(business), List.of("write"));
        JsonNode body = HubApi.json(API.call("/v1/businesses/" + business, key).get(), 403);
        assertThat(body.get("error").asText()).isEqualTo("FORBIDDEN");
        assertThat(body.get("message").asText()).contains("'read' scope");
    }

    @Test
    void theKeyListingShowsAnAppKeysBusinessesAndScopesAndItsTokenOnlyOnce() {
        UUID business = API.createBusiness("Listed");
        Response r = API.call("/admin/api-keys", ADMIN_TOKEN).post(Entity.json(Map.of("name", "website",
                "role", "app", "businessIds", List.of(business.toString()), "scopes", List.of("write", "read"))));
        JsonNode issued = HubApi.json(r, 201);
        assertThat(issued.get("scopes").toString()).isEqualTo("[\"read\",\"write\"]");
        String id = issued.get("id").asText();
        JsonNode listed = null;
        for (JsonNode row : HubApi.json(API.call("/admin/api-keys", ADMIN_TOKEN).get(), 200)) {
            if (row.get("id").asText().equals(id)) {
                listed = row;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("role").asText()).isEqualTo("app");
        assertThat(listed.get("businessIds").toString()).isEqualTo("[\"" + business + "\"]");
        assertThat(listed.get("scopes").toString()).isEqualTo("[\"read\",\"write\"]");
        assertThat(listed.has("token")).isFalse();
        // Revoked means refused, as for admin keys.
        String token = issued.get("token").asText();
        assertThat(API.call("/v1/businesses/" + business, token).get().getStatus()).isEqualTo(200);
        API.call("/admin/api-keys/" + id, ADMIN_TOKEN).delete();
        assertThat(API.call("/v1/businesses/" + business, token).get().getStatus()).isEqualTo(401);
    }

    @Test
    void anAppKeyRequestListsEveryBadField() {
        Response r = API.call("/admin/api-keys", ADMIN_TOKEN).post(Entity.json(Map.of("name", "bad", "role", "app",
                "scopes", List.of("admin"))));
        String body = HubApi.json(r, 422).toString();
        assertThat(body).contains("businessIds").contains("scopes");
        Response unknown = API.call("/admin/api-keys", ADMIN_TOKEN).post(Entity.json(Map.of("name", "bad",
                "role", "app", "businessIds", List.of(UUID.randomUUID().toString()), "scopes", List.of("read"))));
        assertThat(unknown.getStatus()).isEqualTo(404);
        Response adminWithScopes = API.call("/admin/api-keys", ADMIN_TOKEN).post(Entity.json(Map.of("name", "bad",
                "role", "hub-admin", "scopes", List.of("read"))));
        assertThat(HubApi.json(adminWithScopes, 422).toString()).contains("scopes");
    }
}
