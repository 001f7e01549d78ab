package io.bookinghub.hub;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.hub.connections.ConnectionDao;
import io.bookinghub.hub.plugins.ConnectorPlugins;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.hub.testing.TestPlugins;
import io.bookinghub.spi.SpiVersion;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin API end to end: real HTTP, real plugins, real PostgreSQL. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminApiTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final Map<String, String> ENV = HubTestApp.environment();
    private static final Path PLUGINS;
    private static final Path VAR;
    /** A range only the next SPI major satisfies. */
    private static final String NEXT_SPI = "^" + (Integer.parseInt(SpiVersion.CURRENT.split("\\.")[0]) + 1) + ".0";

    static {
        try {
            PLUGINS = Files.createTempDirectory("plugins");
            VAR = Files.createTempDirectory("var");
            TestPlugins.buildZip(PLUGINS, "echo", "com.example.echo",
                    TestPlugins.connectorSource("com.example.echo", "echo", TestPlugins.standardDescriptor("echo")));
            // A plugin without an id and one whose descriptor is invalid must not stop the hub.
            TestPlugins.zip(PLUGINS.resolve("no-id.zip"), "plugin.version=1.0.0\n", null);
            TestPlugins.buildZip(PLUGINS, "bad-descriptor", "com.example.bad", TestPlugins.connectorSource(
                    "com.example.bad", "Bad Id!", TestPlugins.standardDescriptor("Bad Id!")));
            Files.writeString(PLUGINS.resolve("garbage.zip"), "this is not a zip");
            // Packaged under another name than its connector's, and built without pf4j's annotation processor.
            TestPlugins.buildZip(PLUGINS, "renamed-plugin", "com.example.renamed", TestPlugins.connectorSource(
                    "com.example.renamed", "renamed", TestPlugins.standardDescriptor("renamed")));
            TestPlugins.buildZipWithoutExtensionIndex(PLUGINS, "empty", "com.example.empty", TestPlugins
                    .connectorSource("com.example.empty", "empty", TestPlugins.standardDescriptor("empty")));
            // Written for an SPI this hub does not provide: refused by its declared range.
            TestPlugins.buildZip(PLUGINS, "next", "com.example.next", TestPlugins.connectorSource(
                    "com.example.next", "next", TestPlugins.standardDescriptor("next")), NEXT_SPI);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final DropwizardAppExtension<HubConfiguration> APP = HubTestApp.extension(DB, PLUGINS, VAR, ENV);
    private static final HubApi API = new HubApi(APP);

    @BeforeAll
    static void checkStarted() {
        assertThat(APP.getLocalPort()).isPositive();
    }

    @Test
    void requestsWithoutOrWithWrongKeyAreRejectedWithJson() {
        Response none = API.call("/admin/businesses", null).get();
        assertThat(none.getStatus()).isEqualTo(401);
        assertThat(none.getMediaType().toString()).contains("json");
        assertThat(API.call("/admin/businesses", "bh_not-a-key").get().getStatus()).isEqualTo(401);
    }

    @Test
    void anApiKeyInTheQueryStringIsRefusedWithAPointerToTheHeader() {
        // Even a valid key: accepting it would teach clients to put keys in URLs (and so in logs).
        Response query = API.target("/admin/businesses").queryParam("access_token", ADMIN_TOKEN)
                .request(MediaType.APPLICATION_JSON).get();
        assertThat(query.getStatus()).isEqualTo(400);
        JsonNode body = HubApi.json(query);
        assertThat(body.get("code").asInt()).isEqualTo(400);
        assertThat(body.get("error").asText()).isEqualTo("INVALID_INPUT");
        assertThat(body.get("message").asText()).contains("Authorization: Bearer").doesNotContain(ADMIN_TOKEN);
        // Also next to a valid header: the query parameter is never a second way in.
        Response both = API.target("/admin/businesses").queryParam("access_token", ADMIN_TOKEN)
                .request(MediaType.APPLICATION_JSON).header("Authorization", "Bearer " + ADMIN_TOKEN).get();
        assertThat(both.getStatus()).isEqualTo(400);
        assertThat(API.target("/admin/api-keys").queryParam("access_token", "bh_not-a-key").request().get()
                .getStatus()).isEqualTo(400);
        assertThat(API.call("/admin/businesses", ADMIN_TOKEN).get().getStatus()).isEqualTo(200);
        assertThat(API.call("/admin/businesses", null).header("Authorization", "Basic " + ADMIN_TOKEN).get()
                .getStatus()).isEqualTo(401);
    }

    @Test
    void connectorsListShowsLoadedPluginsAndFailures() {
        JsonNode body = HubApi.json(API.call("/admin/connectors", ADMIN_TOKEN).get());
        assertThat(body.get("connectors")).hasSize(1);
        JsonNode echo = body.get("connectors").get(0);
        assertThat(echo.get("id").asText()).isEqualTo("echo");
        assertThat(echo.get("version").asText()).isEqualTo("1.2.3");
        assertThat(echo.get("pluginId").asText()).isEqualTo("echo");
        assertThat(echo.get("capabilities").toString()).contains("FULL_SYNC", "API_KEY_AUTH");
        assertThat(echo.get("configProperties").toString()).contains("\"name\":\"apiKey\"", "\"secret\":true");

        List<String> failed = body.get("failed").findValuesAsText("plugin");
        assertThat(failed).contains("bad-descriptor", "garbage.zip");
        assertThat(body.get("failed").toString()).contains("Bad Id!");
        assertThat(failed).anyMatch(p -> p.startsWith("no-id"));
        assertThat(body.get("spiVersion").asText()).isEqualTo(SpiVersion.CURRENT);
        assertThat(body.get("failed").findValues("reason").stream().map(JsonNode::asText))
                .contains("requires SPI version '" + NEXT_SPI + "' (plugin.requires) but this hub provides SPI "
                        + SpiVersion.CURRENT + "; the plugin was not loaded");
        assertThat(API.call("/admin/connectors/next", ADMIN_TOKEN).get().getStatus()).isEqualTo(404);
        assertThat(body.get("failed").findValues("reason").stream().map(JsonNode::asText)).contains(
                "plugin.id 'renamed-plugin' (plugin.properties) differs from the connector id 'renamed' of its "
                + "descriptor; they must be equal; the plugin was not loaded", ConnectorPlugins.NO_EXTENSIONS);

        Response health = API.adminTarget("/healthcheck").request().get();
        JsonNode checks = HubApi.json(health);
        assertThat(checks.get("plugins").get("healthy").asBoolean()).isFalse();
        assertThat(checks.get("postgresql").get("healthy").asBoolean()).isTrue();
    }

    @Test
    void businessesAreCreatedListedAndValidated() {
        UUID id = API.createBusiness("Salon One");
        JsonNode one = HubApi.json(API.call("/admin/businesses/" + id, ADMIN_TOKEN).get());
        assertThat(one.get("name").asText()).isEqualTo("Salon One");
        assertThat(one.get("timeZone").asText()).isEqualTo("Europe/Warsaw");
        assertThat(one.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(HubApi.json(API.call("/admin/businesses?limit=500", ADMIN_TOKEN).get()).get("items").findValuesAsText("id"))
                .contains(id.toString());

        Response invalid = API.call("/admin/businesses", ADMIN_TOKEN).post(Entity.json(Map.of("name", " ",
                "timeZone", "+02:00")));
        assertThat(invalid.getStatus()).isEqualTo(422);
        assertThat(invalid.readEntity(String.class)).contains("name").contains("timeZone");

        Response malformed = API.call("/admin/businesses", ADMIN_TOKEN).post(Entity.entity("{\"name\": \"x\",",
                MediaType.APPLICATION_JSON));
        assertThat(malformed.getStatus()).isEqualTo(400);
        assertThat(malformed.readEntity(String.class)).contains("JSON");

        assertThat(API.call("/admin/businesses/" + UUID.randomUUID(), ADMIN_TOKEN).get().getStatus()).isEqualTo(404);
        assertThat(API.call("/admin/businesses/not-a-uuid", ADMIN_TOKEN).get().getStatus()).isEqualTo(404);
    }

    @Test
    void connectionIsConfiguredWithSecretsMaskedAndEncrypted() throws Exception {
        UUID business = API.createBusiness("Salon Secrets");
        ENV.put("TEST_CONNECTOR_REGION", "eu-west");
        Response put = API.call("/admin/businesses/" + business + "/connections/echo", ADMIN_TOKEN).put(Entity.json(
                Map.of("config", Map.of("greeting", "hello", "apiKey", "super-secret-provider-key-42", "pageSize", 50),
                        "syncInterval", "PT15M")));
        String body = put.readEntity(String.class);
        assertThat(put.getStatus()).as(body).isEqualTo(200);
        assertThat(body).doesNotContain("super-secret-provider-key-42");
        JsonNode view = APP.getObjectMapper().readTree(body);
        assertThat(view.get("enabled").asBoolean()).isTrue();
        assertThat(view.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(view.get("config").get("greeting").asText()).isEqualTo("hello");
        assertThat(view.get("config").get("pageSize").asText()).isEqualTo("50");
        assertThat(view.get("config").has("apiKey")).isFalse();
        assertThat(view.get("secrets").get("apiKey").asText()).isEqualTo("set");
        assertThat(view.get("syncInterval").asText()).isEqualTo("PT15M");

        // At rest the secret is ciphertext: neither the config column nor the sealed bytes hold it.
        DB.jdbi().useHandle(h -> {
            Map<String, Object> row = h.createQuery("SELECT config::text AS config, secret_config, secret_key_id "
                    + "FROM connections WHERE business_id = :b").bind("b", business).mapToMap().one();
            assertThat((String) row.get("config")).doesNotContain("super-secret");
            assertThat(new String((byte[]) row.get("secret_config"), StandardCharsets.ISO_8859_1))
                    .doesNotContain("super-secret");
            assertThat((String) row.get("secret_key_id")).startsWith("k");
        });

        // Leaving a secret out keeps it; null clears it.
        JsonNode kept = HubApi.json(API.call("/admin/businesses/" + business + "/connections/echo", ADMIN_TOKEN)
                .put(Entity.json(Map.of("config", Map.of("greeting", "hi again")))));
        assertThat(kept.get("secrets").get("apiKey").asText()).isEqualTo("set");
        assertThat(kept.get("config").get("greeting").asText()).isEqualTo("hi again");
        var cleared = new java.util.HashMap<String, Object>();
        cleared.put("greeting", "bye");
        cleared.put("apiKey", null);
        JsonNode clearedView = HubApi.json(API.call("/admin/businesses/" + business + "/connections/echo", ADMIN_TOKEN)
                .put(Entity.json(Map.of("config", cleared))));
        assertThat(clearedView.get("secrets").get("apiKey").asText()).isEqualTo("unset");

        JsonNode got = HubApi.json(API.call("/admin/businesses/" + business + "/connections/echo", ADMIN_TOKEN).get());
        assertThat(got.get("config").get("greeting").asText()).isEqualTo("bye");
        assertThat(HubApi.json(API.call("/admin/businesses/" + business + "/connections", ADMIN_TOKEN).get())).hasSize(1);

        JsonNode disabled = HubApi.json(API.call("/admin/businesses/" + business + "/connections/echo", ADMIN_TOKEN).delete());
        assertThat(disabled.get("enabled").asBoolean()).isFalse();
        assertThat(disabled.get("status").asText()).isEqualTo("DISABLED");
        assertThat(disabled.get("credentialsStored").asBoolean()).isFalse();
    }

    @Test
    void aPendingReauthorizationClearsOnlyWithNewSecretSettings() {
        UUID business = API.createBusiness("Salon Reauth");
        ENV.put("TEST_CONNECTOR_REGION", "eu-west");
        String path = "/admin/businesses/" + business + "/connections/echo";
        assertThat(API.call(path, ADMIN_TOKEN).put(Entity.json(Map.of("config",
                Map.of("greeting", "hello", "apiKey", "key-that-the-provider-revoked")))).getStatus()).isEqualTo(200);
        UUID connection = DB.jdbi().withHandle(h -> h.createQuery("SELECT id FROM connections WHERE business_id = :b")
                .bind("b", business).mapTo(UUID.class).one());
        DB.jdbi().useTransaction(h -> h.attach(ConnectionDao.class)
                .markNeedsReauthorization(connection, "sync refused: 401", java.time.Instant.now()));

        JsonNode sameKey = HubApi.json(API.call(path, ADMIN_TOKEN).put(Entity.json(Map.of("config",
                Map.of("greeting", "still hello")))));
        assertThat(sameKey.get("status").asText()).isEqualTo("NEEDS_REAUTHORIZATION");

        JsonNode newKey = HubApi.json(API.call(path, ADMIN_TOKEN).put(Entity.json(Map.of("config",
                Map.of("greeting", "still hello", "apiKey", "a-fresh-key-from-the-provider")))));
        assertThat(newKey.get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void invalidConnectionConfigNamesTheFieldAndWritesNothing() {
        UUID business = API.createBusiness("Salon Invalid");
        String path = "/admin/businesses/" + business + "/connections/echo";

        Response missing = API.call(path, ADMIN_TOKEN).put(Entity.json(Map.of("config", Map.of("pageSize", "many",
                "colour", "blue", "mode", "warp"))));
        assertThat(missing.getStatus()).isEqualTo(422);
        JsonNode error = HubApi.json(missing);
        assertThat(error.get("error").asText()).isEqualTo("INVALID_INPUT");
        assertThat(error.get("fields").findValuesAsText("field"))
                .containsExactlyInAnyOrder("greeting", "pageSize", "colour", "mode");

        Response crossField = API.call(path, ADMIN_TOKEN).put(Entity.json(Map.of("config", Map.of("greeting", "x",
                "mode", "broken"))));
        assertThat(crossField.getStatus()).isEqualTo(422);
        assertThat(HubApi.json(crossField).get("message").asText()).contains("mode");

        Response badInterval = API.call(path, ADMIN_TOKEN).put(Entity.json(Map.of("config", Map.of("greeting", "x"),
                "syncInterval", "every hour")));
        assertThat(badInterval.getStatus()).isEqualTo(422);
        assertThat(HubApi.json(badInterval).get("fields").findValuesAsText("field")).containsExactly("syncInterval");

        assertThat(API.call(path, ADMIN_TOKEN).get().getStatus()).isEqualTo(404);
        assertThat(API.call("/admin/businesses/" + business + "/connections/nope", ADMIN_TOKEN)
                .put(Entity.json(Map.of("config", Map.of()))).getStatus()).isEqualTo(404);
        Response malformed = API.call(path, ADMIN_TOKEN).put(Entity.entity("[1,2", MediaType.APPLICATION_JSON));
        assertThat(malformed.getStatus()).isEqualTo(400);
    }

    @Test
    void businessAdminSeesOnlyItsBusinessAndGets404ForAnyOther() {
        UUID own = API.createBusiness("Own Salon");
        UUID foreign = API.createBusiness("Foreign Salon");
        API.call("/admin/businesses/" + foreign + "/connections/echo", ADMIN_TOKEN)
                .put(Entity.json(Map.of("config", Map.of("greeting", "foreign"))));
        String key = API.businessAdminKey(own);

        assertThat(HubApi.json(API.call("/admin/businesses/" + own, key).get()).get("name").asText()).isEqualTo("Own Salon");
        assertThat(HubApi.json(API.call("/admin/businesses", key).get()).get("items").findValuesAsText("id"))
                .containsExactly(own.toString());
        assertThat(API.call("/admin/businesses/" + own + "/connections/echo", key)
                .put(Entity.json(Map.of("config", Map.of("greeting", "mine")))).getStatus()).isEqualTo(200);

        String f = "/admin/businesses/" + foreign;
        Map<String, Invocation> matrix = new java.util.LinkedHashMap<>(Map.of(
                "GET business", API.call(f, key).buildGet(),
                "GET connections", API.call(f + "/connections", key).buildGet(),
                "PUT connection", API.call(f + "/connections/echo", key).buildPut(
                        Entity.json(Map.of("config", Map.of("greeting", "stolen")))),
                "GET connection", API.call(f + "/connections/echo", key).buildGet(),
                "DELETE connection", API.call(f + "/connections/echo", key).buildDelete()));
        for (String model : List.of("appointments", "services", "staff", "clients", "locations", "availability",
                "record-counts", "appointments/" + UUID.randomUUID())) {
            matrix.put("GET " + model, API.call(f + "/" + model, key).buildGet());
        }
        matrix.forEach((name, invocation) -> {
            Response r = invocation.invoke();
            assertThat(r.getStatus()).as(name).isEqualTo(404);
            assertThat(r.readEntity(String.class)).as(name).doesNotContain("Foreign Salon");
        });
        JsonNode untouched = HubApi.json(API.call(f + "/connections/echo", ADMIN_TOKEN).get());
        assertThat(untouched.get("config").get("greeting").asText()).isEqualTo("foreign");
        assertThat(untouched.get("enabled").asBoolean()).isTrue();

        // Hub-wide operations are for hub-admins only.
        assertThat(API.call("/admin/businesses", key).post(Entity.json(Map.of("name", "x", "timeZone", "UTC")))
                .getStatus()).isEqualTo(403);
        assertThat(API.call("/admin/api-keys", key).get().getStatus()).isEqualTo(403);
    }

    @Test
    void apiKeysAreStoredHashedAndCanBeRevoked() {
        UUID business = API.createBusiness("Key Salon");
        Response r = API.call("/admin/api-keys", ADMIN_TOKEN).post(Entity.json(Map.of("name", "temp",
                "role", "business-admin", "businessId", business.toString())));
        JsonNode issued = HubApi.json(r);
        String token = issued.get("token").asText();
        assertThat(token).startsWith("bh_").hasSizeGreaterThan(40);
        DB.jdbi().useHandle(h -> assertThat(h.createQuery("SELECT count(*) FROM api_keys WHERE "
                + "encode(key_hash, 'escape') LIKE :t").bind("t", "%" + token + "%").mapTo(Integer.class).one())
                .isZero());
        assertThat(API.call("/admin/businesses/" + business, token).get().getStatus()).isEqualTo(200);
        API.call("/admin/api-keys/" + issued.get("id").asText(), ADMIN_TOKEN).delete();
        assertThat(API.call("/admin/businesses/" + business, token).get().getStatus()).isEqualTo(401);

        Response inconsistent = API.call("/admin/api-keys", ADMIN_TOKEN).post(Entity.json(Map.of("name", "x",
                "role", "business-admin")));
        assertThat(inconsistent.getStatus()).isEqualTo(422);
        assertThat(inconsistent.readEntity(String.class)).contains("businessId");
    }
}
