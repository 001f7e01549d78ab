package io.bookinghub.hub.integrations;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.BuiltPlugins;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trust boundaries of issue "integration vs connection", through the HTTP API with the real Booksy plugin
 * and the sandbox: the operator's Booksy app stays the operator's, a tenant reaches neither the hub's secrets
 * nor its network, and a provider account belongs to one tenant.
 *
 * <p>The sandbox has one Booksy business ({@link BooksySandbox#BUSINESS_ID}); each test disables the
 * connections it made, so the account is free for the next.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TrustBoundariesTest {
    private static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("trust-boundaries-webhook-secret!".getBytes(StandardCharsets.US_ASCII));
    private static final ObjectMapper JSON = Jackson.newObjectMapper();
    private static final BooksySandbox SANDBOX = BooksySandbox.builder().port(0).allowLocalhostRedirects(true)
            .build().start();
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final DropwizardAppExtension<HubConfiguration> APP;
    private static final HubApi API;

    /** A host a tenant (or a mistaken setting) would like the hub to call. */
    @RegisterExtension
    static final WireMockExtension ELSEWHERE = WireMockExtension.newInstance().build();

    static {
        try {
            APP = HubTestApp.extension(DB, BuiltPlugins.copy("booksy-connector"), Files.createTempDirectory("var"),
                    HubTestApp.environment(), ConfigOverride.config("sync.schedulerEnabled", "false"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        API = new HubApi(APP);
    }

    @AfterAll
    static void stopSandbox() {
        SANDBOX.close();
    }

    /** The operator's integration as each test starts from it. */
    @BeforeEach
    void operatorRegistersTheBooksyApp() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("apiBaseUrl", SANDBOX.baseUrl());
        settings.put("clientId", BooksySandbox.DEMO_CLIENT_ID);
        settings.put("clientSecret", BooksySandbox.DEMO_CLIENT_SECRET);
        settings.put("redirectUri", "http://localhost:" + APP.getLocalPort() + "/connectors/booksy/oauth/callback");
        settings.put("webhookSecret", WEBHOOK_SECRET);
        settings.put("rateLimitPerSecond", "1000");
        settings.put("rateLimitBurst", "1000");
        HubApi.json(API.call("/admin/connectors/booksy/settings", ADMIN_TOKEN).put(Entity.json(Map.of("settings", settings))),
                200);
    }

    @Test
    void aTenantCanSetNeitherWhereTheHubConnectsNorTheOperatorsSettingsAndNothingIsSent() {
        UUID business = API.createBusiness("Tenant Probe");
        String tenant = API.businessAdminKey(business);
        String connection = "/admin/businesses/" + business + "/connections/booksy";
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("businessId", BooksySandbox.BUSINESS_ID);
        config.put("apiBaseUrl", ELSEWHERE.baseUrl());
        config.put("tokenUrl", "/tasks/log-level?logger=ROOT&level=TRACE");
        Response refused = API.call(connection, tenant).put(Entity.json(Map.of("config", config)));
        JsonNode body = HubApi.json(refused, 403);
        assertThat(body.get("error").asText()).isEqualTo("FORBIDDEN");
        assertThat(body.get("fields").findValuesAsText("field")).containsExactlyInAnyOrder("apiBaseUrl", "tokenUrl");
        assertThat(API.call(connection, tenant).get().getStatus()).as("nothing was written").isEqualTo(404);

        // Nor through the operator's routes.
        assertThat(API.call("/admin/connectors/booksy/settings", tenant).get().getStatus()).isEqualTo(403);
        assertThat(API.call("/admin/connectors/booksy/settings", tenant).put(Entity.json(Map.of("settings",
                Map.of("apiBaseUrl", ELSEWHERE.baseUrl())))).getStatus()).isEqualTo(403);
        HubApi.json(API.call(connection, tenant).put(Entity.json(Map.of("config", Map.of("businessId", "b-1")))), 200);
        assertThat(API.call(connection + "/overrides", tenant).put(Entity.json(Map.of("overrides",
                Map.of("apiBaseUrl", ELSEWHERE.baseUrl())))).getStatus()).isEqualTo(403);
        assertThat(API.call(connection + "/effective-config", tenant).get().getStatus()).isEqualTo(403);

        // The OAuth flow of what the tenant could configure goes to the operator's hosts only.
        authorize(business, tenant);
        ELSEWHERE.verify(0, anyRequestedFor(anyUrl()));
        HubApi.json(API.call(connection, tenant).delete(), 200);
    }

    @Test
    void operatorSettingsAndOverridesMustPassTheOutboundPolicyAndAnOverriddenEndpointGetsNoIntegrationSecret() {
        JsonNode plain = HubApi.json(API.call("/admin/connectors/booksy/settings", ADMIN_TOKEN).put(Entity.json(Map.of(
                "settings", Map.of("apiBaseUrl", "http://api.booksy.example")))), 422);
        assertThat(plain.get("fields").findValuesAsText("field")).containsExactly("apiBaseUrl");

        UUID business = API.createBusiness("Overridden");
        String connection = "/admin/businesses/" + business + "/connections/booksy";
        HubApi.json(API.call(connection, ADMIN_TOKEN).put(Entity.json(Map.of("config", Map.of("businessId", "b-7")))), 200);
        for (String target : new String[] {"https://127.0.0.2/", "https://[::1]/", "https://169.254.169.254/",
                "http://" + "example.com/"}) {
            JsonNode error = HubApi.json(API.call(connection + "/overrides", ADMIN_TOKEN).put(Entity.json(Map.of(
                    "overrides", Map.of("apiBaseUrl", target)))), 422);
            assertThat(error.get("fields").findValuesAsText("field")).as(target).containsExactly("apiBaseUrl");
        }
        // Allowed by the policy (the test allow-list has the loopback WireMock), but then the operator's client
        // secret is not combined with an endpoint the operator did not choose.
        JsonNode secretless = HubApi.json(API.call(connection + "/overrides", ADMIN_TOKEN).put(Entity.json(Map.of(
                "overrides", Map.of("apiBaseUrl", ELSEWHERE.baseUrl())))), 422);
        assertThat(secretless.get("message").asText()).contains("clientSecret");
        JsonNode overridden = HubApi.json(API.call(connection + "/overrides", ADMIN_TOKEN).put(Entity.json(Map.of(
                "overrides", Map.of("apiBaseUrl", ELSEWHERE.baseUrl(), "clientSecret", "a-secret-for-that-host")))),
                200);
        assertThat(overridden.get("overrides").get("apiBaseUrl").asText()).isEqualTo(ELSEWHERE.baseUrl());
        assertThat(overridden.get("overrides").get("clientSecret").asText()).isEqualTo("set");
        JsonNode effective = HubApi.json(API.call(connection + "/effective-config", ADMIN_TOKEN).get(), 200).get("settings");
        assertThat(effective.get("apiBaseUrl").get("origin").asText()).isEqualTo("OVERRIDE");
        assertThat(effective.get("clientId").get("origin").asText()).isEqualTo("SETTINGS");
        assertThat(effective.get("clientSecret").get("value").asText()).isEqualTo("set");
        assertThat(effective.get("businessId").get("origin").asText()).isEqualTo("CONNECTION");
        assertThat(effective.get("pageSize").get("origin").asText()).isEqualTo("DEFAULT");
        assertThat(effective.toString()).doesNotContain("a-secret-for-that-host")
                .doesNotContain(BooksySandbox.DEMO_CLIENT_SECRET);
        HubApi.json(API.call(connection, ADMIN_TOKEN).delete(), 200);
    }

    @Test
    void changingTheClientIdOrHostDiscardsTheTokensAndNoneIsSentToTheNewHost() {
        UUID business = API.createBusiness("Moved");
        String connection = "/admin/businesses/" + business + "/connections/booksy";
        HubApi.json(API.call(connection, ADMIN_TOKEN).put(Entity.json(Map.of("config", Map.of("businessId",
                BooksySandbox.BUSINESS_ID)))), 200);
        assertThat(authorize(business, ADMIN_TOKEN).statusCode()).isEqualTo(200);
        JsonNode active = HubApi.json(API.call(connection, ADMIN_TOKEN).get(), 200);
        assertThat(active.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(active.get("credentialsStored").asBoolean()).isTrue();

        HubApi.json(API.call("/admin/connectors/booksy/settings", ADMIN_TOKEN).put(Entity.json(Map.of("settings", Map.of(
                "clientId", "another-app", "apiBaseUrl", ELSEWHERE.baseUrl())))), 200);
        JsonNode moved = HubApi.json(API.call(connection, ADMIN_TOKEN).get(), 200);
        assertThat(moved.get("status").asText()).isEqualTo("NEEDS_AUTHORIZATION");
        assertThat(moved.get("credentialsStored").asBoolean()).isFalse();
        JsonNode run = HubApi.json(API.call(connection + "/sync?wait=true", ADMIN_TOKEN).post(Entity.json(Map.of("mode",
                "FULL"))), 200);
        assertThat(run.get("status").asText()).isEqualTo("FAILED");
        ELSEWHERE.verify(0, anyRequestedFor(anyUrl()));

        JsonNode audit = HubApi.json(API.call("/admin/connectors/booksy/settings/events", ADMIN_TOKEN).get(), 200);
        assertThat(audit.toString()).contains("clientId: " + BooksySandbox.DEMO_CLIENT_ID + " -> another-app")
                .doesNotContain(BooksySandbox.DEMO_CLIENT_SECRET);
        HubApi.json(API.call(connection, ADMIN_TOKEN).delete(), 200);
    }

    @Test
    void aGrantThatDoesNotIncludeTheConfiguredBusinessIsRefusedAndItsTokensDiscarded() {
        UUID business = API.createBusiness("Wrong Business");
        String connection = "/admin/businesses/" + business + "/connections/booksy";
        JsonNode waiting = HubApi.json(API.call(connection, ADMIN_TOKEN).put(Entity.json(Map.of("config",
                Map.of("businessId", "b-4242")))), 200);
        assertThat(waiting.get("status").asText()).isEqualTo("NEEDS_AUTHORIZATION");
        long revocations = SANDBOX.requestCount("/oauth/revoke");

        HttpResponse<String> callback = authorize(business, ADMIN_TOKEN);
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(400);
        assertThat(callback.body()).contains("b-4242");
        JsonNode after = HubApi.json(API.call(connection, ADMIN_TOKEN).get(), 200);
        assertThat(after.get("credentialsStored").asBoolean()).isFalse();
        assertThat(after.get("status").asText()).isEqualTo("NEEDS_AUTHORIZATION");
        assertThat(after.get("accountId").isNull()).isTrue();
        assertThat(SANDBOX.requestCount("/oauth/revoke")).as("the refused tokens are revoked").isGreaterThan(revocations);
        HubApi.json(API.call(connection, ADMIN_TOKEN).delete(), 200);
    }

    @Test
    void aBoundAccountCannotBeClaimedBySecondTenantAndItsWebhooksReachOnlyTheHolder() throws Exception {
        UUID holder = API.createBusiness("Holder");
        UUID claimant = API.createBusiness("Claimant");
        String holderConnection = "/admin/businesses/" + holder + "/connections/booksy";
        String claimantConnection = "/admin/businesses/" + claimant + "/connections/booksy";
        String claimantKey = API.businessAdminKey(claimant);
        HubApi.json(API.call(holderConnection, ADMIN_TOKEN).put(Entity.json(Map.of("config", Map.of("businessId",
                BooksySandbox.BUSINESS_ID)))), 200);
        assertThat(authorize(holder, ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(HubApi.json(API.call(holderConnection, ADMIN_TOKEN).get(), 200).get("accountId").asText())
                .isEqualTo(BooksySandbox.BUSINESS_ID);

        // The claimant names the same Booksy business: it can configure (an unverified claim binds nothing) but
        // its authorization is refused without saying who holds the account.
        HubApi.json(API.call(claimantConnection, claimantKey).put(Entity.json(Map.of("config", Map.of("businessId",
                BooksySandbox.BUSINESS_ID)))), 200);
        HttpResponse<String> refused = authorize(claimant, claimantKey);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(refused.body()).contains("already connected").doesNotContain(holder.toString())
                .doesNotContain("Holder");
        assertThat(HubApi.json(API.call(claimantConnection, claimantKey).get(), 200).get("credentialsStored").asBoolean())
                .isFalse();

        // A genuinely signed webhook for the account lands with the holder only.
        String eventId = "evt-" + UUID.randomUUID();
        byte[] body = JSON.writeValueAsBytes(Map.of("id", eventId, "type", "client.deleted", "business_id",
                BooksySandbox.BUSINESS_ID, "created_at", Instant.now().toString(), "data", Map.of("id", "c-1")));
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort()
                + "/connectors/booksy/webhook")).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        WebhookSigner.standardWebhooksHeaders(WEBHOOK_SECRET, eventId, Instant.now(), body).forEach(post::header);
        HttpResponse<String> delivered = HttpClient.newHttpClient().send(post.build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
        assertThat(HubApi.json(API.call("/admin/webhooks/events?business=" + holder, ADMIN_TOKEN).get(), 200)
                .get("items").toString()).contains(eventId);
        assertThat(HubApi.json(API.call("/admin/webhooks/events?business=" + claimant, ADMIN_TOKEN).get(), 200)
                .get("items")).isEmpty();

        // With the holder gone, the account is free to be bound by the claimant.
        HubApi.json(API.call(holderConnection, ADMIN_TOKEN).delete(), 200);
        assertThat(authorize(claimant, claimantKey).statusCode()).isEqualTo(200);
        HubApi.json(API.call(claimantConnection, ADMIN_TOKEN).delete(), 200);
    }

    @Test
    void anApiKeyConnectionWithoutABusinessIdIsBoundToTheOneBusinessItsKeyReachesAndSyncsIt() {
        try (BooksySandbox keyed = BooksySandbox.builder().port(0).apiKey("the-salons-api-key").build().start()) {
            UUID business = API.createBusiness("Keyed");
            String connection = "/admin/businesses/" + business + "/connections/booksy";
            HubApi.json(API.call(connection, ADMIN_TOKEN).put(Entity.json(Map.of("config", Map.of("apiKey",
                    "the-salons-api-key")))), 200);
            JsonNode bound = HubApi.json(API.call(connection + "/overrides", ADMIN_TOKEN).put(Entity.json(Map.of(
                    "overrides", Map.of("apiBaseUrl", keyed.baseUrl(), "authMode", "api-key")))), 200);
            assertThat(bound.get("status").asText()).isEqualTo("ACTIVE");
            assertThat(bound.get("accountId").asText()).isEqualTo(BooksySandbox.BUSINESS_ID);

            JsonNode run = HubApi.json(API.call(connection + "/sync?wait=true", ADMIN_TOKEN).post(Entity.json(Map.of(
                    "mode", "FULL"))), 200);
            assertThat(run.get("status").asText()).as(run.toString()).isIn("SUCCEEDED", "PARTIAL");
            assertThat(HubApi.json(API.call("/admin/businesses/" + business + "/record-counts", ADMIN_TOKEN).get(),
                    200).get("APPOINTMENT").asLong()).isEqualTo(keyed.appointmentIds().size());

            // A second business whose key reaches the same account is refused: 409, the one shape, naming the field.
            UUID second = API.createBusiness("Keyed Twice");
            String secondConnection = "/admin/businesses/" + second + "/connections/booksy";
            HubApi.json(API.call(secondConnection, ADMIN_TOKEN).put(Entity.json(Map.of("config", Map.of("apiKey",
                    "the-salons-api-key")))), 200);
            JsonNode taken = HubApi.json(API.call(secondConnection + "/overrides", ADMIN_TOKEN).put(Entity.json(Map.of(
                    "overrides", Map.of("apiBaseUrl", keyed.baseUrl(), "authMode", "api-key")))), 409);
            assertThat(taken.get("error").asText()).isEqualTo("CONFLICT");
            assertThat(taken.at("/fields/0/field").asText()).isEqualTo("accountId");
            assertThat(taken.toString()).doesNotContain("Keyed\"").doesNotContain(business.toString());
            HubApi.json(API.call(secondConnection, ADMIN_TOKEN).delete(), 200);
            HubApi.json(API.call(connection, ADMIN_TOKEN).delete(), 200);
        }
    }

    @Test
    void aNeverAuthorizedConnectionWaitsForAuthorizationAndTheHubStaysHealthy() {
        UUID business = API.createBusiness("Never Authorized");
        String connection = "/admin/businesses/" + business + "/connections/booksy";
        JsonNode created = HubApi.json(API.call(connection, ADMIN_TOKEN).put(Entity.json(Map.of("config",
                Map.of("businessId", BooksySandbox.BUSINESS_ID), "syncInterval", "PT5M"))), 200);
        assertThat(created.get("status").asText()).isEqualTo("NEEDS_AUTHORIZATION");
        assertThat(created.get("statusReason").asText()).contains("Authorize");
        Response health = API.adminTarget("/healthcheck").request().get();
        assertThat(health.getStatus()).as(health.readEntity(String.class)).isEqualTo(200);
        JsonNode metrics = HubApi.json(API.adminTarget("/metrics").request().get());
        assertThat(metrics.get("gauges").get("connections.status.NEEDS_AUTHORIZATION").get("value").asLong())
                .isGreaterThanOrEqualTo(1);
        HubApi.json(API.call(connection, ADMIN_TOKEN).delete(), 200);
    }

    /**
     * Plays the salon owner's browser: the hub's start (with the caller's key, as a script would), the
     * sandbox's consent page, back to the hub's callback with the binding cookie. Returns the callback's answer.
     */
    private static HttpResponse<String> authorize(UUID business, String key) {
        try {
            HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                    .cookieHandler(new CookieManager()).build();
            HttpResponse<String> started = browser.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + APP.getLocalPort() + "/connectors/booksy/oauth/start?business=" + business + "&format=json"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
            String authorizeUrl = JSON.readTree(started.body()).get("authorizationUrl").asText();
            assertThat(authorizeUrl).startsWith(SANDBOX.baseUrl());
            HttpResponse<String> consent = browser.send(HttpRequest.newBuilder(URI.create(authorizeUrl)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String callback = consent.headers().firstValue("Location").orElseThrow();
            return browser.send(HttpRequest.newBuilder(URI.create(callback)).header("Accept", "application/json")
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }


}
