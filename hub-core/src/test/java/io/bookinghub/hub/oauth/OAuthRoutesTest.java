package io.bookinghub.hub.oauth;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.hub.HubApplication;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.connections.ConnectionSecrets;
import io.bookinghub.hub.crypto.EncryptionKey;
import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.hub.testing.TestPlugins;
import io.bookinghub.testkit.MutableClock;
import io.dropwizard.core.Application;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.jackson.JacksonFeature;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.glassfish.jersey.client.ClientProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The OAuth routes end to end: real HTTP, a real PF4J connector plugin, real PostgreSQL, a hand-moved clock. */
@ExtendWith(DropwizardExtensionsSupport.class)
class OAuthRoutesTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final Map<String, String> ENV = HubTestApp.environment();
    private static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration LINK_TTL = Duration.ofMinutes(3);
    private static final String PUBLIC_URL = "https://hub.example.com";
    private static final Path PLUGINS;
    private static final Path VAR;
    private static final Path REQUEST_LOG;

    static {
        try {
            PLUGINS = Files.createTempDirectory("plugins");
            VAR = Files.createTempDirectory("var");
            REQUEST_LOG = VAR.resolve("requests.log");
            TestPlugins.buildZip(PLUGINS, "oauthy", "com.example.oauthy", OAuthTestConnector.source());
            TestPlugins.buildZip(PLUGINS, "echo", "com.example.echo",
                    TestPlugins.connectorSource("com.example.echo", "echo", TestPlugins.standardDescriptor("echo")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final DropwizardAppExtension<HubConfiguration> APP = new DropwizardAppExtension<>(
            new DropwizardTestSupport<>(HubApplication.class, ResourceHelpers.resourceFilePath("test-config.yml"),
                    ConfigOverride.config("database.url", DB.jdbcUrl()),
                    ConfigOverride.config("plugins.directory", PLUGINS.toString()),
                    ConfigOverride.config("security.keyFile", VAR.resolve("encryption.key").toString()),
                    ConfigOverride.config("oauth.stateTtl", TTL.toString()),
                    ConfigOverride.config("oauth.linkTtl", LINK_TTL.toString()),
                    // With a trailing slash, as an operator might write it.
                    ConfigOverride.config("oauth.publicBaseUrl", PUBLIC_URL + "/"),
                    // The request log as configured (format with %U), written to a file the test can read.
                    ConfigOverride.config("server.requestLog.appenders[0].type", "file"),
                    ConfigOverride.config("server.requestLog.appenders[0].currentLogFilename", REQUEST_LOG.toString()),
                    ConfigOverride.config("server.requestLog.appenders[0].archive", "false")) {
                @Override
                public Application<HubConfiguration> newApplication() {
                    return new HubApplication(CLOCK, ENV::get);
                }
            });

    private static final Client CLIENT = ClientBuilder.newClient()
            .register(new JacksonFeature(Jackson.newObjectMapper()))
            .property(ClientProperties.FOLLOW_REDIRECTS, false);

    private static ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void captureLogs() {
        assertThat(APP.getLocalPort()).isPositive();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logs = new ListAppender<>();
        logs.setContext(context);
        logs.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        // Production logs at INFO; the hub's own code is checked down to DEBUG.
        root.setLevel(Level.INFO);
        context.getLogger("io.bookinghub").setLevel(Level.DEBUG);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static WebTarget target(String path) {
        return CLIENT.target("http://localhost:" + APP.getLocalPort() + path);
    }

    private static Invocation.Builder admin(String path, String token) {
        Invocation.Builder builder = target(path).request(MediaType.APPLICATION_JSON);
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    private static JsonNode json(Response response) {
        return response.readEntity(JsonNode.class);
    }

    private static UUID createBusiness(String name) {
        Response r = admin("/admin/businesses", ADMIN_TOKEN).post(Entity.json(Map.of("name", name,
                "timeZone", "Europe/Warsaw")));
        assertThat(r.getStatus()).isEqualTo(201);
        return UUID.fromString(json(r).get("id").asText());
    }

    private static String businessAdminKey(UUID businessId) {
        Response r = admin("/admin/api-keys", ADMIN_TOKEN).post(Entity.json(Map.of("name", "owner",
                "role", "business-admin", "businessId", businessId.toString())));
        assertThat(r.getStatus()).isEqualTo(201);
        return json(r).get("token").asText();
    }

    private static void configure(UUID business, String connectorId, Map<String, Object> config) {
        Response r = admin("/admin/businesses/" + business + "/connections/" + connectorId, ADMIN_TOKEN)
                .put(Entity.json(Map.of("config", config)));
        assertThat(r.getStatus()).as(r.readEntity(String.class)).isEqualTo(200);
    }

    /** A business with an enabled oauthy connection. */
    private static UUID oauthBusiness(String name) {
        UUID business = createBusiness(name);
        configure(business, OAuthTestConnector.ID, Map.of("clientId", "client-" + name.hashCode()));
        return business;
    }

    private static Response start(UUID business, String token) {
        return admin("/connectors/" + OAuthTestConnector.ID + "/oauth/start?business=" + business, token).get();
    }

    /** A started authorization as the browser that started it holds it: the provider URL and the cookie. */
    private record Authorize(URI location, Map<String, String> query, String browserBinding) {
        String state() {
            return query.get("state");
        }

        String challenge() {
            return query.get("code_challenge");
        }

        /** The code our pretend provider issues after seeing this challenge. */
        String code() {
            return "ok." + challenge();
        }
    }

    private static Authorize authorize(UUID business) {
        return authorized(start(business, ADMIN_TOKEN));
    }

    /** The browser's view of a start (or connect) answer: where it is sent, and the cookie it keeps. */
    private static Authorize authorized(Response r) {
        assertThat(r.getStatus()).as(r.readEntity(String.class)).isEqualTo(302);
        URI location = r.getLocation();
        return new Authorize(location, query(location), cookie(r).get("value"));
    }

    /** The browser-binding Set-Cookie header as name/value and attributes (lower-case names). */
    private static Map<String, String> cookie(Response r) {
        List<Object> headers = r.getHeaders().get("Set-Cookie");
        assertThat(headers).as("Set-Cookie").hasSize(1);
        Map<String, String> out = new LinkedHashMap<>();
        String[] parts = headers.get(0).toString().split(";");
        String[] pair = parts[0].trim().split("=", 2);
        out.put("name", pair[0]);
        out.put("value", pair[1]);
        for (int i = 1; i < parts.length; i++) {
            String[] attribute = parts[i].trim().split("=", 2);
            out.put(attribute[0].toLowerCase(Locale.ROOT), attribute.length > 1 ? attribute[1] : "");
        }
        return out;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The provider's redirect back, arriving at the browser that holds {@code browser}'s cookie (null: none). */
    private static Response callback(Authorize browser, String connectorId, Map<String, String> params,
            String accept) {
        WebTarget t = target("/connectors/" + connectorId + "/oauth/callback");
        for (Map.Entry<String, String> p : params.entrySet()) {
            t = t.queryParam(p.getKey(), p.getValue());
        }
        Invocation.Builder request = accept == null ? t.request() : t.request(accept);
        if (browser != null) {
            request.header("Cookie", BrowserCookie.NAME + "=" + browser.browserBinding());
        }
        return request.get();
    }

    private static Response callback(Authorize browser, Map<String, String> params) {
        return callback(browser, OAuthTestConnector.ID, params, null);
    }

    private static UUID connectionId(UUID business) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT id FROM connections WHERE business_id = :b "
                + "AND connector_id = :c").bind("b", business).bind("c", OAuthTestConnector.ID).mapTo(UUID.class).one());
    }

    private static boolean hasCredentials(UUID business) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM credentials WHERE connection_id = :c")
                .bind("c", connectionId(business)).mapTo(Integer.class).one()) > 0;
    }

    private static List<String> events(UUID business) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT type || ': ' || message FROM connection_events "
                + "WHERE connection_id = :c ORDER BY id").bind("c", connectionId(business)).mapTo(String.class).list());
    }

    /** How often the connector's code exchange ran: anything refused before it must leave this at zero. */
    private static long exchanges(UUID business) {
        return events(business).stream().filter(e -> e.startsWith("code-exchange")).count();
    }

    private static int openStates(UUID business) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM oauth_states WHERE connection_id = :c")
                .bind("c", connectionId(business)).mapTo(Integer.class).one());
    }

    private static boolean stateExists(String state) throws Exception {
        byte[] hash = sha256(state);
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM oauth_states WHERE state_hash = :h")
                .bind("h", hash).mapTo(Integer.class).one()) > 0;
    }

    private static Response createLink(UUID business, String connectorId, String token) {
        return admin("/admin/businesses/" + business + "/connections/" + connectorId + "/oauth/link", token)
                .post(null);
    }

    /** A new connect link's URL, as it would be mailed to the salon owner. */
    private static URI link(UUID business) {
        Response r = createLink(business, OAuthTestConnector.ID, ADMIN_TOKEN);
        JsonNode body = json(r);
        assertThat(r.getStatus()).as(body.toString()).isEqualTo(201);
        return URI.create(body.get("url").asText());
    }

    /** The owner's browser opening {@code link} (on this hub, whatever host the link names). */
    private static Response open(URI link, String accept) {
        Invocation.Builder request = target(link.getRawPath() + "?" + link.getRawQuery()).request();
        return accept == null ? request.get() : request.accept(accept).get();
    }

    private static SecretBox hubKeys() throws IOException {
        String key = Files.readString(VAR.resolve("encryption.key")).trim();
        return new SecretBox(EncryptionKey.fromBase64(key), List.of(), new SecureRandom());
    }

    private static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String s256(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
    }

    // --- start -----------------------------------------------------------------------------------------

    @Test
    void startRedirectsToTheProviderWithAFreshStateAndAnS256ChallengeOfTheStoredVerifier() throws Exception {
        UUID business = oauthBusiness("Start");
        Authorize a = authorize(business);
        assertThat(a.location().getHost()).isEqualTo("provider.example");
        assertThat(a.query()).containsEntry("code_challenge_method", "S256").containsEntry("response_type", "code");
        assertThat(a.state()).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(a.state())).hasSize(32);
        assertThat(a.challenge()).matches("[A-Za-z0-9_-]{43}");

        // Server side: only the state's hash, bound to this connection, with a verifier whose S256 is the challenge.
        Map<String, Object> row = DB.jdbi().withHandle(h -> h.createQuery("SELECT * FROM oauth_states WHERE "
                + "state_hash = :h").bind("h", sha256(a.state())).mapToMap().one());
        UUID connection = connectionId(business);
        assertThat(row.get("connection_id")).isEqualTo(connection);
        String verifier = hubKeys().openString(new SecretBox.Sealed((String) row.get("key_id"),
                (byte[]) row.get("verifier")), OAuthStates.associatedData(sha256(a.state()), connection));
        assertThat(verifier).matches(Pkce.VERIFIER_SYNTAX);
        assertThat(s256(verifier)).isEqualTo(a.challenge());
        assertThat(((java.sql.Timestamp) row.get("expires_at")).toInstant())
                .isEqualTo(((java.sql.Timestamp) row.get("created_at")).toInstant().plus(TTL));

        Authorize again = authorize(business);
        assertThat(again.state()).isNotEqualTo(a.state());
        assertThat(again.challenge()).isNotEqualTo(a.challenge());
        assertThat(events(business)).anyMatch(e -> e.startsWith("authorization-started"))
                .noneMatch(e -> e.contains(a.state()) || e.contains(verifier));
    }

    @Test
    void startCanAnswerTheUrlAsJsonForScripts() {
        UUID business = oauthBusiness("Json Start");
        Response r = admin("/connectors/oauthy/oauth/start?business=" + business + "&format=json", ADMIN_TOKEN).get();
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getHeaderString("Cache-Control")).isEqualTo("no-store");
        URI url = URI.create(json(r).get("authorizationUrl").asText());
        assertThat(query(url)).containsKeys("state", "code_challenge").containsEntry("code_challenge_method", "S256");
    }

    @Test
    void startNeedsAnAdminKeyAnEnabledConnectionAndAnOAuthConnector() {
        UUID business = oauthBusiness("Start Checks");
        assertThat(start(business, null).getStatus()).isEqualTo(401);
        assertThat(start(business, "bh_not-a-key").getStatus()).isEqualTo(401);
        assertThat(admin("/connectors/oauthy/oauth/start", ADMIN_TOKEN).get().getStatus()).isEqualTo(400);
        assertThat(admin("/connectors/oauthy/oauth/start?business=nope", ADMIN_TOKEN).get().getStatus())
                .isEqualTo(400);
        assertThat(start(UUID.randomUUID(), ADMIN_TOKEN).getStatus()).isEqualTo(404);

        UUID noConnection = createBusiness("No Connection");
        assertThat(start(noConnection, ADMIN_TOKEN).getStatus()).isEqualTo(404);

        ENV.put("TEST_CONNECTOR_REGION", "eu");
        configure(noConnection, "echo", Map.of("greeting", "hi"));
        Response unsupported = admin("/connectors/echo/oauth/start?business=" + noConnection, ADMIN_TOKEN).get();
        assertThat(unsupported.getStatus()).isEqualTo(400);
        JsonNode body = json(unsupported);
        assertThat(body.get("error").asText()).isEqualTo("UNSUPPORTED");
        assertThat(body.get("message").asText()).contains("OAUTH_CONNECT");

        assertThat(admin("/admin/businesses/" + business + "/connections/oauthy", ADMIN_TOKEN).delete().getStatus())
                .isEqualTo(200);
        Response disabled = start(business, ADMIN_TOKEN);
        assertThat(disabled.getStatus()).isEqualTo(409);
        assertThat(json(disabled).get("error").asText()).isEqualTo("CONFLICT");
    }

    @Test
    void aBusinessAdminCanStartOnlyForItsOwnBusiness() {
        UUID a = oauthBusiness("Tenant A");
        UUID b = oauthBusiness("Tenant B");
        String keyA = businessAdminKey(a);
        assertThat(start(a, keyA).getStatus()).isEqualTo(302);
        Response foreign = start(b, keyA);
        assertThat(foreign.getStatus()).isEqualTo(404);
        assertThat(admin("/connectors/oauthy/oauth/start?business=" + b + "&format=json", keyA).get().getStatus())
                .isEqualTo(404);
        // No state was created for B.
        int statesForB = DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM oauth_states "
                + "WHERE connection_id = :c").bind("c", connectionId(b)).mapTo(Integer.class).one());
        assertThat(statesForB).isZero();
    }

    // --- callback --------------------------------------------------------------------------------------

    @Test
    void successfulCallbackStoresEncryptedCredentialsAndTheStateCannotBeReused() throws Exception {
        UUID business = oauthBusiness("Success");
        Authorize a = authorize(business);
        Response r = callback(a, Map.of("code", a.code(), "state", a.state()));
        String page = r.readEntity(String.class);
        assertThat(r.getStatus()).as(page).isEqualTo(200);
        assertThat(r.getMediaType().isCompatible(MediaType.TEXT_HTML_TYPE)).isTrue();
        assertThat(r.getHeaderString("Cache-Control")).isEqualTo("no-store");
        assertThat(r.getHeaderString("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page).contains("Connected").doesNotContain(a.state()).doesNotContain(a.code());

        UUID connection = connectionId(business);
        Map<String, Object> row = DB.jdbi().withHandle(h -> h.createQuery("SELECT key_id, ciphertext, version FROM "
                + "credentials WHERE connection_id = :c").bind("c", connection).mapToMap().one());
        byte[] ciphertext = (byte[]) row.get("ciphertext");
        String raw = new String(ciphertext, StandardCharsets.ISO_8859_1);
        assertThat(raw).doesNotContain(OAuthTestConnector.ACCESS_TOKEN).doesNotContain("SENTINEL");
        Map<String, String> stored = new ConnectionSecrets(hubKeys()).open((String) row.get("key_id"), ciphertext,
                ConnectionSecrets.credentialsContext(connection));
        assertThat(stored).containsEntry("access_token", OAuthTestConnector.ACCESS_TOKEN)
                .containsEntry("refresh_token", OAuthTestConnector.REFRESH_TOKEN);
        assertThat(events(business)).contains("authorized: connected through OAuth");
        assertThat(String.join("\n", events(business))).doesNotContain(a.state()).doesNotContain(a.code())
                .doesNotContain("SENTINEL");
        assertThat(json(admin("/admin/businesses/" + business + "/connections/oauthy", ADMIN_TOKEN).get())
                .get("credentialsStored").asBoolean()).isTrue();

        Response reused = callback(a, OAuthTestConnector.ID, Map.of("code", a.code(), "state", a.state()),
                MediaType.APPLICATION_JSON);
        assertThat(reused.getStatus()).isEqualTo(400);
        JsonNode body = json(reused);
        assertThat(body.get("code").asInt()).isEqualTo(400);
        assertThat(body.get("error").asText()).isEqualTo("INVALID_INPUT");
        assertThat(body.get("message").asText()).contains("already used");
        long version = DB.jdbi().withHandle(h -> h.createQuery("SELECT version FROM credentials "
                + "WHERE connection_id = :c").bind("c", connection).mapTo(Long.class).one());
        assertThat(version).isEqualTo(1L);
    }

    @Test
    void callbackAnswersJsonWhenAskedForJson() {
        UUID business = oauthBusiness("Json Callback");
        Authorize a = authorize(business);
        Response r = callback(a, OAuthTestConnector.ID, Map.of("code", a.code(), "state", a.state()),
                MediaType.APPLICATION_JSON);
        assertThat(r.getStatus()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("connected");
        assertThat(body.get("businessId").asText()).isEqualTo(business.toString());
    }

    @Test
    void unknownMissingAndForgedStatesAreRefusedAndStoreNothing() {
        UUID business = oauthBusiness("Wrong State");
        Authorize a = authorize(business);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(random);

        Response wrong = callback(a, Map.of("code", a.code(), "state", forged));
        assertThat(wrong.getStatus()).isEqualTo(400);
        assertThat(wrong.readEntity(String.class)).contains("unknown or was already used");
        Response missing = callback(a, OAuthTestConnector.ID, Map.of("code", a.code()), MediaType.APPLICATION_JSON);
        assertThat(missing.getStatus()).isEqualTo(400);
        assertThat(json(missing).get("message").asText()).contains("no state");
        Response injected = callback(a, Map.of("code", a.code(), "state", "<script>alert(1)</script>"));
        assertThat(injected.getStatus()).isEqualTo(400);
        assertThat(injected.readEntity(String.class)).doesNotContain("<script>");
        assertThat(hasCredentials(business)).isFalse();

        // The genuine state is untouched by the failed attempts.
        assertThat(callback(a, Map.of("code", a.code(), "state", a.state())).getStatus()).isEqualTo(200);
    }

    @Test
    void anExpiredStateIsRefused() {
        Authorize onTime = authorize(oauthBusiness("On time"));
        UUID business = oauthBusiness("Expiry");
        Authorize late = authorize(business);
        CLOCK.advance(TTL.minusSeconds(1));
        assertThat(callback(onTime, Map.of("code", onTime.code(), "state", onTime.state())).getStatus()).isEqualTo(200);
        CLOCK.advance(Duration.ofSeconds(1));
        Response expired = callback(late, OAuthTestConnector.ID, Map.of("code", late.code(), "state", late.state()),
                MediaType.APPLICATION_JSON);
        assertThat(expired.getStatus()).isEqualTo(400);
        assertThat(json(expired).get("message").asText()).contains("expired");
        assertThat(hasCredentials(business)).isFalse();
    }

    @Test
    void aCallbackWithoutCodeUsesUpTheState() {
        UUID business = oauthBusiness("No Code");
        Authorize a = authorize(business);
        Response r = callback(a, OAuthTestConnector.ID, Map.of("state", a.state()), MediaType.APPLICATION_JSON);
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(json(r).get("message").asText()).contains("authorization code");
        assertThat(callback(a, Map.of("code", a.code(), "state", a.state())).getStatus()).isEqualTo(400);
        assertThat(hasCredentials(business)).isFalse();
    }

    @Test
    void aProviderErrorIsShownEscapedAndCapped() {
        UUID business = oauthBusiness("Provider Error");
        Authorize a = authorize(business);
        Response r = callback(a, Map.of("state", a.state(), "error", "access_denied<script>alert(1)</script>",
                "error_description", "<b>The user said no</b>"));
        String page = r.readEntity(String.class);
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(page).contains("access_denied&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>").doesNotContain("<b>");
        assertThat(r.getHeaderString("Content-Security-Policy")).isEqualTo("default-src 'none'");
        assertThat(hasCredentials(business)).isFalse();
        assertThat(events(business)).anyMatch(e -> e.startsWith("authorization-failed: provider returned error"));
        // The state is used up by the refusal.
        assertThat(callback(a, Map.of("code", a.code(), "state", a.state())).getStatus()).isEqualTo(400);

        Authorize b = authorize(business);
        Response longError = callback(b, OAuthTestConnector.ID, Map.of("state", b.state(), "error", "x".repeat(5000)),
                MediaType.APPLICATION_JSON);
        JsonNode body = json(longError);
        assertThat(body.get("error").asText()).isEqualTo("AUTH_REQUIRED");
        assertThat(body.get("message").asText()).contains("x".repeat(64) + "...").doesNotContain("x".repeat(65));
    }

    @Test
    void aFailedExchangeStoresNoCredentials() throws Exception {
        UUID business = oauthBusiness("Failed Exchange");
        Authorize refused = authorize(business);
        Response r = callback(refused, OAuthTestConnector.ID, Map.of("code", "bad.code", "state", refused.state()),
                MediaType.APPLICATION_JSON);
        assertThat(r.getStatus()).as("a refused code is fixed by starting again, not a conflict").isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("AUTH_REQUIRED");

        // A code issued for another challenge: the verifier the hub sends does not match it.
        Authorize first = authorize(business);
        Authorize second = authorize(business);
        Response mismatch = callback(second, OAuthTestConnector.ID, Map.of("code", first.code(), "state",
                second.state()),
                MediaType.APPLICATION_JSON);
        assertThat(mismatch.getStatus()).isEqualTo(400);
        assertThat(json(mismatch).get("message").asText()).contains("verifier does not match");

        Authorize down = authorize(business);
        Response unavailable = callback(down, Map.of("code", "down.x", "state", down.state()));
        assertThat(unavailable.getStatus()).isEqualTo(503);
        assertThat(unavailable.readEntity(String.class)).contains("could not be reached");

        assertThat(hasCredentials(business)).isFalse();
        assertThat(events(business)).noneMatch(e -> e.startsWith("authorized"));
    }

    @Test
    void aStateUsedOnAnotherConnectorsCallbackIsRefused() {
        UUID business = oauthBusiness("Mismatch");
        Authorize a = authorize(business);
        Response r = callback(a, "echo", Map.of("code", a.code(), "state", a.state()), MediaType.APPLICATION_JSON);
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(json(r).get("message").asText()).contains("another connector");
        assertThat(hasCredentials(business)).isFalse();
    }

    @Test
    void disconnectRevokesAtTheProviderAndDeletesCredentials() {
        UUID business = oauthBusiness("Disconnect");
        Authorize a = authorize(business);
        assertThat(callback(a, Map.of("code", a.code(), "state", a.state())).getStatus()).isEqualTo(200);
        assertThat(hasCredentials(business)).isTrue();

        JsonNode view = json(admin("/admin/businesses/" + business + "/connections/oauthy", ADMIN_TOKEN).delete());
        assertThat(view.get("enabled").asBoolean()).isFalse();
        assertThat(view.get("credentialsStored").asBoolean()).isFalse();
        // revoke() ran while the tokens were still there, then the hub deleted them.
        assertThat(events(business)).containsSubsequence("authorized: connected through OAuth",
                "revoked: revoked the stored tokens", "disabled: connection disabled, credentials deleted");
        assertThat(hasCredentials(business)).isFalse();
    }

    // --- browser binding -------------------------------------------------------------------------------

    @Test
    void startSetsAShortLivedHttpOnlyCookieScopedToTheConnectorsOAuthRoutes() throws Exception {
        UUID business = oauthBusiness("Cookie");
        Response r = start(business, ADMIN_TOKEN);
        assertThat(r.getStatus()).isEqualTo(302);
        Map<String, String> cookie = cookie(r);
        assertThat(cookie).containsEntry("name", BrowserCookie.NAME)
                .containsEntry("path", "/connectors/oauthy/oauth")
                .containsEntry("max-age", Long.toString(TTL.toSeconds()))
                .containsEntry("samesite", "Lax")
                .containsKey("httponly")
                // Plain http here: a Secure cookie would never come back.
                .doesNotContainKey("secure")
                .doesNotContainKey("domain");
        String binding = cookie.get("value");
        assertThat(binding).matches("[A-Za-z0-9_-]{43}");
        // Only its hash is stored, next to the state it binds.
        String state = query(r.getLocation()).get("state");
        byte[] stored = DB.jdbi().withHandle(h -> h.createQuery("SELECT browser_hash FROM oauth_states "
                + "WHERE state_hash = :h").bind("h", sha256(state)).mapTo(byte[].class).one());
        assertThat(stored).isEqualTo(sha256(binding));
        assertThat(String.join("\n", events(business))).doesNotContain(binding);

        // A script's fetch gets the cookie too, and hands it to the browser.
        Response scripted = admin("/connectors/oauthy/oauth/start?business=" + business + "&format=json",
                ADMIN_TOKEN).get();
        assertThat(scripted.getStatus()).isEqualTo(200);
        assertThat(cookie(scripted)).containsEntry("path", "/connectors/oauthy/oauth").containsKey("httponly")
                .extractingByKey("value").isNotEqualTo(binding);
    }

    @Test
    void aCallbackWithoutTheCookieIsRefusedUsesTheStateUpAndNeverReachesTheProvider() throws Exception {
        UUID business = oauthBusiness("No Cookie");
        Authorize a = authorize(business);
        Response page = callback(null, Map.of("code", a.code(), "state", a.state()));
        assertThat(page.getStatus()).isEqualTo(400);
        assertThat(page.getMediaType().isCompatible(MediaType.TEXT_HTML_TYPE)).isTrue();
        assertThat(page.readEntity(String.class)).contains("cookie");
        assertThat(stateExists(a.state())).isFalse();
        assertThat(hasCredentials(business)).isFalse();
        assertThat(exchanges(business)).isZero();
        assertThat(events(business)).anyMatch(e -> e.startsWith("authorization-failed: callback refused"));
        // The cookie is cleared whatever the outcome.
        assertThat(cookie(page)).containsEntry("value", "").containsEntry("max-age", "0")
                .containsEntry("path", "/connectors/oauthy/oauth");

        // Used up: the right browser coming later cannot replay it.
        Response replay = callback(a, OAuthTestConnector.ID, Map.of("code", a.code(), "state", a.state()),
                MediaType.APPLICATION_JSON);
        assertThat(replay.getStatus()).isEqualTo(400);
        assertThat(json(replay).get("message").asText()).contains("already used");

        Authorize b = authorize(business);
        Response json = callback(null, OAuthTestConnector.ID, Map.of("code", b.code(), "state", b.state()),
                MediaType.APPLICATION_JSON);
        assertThat(json.getStatus()).isEqualTo(400);
        JsonNode body = json(json);
        assertThat(body.get("error").asText()).isEqualTo("INVALID_INPUT");
        assertThat(body.get("message").asText()).contains("cookie");
        assertThat(hasCredentials(business)).isFalse();
        assertThat(exchanges(business)).isZero();
    }

    @Test
    void aPhishedAuthorizationDoesNotLandInTheAttackersConnection() {
        // The attacker starts in their own browser and sends the provider URL to the salon owner, whose
        // browser has its own binding cookie (from starting its own connection) but not the attacker's.
        UUID attackerBusiness = oauthBusiness("Attacker");
        UUID victimBusiness = oauthBusiness("Victim");
        Authorize attacker = authorize(attackerBusiness);
        Authorize victim = authorize(victimBusiness);
        Response r = callback(victim, OAuthTestConnector.ID, Map.of("code", attacker.code(), "state",
                attacker.state()), MediaType.APPLICATION_JSON);
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(json(r).get("message").asText()).contains("another browser");
        assertThat(hasCredentials(attackerBusiness)).isFalse();
        assertThat(exchanges(attackerBusiness)).isZero();
        assertThat(events(attackerBusiness)).anyMatch(e -> e.startsWith("authorization-failed: callback refused"));
        // The victim's own attempt is untouched.
        assertThat(callback(victim, Map.of("code", victim.code(), "state", victim.state())).getStatus())
                .isEqualTo(200);
        assertThat(hasCredentials(victimBusiness)).isTrue();
    }

    @Test
    void aSuccessfulCallbackClearsTheCookie() {
        UUID business = oauthBusiness("Clears");
        Authorize a = authorize(business);
        Response r = callback(a, Map.of("code", a.code(), "state", a.state()));
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(cookie(r)).containsEntry("name", BrowserCookie.NAME).containsEntry("value", "")
                .containsEntry("max-age", "0").containsEntry("path", "/connectors/oauthy/oauth")
                .containsKey("httponly");
        assertThat(exchanges(business)).isEqualTo(1);
    }

    // --- connect links -----------------------------------------------------------------------------------

    @Test
    void aConnectLinkStartsTheAuthorizationOnceInTheOwnersBrowser() throws Exception {
        UUID business = oauthBusiness("Link");
        Response created = createLink(business, OAuthTestConnector.ID, businessAdminKey(business));
        assertThat(created.getStatus()).isEqualTo(201);
        assertThat(created.getHeaderString("Cache-Control")).isEqualTo("no-store");
        JsonNode body = json(created);
        URI url = URI.create(body.get("url").asText());
        // From the configured public URL, not from the Host the request named.
        assertThat(url.toString()).startsWith(PUBLIC_URL + "/connectors/oauthy/oauth/connect?link=");
        String token = query(url).get("link");
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(Instant.parse(body.get("expiresAt").asText())).isEqualTo(CLOCK.instant().plus(LINK_TTL));
        byte[] stored = DB.jdbi().withHandle(h -> h.createQuery("SELECT token_hash FROM oauth_connect_links "
                + "WHERE connection_id = :c").bind("c", connectionId(business)).mapTo(byte[].class).one());
        assertThat(stored).isEqualTo(sha256(token));

        // A link checker probing with HEAD does not use it up.
        assertThat(target(url.getRawPath() + "?" + url.getRawQuery()).request().head().getStatus()).isEqualTo(200);

        // The owner opens it: no API key, straight to the provider, with this browser's cookie.
        Response opened = open(url, null);
        Authorize a = authorized(opened);
        assertThat(a.location().getHost()).isEqualTo("provider.example");
        assertThat(cookie(opened)).containsEntry("path", "/connectors/oauthy/oauth").containsKey("httponly")
                .containsEntry("samesite", "Lax").containsEntry("max-age", Long.toString(TTL.toSeconds()));
        assertThat(callback(a, Map.of("code", a.code(), "state", a.state())).getStatus()).isEqualTo(200);
        assertThat(hasCredentials(business)).isTrue();

        assertThat(events(business)).anyMatch(e -> e.startsWith("connect-link-created: admin 'owner'"))
                .anyMatch(e -> e.startsWith("connect-link-used"))
                .anyMatch(e -> e.startsWith("authorization-started: OAuth authorization started through a one-time"));
        assertThat(String.join("\n", events(business))).doesNotContain(token);

        // Used: a second opening is refused and starts nothing.
        int statesBefore = openStates(business);
        Response again = open(url, null);
        assertThat(again.getStatus()).isEqualTo(400);
        assertThat(again.getMediaType().isCompatible(MediaType.TEXT_HTML_TYPE)).isTrue();
        assertThat(again.readEntity(String.class)).contains("already used").doesNotContain(token);
        assertThat(again.getHeaderString("Set-Cookie")).isNull();
        Response againJson = open(url, MediaType.APPLICATION_JSON);
        assertThat(againJson.getStatus()).isEqualTo(400);
        assertThat(json(againJson).get("error").asText()).isEqualTo("INVALID_INPUT");
        assertThat(openStates(business)).isEqualTo(statesBefore);
    }

    @Test
    void anExpiredOrUnknownConnectLinkIsRefused() {
        UUID business = oauthBusiness("Link Expiry");
        URI onTime = link(business);
        URI late = link(business);
        CLOCK.advance(LINK_TTL.minusSeconds(1));
        assertThat(open(onTime, null).getStatus()).isEqualTo(302);
        CLOCK.advance(Duration.ofSeconds(1));
        int statesBefore = openStates(business);
        Response expired = open(late, MediaType.APPLICATION_JSON);
        assertThat(expired.getStatus()).isEqualTo(400);
        assertThat(json(expired).get("message").asText()).contains("expired");
        assertThat(expired.getHeaderString("Set-Cookie")).isNull();
        assertThat(openStates(business)).isEqualTo(statesBefore);

        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String unknown = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        assertThat(target("/connectors/oauthy/oauth/connect").queryParam("link", unknown).request().get()
                .getStatus()).isEqualTo(400);
        assertThat(target("/connectors/oauthy/oauth/connect").request().get().getStatus()).isEqualTo(400);
        Response injected = target("/connectors/oauthy/oauth/connect").queryParam("link", "<script>x</script>")
                .request().get();
        assertThat(injected.getStatus()).isEqualTo(400);
        assertThat(injected.readEntity(String.class)).doesNotContain("<script>");
    }

    @Test
    void connectLinksFollowTheAccessRulesAndNeedAnOAuthReadyConnection() {
        UUID a = oauthBusiness("Link Tenant A");
        UUID b = oauthBusiness("Link Tenant B");
        String keyA = businessAdminKey(a);
        assertThat(createLink(a, OAuthTestConnector.ID, null).getStatus()).isEqualTo(401);
        assertThat(createLink(a, OAuthTestConnector.ID, "bh_not-a-key").getStatus()).isEqualTo(401);
        Response foreign = createLink(b, OAuthTestConnector.ID, keyA);
        assertThat(foreign.getStatus()).isEqualTo(404);
        assertThat(json(foreign).get("error").asText()).isEqualTo("NOT_FOUND");
        int linksForB = DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM oauth_connect_links "
                + "WHERE connection_id = :c").bind("c", connectionId(b)).mapTo(Integer.class).one());
        assertThat(linksForB).isZero();
        assertThat(events(b)).noneMatch(e -> e.startsWith("connect-link"));
        assertThat(createLink(a, OAuthTestConnector.ID, keyA).getStatus()).isEqualTo(201);
        assertThat(createLink(UUID.randomUUID(), OAuthTestConnector.ID, ADMIN_TOKEN).getStatus()).isEqualTo(404);

        ENV.put("TEST_CONNECTOR_REGION", "eu");
        configure(b, "echo", Map.of("greeting", "hi"));
        Response unsupported = createLink(b, "echo", ADMIN_TOKEN);
        assertThat(unsupported.getStatus()).isEqualTo(400);
        assertThat(json(unsupported).get("error").asText()).isEqualTo("UNSUPPORTED");

        // Disabled after the link was made: opening it says so and starts nothing.
        URI url = link(b);
        assertThat(admin("/admin/businesses/" + b + "/connections/oauthy", ADMIN_TOKEN).delete().getStatus())
                .isEqualTo(200);
        Response disabled = open(url, MediaType.APPLICATION_JSON);
        assertThat(disabled.getStatus()).isEqualTo(409);
        assertThat(json(disabled).get("error").asText()).isEqualTo("CONFLICT");
        assertThat(disabled.getHeaderString("Set-Cookie")).isNull();
        assertThat(createLink(b, OAuthTestConnector.ID, ADMIN_TOKEN).getStatus()).isEqualTo(409);
    }

    @Test
    void aConnectLinkOpenedOnAnotherConnectorsRouteStartsNothing() {
        UUID business = oauthBusiness("Link Route");
        URI url = link(business);
        Response r = target("/connectors/echo/oauth/connect?" + url.getRawQuery()).request()
                .accept(MediaType.APPLICATION_JSON).get();
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(json(r).get("message").asText()).contains("another connector");
        assertThat(r.getHeaderString("Set-Cookie")).isNull();
        assertThat(openStates(business)).isZero();
    }

    // --- secrecy ---------------------------------------------------------------------------------------

    @Test
    void noStateCodeVerifierOrTokenReachesTheLogs() throws Exception {
        UUID business = oauthBusiness("Logs");
        List<String> secrets = new ArrayList<>(List.of(OAuthTestConnector.ACCESS_TOKEN,
                OAuthTestConnector.REFRESH_TOKEN));
        Authorize ok = authorize(business);
        secrets.addAll(List.of(ok.state(), ok.code(), ok.browserBinding()));
        secrets.add(verifierOf(business, ok.state()));
        assertThat(callback(ok, Map.of("code", ok.code(), "state", ok.state())).getStatus()).isEqualTo(200);

        Authorize boom = authorize(business);
        String boomVerifier = verifierOf(business, boom.state());
        String boomCode = "boom.code-" + UUID.randomUUID();
        secrets.addAll(List.of(boom.state(), boomVerifier, boomCode));
        Response failed = callback(boom, Map.of("code", boomCode, "state", boom.state()));
        assertThat(failed.getStatus()).isEqualTo(500);
        assertThat(failed.readEntity(String.class)).doesNotContain(boomCode).doesNotContain(boomVerifier);

        Authorize denied = authorize(business);
        secrets.add(denied.state());
        assertThat(callback(denied, Map.of("state", denied.state(), "error", "access_denied")).getStatus())
                .isEqualTo(400);
        assertThat(callback(ok, Map.of("code", ok.code(), "state", ok.state())).getStatus()).isEqualTo(400);

        String requestLog = awaitRequestLog();
        assertThat(requestLog).contains("/connectors/oauthy/oauth/callback");
        List<String> appLog = new ArrayList<>();
        synchronized (logs) {
            for (ILoggingEvent event : logs.list) {
                appLog.add(event.getFormattedMessage());
                for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                    appLog.add(t.getMessage());
                }
            }
        }
        String all = String.join("\n", appLog);
        assertThat(all).contains("OAuth authorization for oauthy").contains("failed unexpectedly");
        for (String secret : secrets) {
            assertThat(all).as("application log").doesNotContain(secret);
            assertThat(requestLog).as("request log").doesNotContain(secret);
        }
        assertThat(requestLog).doesNotContain("state=").doesNotContain("code=");
        assertThat(String.join("\n", events(business))).doesNotContain(boomCode).doesNotContain(boomVerifier);
    }

    private static String verifierOf(UUID business, String state) throws Exception {
        UUID connection = connectionId(business);
        Map<String, Object> row = DB.jdbi().withHandle(h -> h.createQuery("SELECT key_id, verifier FROM oauth_states "
                + "WHERE state_hash = :h").bind("h", sha256(state)).mapToMap().one());
        return hubKeys().openString(new SecretBox.Sealed((String) row.get("key_id"), (byte[]) row.get("verifier")),
                OAuthStates.associatedData(sha256(state), connection));
    }

    /**
     * The request log is written asynchronously and in order: once a marker request made now shows up,
     * every earlier request is in the file too.
     */
    private static String awaitRequestLog() throws Exception {
        String marker = "/request-log-marker-" + UUID.randomUUID();
        target(marker).request().get().close();
        for (int i = 0; i < 400; i++) {
            if (Files.exists(REQUEST_LOG)) {
                String text = Files.readString(REQUEST_LOG);
                if (text.contains(marker)) {
                    return text;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("request log never showed " + marker + ":\n"
                + (Files.exists(REQUEST_LOG) ? Files.readString(REQUEST_LOG) : "(no file)"));
    }
}
