package io.bookinghub.hub.e2e;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.BuiltPlugins;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.jackson.JacksonFeature;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The real Booksy plugin zip, loaded by the hub in deployment mode, against the Booksy sandbox: connect
 * through OAuth 2.0 + PKCE, full and incremental syncs, disconnect — and no secret in any log line.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BooksyEndToEndTest {
    private static final String WEBHOOK_SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("end-to-end-webhook-secret-bytes!".getBytes(StandardCharsets.US_ASCII));
    private static final BooksySandbox SANDBOX = BooksySandbox.builder().port(0).allowLocalhostRedirects(true)
            .build().start();
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final Path PLUGINS = BuiltPlugins.copy("booksy-connector");
    private static final DropwizardAppExtension<HubConfiguration> APP;
    private static final Client CLIENT = ClientBuilder.newClient()
            .register(new JacksonFeature(Jackson.newObjectMapper()));
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

    static {
        try {
            APP = HubTestApp.extension(DB, PLUGINS, Files.createTempDirectory("var"), HubTestApp.environment(),
                    ConfigOverride.config("sync.schedulerEnabled", "false"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void captureLogs() {
        // Attached after the app configured logging (Dropwizard resets the root logger at start). Our code,
        // including the connector's debug mode, logs at DEBUG; libraries at INFO as in production (at DEBUG the
        // JDK client that plays the browser here would log the callback URL it requests).
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(ch.qos.logback.classic.Level.INFO);
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.bookinghub")
                .setLevel(ch.qos.logback.classic.Level.DEBUG);
        LOGS.start();
        root.addAppender(LOGS);
    }

    @AfterAll
    static void stopSandbox() {
        SANDBOX.close();
    }

    private static Invocation.Builder call(String path) {
        return CLIENT.target("http://localhost:" + APP.getLocalPort() + path).request(MediaType.APPLICATION_JSON)
                .header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    private static JsonNode ok(Response response, int status) {
        String body = response.readEntity(String.class);
        assertThat(response.getStatus()).as(body).isEqualTo(status);
        try {
            return Jackson.newObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void connectSyncAndDisconnectWithoutLeakingSecrets() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(BooksySandbox.DEMO_CLIENT_SECRET, WEBHOOK_SECRET));

        UUID business = UUID.fromString(ok(call("/admin/businesses").post(Entity.json(Map.of("name", "E2E Studio",
                "timeZone", "Europe/Warsaw"))), 201).get("id").asText());
        String connection = "/admin/businesses/" + business + "/connections/booksy";
        // The operator's integration: where Booksy is and the hub's app registration.
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("apiBaseUrl", SANDBOX.baseUrl());
        settings.put("clientId", BooksySandbox.DEMO_CLIENT_ID);
        settings.put("clientSecret", BooksySandbox.DEMO_CLIENT_SECRET);
        settings.put("redirectUri", "http://localhost:" + APP.getLocalPort() + "/connectors/booksy/oauth/callback");
        settings.put("webhookSecret", WEBHOOK_SECRET);
        // The default 10 requests/s is Booksy's limit, not the sandbox's: at it, the ~200 reads of the syncs
        // here took 20 s. Rate limiting has its own tests in the connector.
        settings.put("rateLimitPerSecond", "1000");
        settings.put("rateLimitBurst", "1000");
        settings.put("debug", true);
        JsonNode integration = ok(call("/admin/connectors/booksy/settings").put(Entity.json(Map.of("settings",
                settings))), 200);
        assertThat(integration.get("settings").get("clientSecret").get("value").asText()).isEqualTo("set");
        // The salon's connection: its Booksy business, and two days of the sandbox's slots (~650) instead of the
        // default fourteen (~4,500, 45 pages per sync): that availability arrives is what is checked here, and
        // each slot is a row written four times over.
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("businessId", BooksySandbox.BUSINESS_ID);
        config.put("availabilityDays", "2");
        JsonNode enabled = ok(call(connection).put(Entity.json(Map.of("config", config))), 200);
        assertThat(enabled.get("status").asText()).isEqualTo("NEEDS_AUTHORIZATION");
        assertThat(enabled.toString()).doesNotContain("clientSecret");

        // OAuth: the hub's start link -> the sandbox's authorize page -> back to the hub's callback. The admin's
        // page fetches the start URL with its key (same origin), so the browser keeps the hub's binding cookie
        // and presents it on the callback; without it the callback is refused.
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).cookieHandler(cookies)
                .build();
        HttpResponse<String> started = browser.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + APP.getLocalPort() + "/connectors/booksy/oauth/start?business=" + business + "&format=json"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        String authorizeUrl = Jackson.newObjectMapper().readTree(started.body()).get("authorizationUrl").asText();
        assertThat(authorizeUrl).startsWith(SANDBOX.baseUrl() + "/oauth/authorize")
                .contains("code_challenge_method=S256").contains("code_challenge=");
        assertThat(cookies.getCookieStore().getCookies()).hasSize(1);
        secrets.add(cookies.getCookieStore().getCookies().get(0).getValue());
        HttpResponse<String> authorize = browser.send(HttpRequest.newBuilder(URI.create(authorizeUrl)).build(),
                HttpResponse.BodyHandlers.ofString());
        String callback = authorize.headers().firstValue("Location").orElseThrow();
        for (String param : URI.create(callback).getRawQuery().split("&")) {
            secrets.add(URLDecoder.decode(param.substring(param.indexOf('=') + 1), StandardCharsets.UTF_8));
        }
        assertThat(secrets.stream().filter(s -> s.length() >= 16)).as("code and state").hasSizeGreaterThanOrEqualTo(4);
        HttpResponse<String> connected = browser.send(HttpRequest.newBuilder(URI.create(callback)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        assertThat(cookies.getCookieStore().getCookies()).as("cleared by the callback").isEmpty();
        assertThat(ok(call(connection).get(), 200).get("credentialsStored").asBoolean()).isTrue();

        // Full sync: everything the sandbox has arrives in the shared model.
        JsonNode full = ok(call(connection + "/sync?wait=true").post(Entity.json(Map.of("mode", "FULL"))), 200);
        assertThat(full.get("status").asText()).as(full.toString()).isIn("SUCCEEDED", "PARTIAL");
        SANDBOX.lastAuthorizationHeader().ifPresent(h -> secrets.add(h.replace("Bearer ", "")));
        JsonNode counts = ok(call("/admin/businesses/" + business + "/record-counts").get(), 200);
        assertThat(counts.get("APPOINTMENT").asLong()).isEqualTo(SANDBOX.appointmentIds().size());
        assertThat(counts.get("CLIENT").asLong()).isEqualTo(SANDBOX.clientIds().size());
        assertThat(counts.get("STAFF_MEMBER").asLong()).isEqualTo(SANDBOX.staffIds().size());
        assertThat(counts.get("SERVICE").asLong()).isEqualTo(SANDBOX.serviceIds().size());
        assertThat(counts.get("LOCATION").asLong()).isEqualTo(2);
        assertThat(counts.get("AVAILABILITY_SLOT").asLong()).isPositive();

        // The same data again changes nothing.
        JsonNode again = ok(call(connection + "/sync?wait=true").post(Entity.json(Map.of("mode", "FULL"))), 200);
        assertThat(again.get("createdCount").asLong()).isZero();
        assertThat(again.get("updatedCount").asLong()).isZero();

        // A change at the provider arrives with the next incremental sync; a deletion with the next full one.
        String cancelled = SANDBOX.appointmentIds().get(3);
        SANDBOX.cancelAppointment(cancelled, true, "Flu");
        String removedClient = SANDBOX.clientIds().get(0);
        SANDBOX.deleteClient(removedClient);
        JsonNode incremental = ok(call(connection + "/sync?wait=true").post(Entity.json(Map.of("mode",
                "INCREMENTAL"))), 200);
        assertThat(incremental.get("updatedCount").asLong()).as(incremental.toString()).isGreaterThanOrEqualTo(1);
        JsonNode appointments = ok(call("/admin/businesses/" + business + "/appointments?limit=500").get(), 200);
        JsonNode cancelledView = null;
        for (JsonNode a : appointments.get("items")) {
            if (a.get("externalId").asText().equals(cancelled)) {
                cancelledView = a;
            }
        }
        assertThat(cancelledView).as("appointment " + cancelled).isNotNull();
        assertThat(cancelledView.get("status").asText()).isEqualTo("CANCELLED_BY_CLIENT");
        assertThat(cancelledView.get("cancellationReason").asText()).isEqualTo("Flu");
        ok(call(connection + "/sync?wait=true").post(Entity.json(Map.of("mode", "FULL"))), 200);
        JsonNode clients = ok(call("/admin/businesses/" + business + "/clients?includeDeleted=true&limit=500").get(),
                200);
        boolean removedIsDeleted = false;
        for (JsonNode c : clients.get("items")) {
            if (c.get("externalId").asText().equals(removedClient)) {
                removedIsDeleted = c.get("deleted").asBoolean();
            }
        }
        assertThat(removedIsDeleted).as("client deleted at the provider is soft-deleted").isTrue();

        // Every outbound call is in the audit, with paths but no query strings or tokens.
        JsonNode calls = ok(call(connection + "/api-calls?limit=500").get(), 200);
        assertThat(calls.toString()).contains("/api/v1/appointments").doesNotContain("?");

        // Disconnecting revokes at Booksy and deletes the tokens here.
        long revokesBefore = SANDBOX.requestCount("/oauth/revoke");
        JsonNode disabled = ok(call(connection).delete(), 200);
        assertThat(disabled.get("credentialsStored").asBoolean()).isFalse();
        assertThat(SANDBOX.requestCount("/oauth/revoke")).isGreaterThan(revokesBefore);

        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(LOGS.list)) {
            lines.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        assertThat(lines).as("captured log lines").isNotEmpty();
        // Callback parameters include short non-secrets (empty values); codes, states and tokens are long.
        for (String secret : secrets.stream().filter(s -> s.length() >= 16).toList()) {
            assertThat(lines).as("log lines containing a secret").noneMatch(line -> line.contains(secret));
        }
    }
}
