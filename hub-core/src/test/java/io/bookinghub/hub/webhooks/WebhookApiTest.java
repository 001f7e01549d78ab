package io.bookinghub.hub.webhooks;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.hub.testing.TestPlugins;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The webhook routes and admin endpoints end to end: real HTTP, a real plugin, real PostgreSQL. */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookApiTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final Map<String, String> ENV = HubTestApp.environment();
    private static final String FAIL_PROPERTY = "bookinghub.test.hooky.fail";
    private static final Path PLUGINS;
    private static final Path VAR;

    static {
        try {
            PLUGINS = Files.createTempDirectory("plugins");
            VAR = Files.createTempDirectory("var");
            TestPlugins.buildZip(PLUGINS, "hooky", "com.example.hooky", pluginSource());
            // A second plugin works around PF4J 3.15's stopPlugins(), which throws
            // ConcurrentModificationException at shutdown when exactly one plugin is started (pf4j#656).
            TestPlugins.buildZip(PLUGINS, "echo", "com.example.echo",
                    TestPlugins.connectorSource("com.example.echo", "echo", TestPlugins.standardDescriptor("echo")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final DropwizardAppExtension<HubConfiguration> APP = HubTestApp.extension(DB, PLUGINS, VAR, ENV,
            ConfigOverride.config("webhooks.maxBodyBytes", "4096"),
            ConfigOverride.config("webhooks.maxAttempts", "1"),
            ConfigOverride.config("webhooks.pollInterval", "20ms"));
    private static final HubApi API = new HubApi(APP);

    private static String connect(UUID business, String secret) {
        String account = "acct-" + UUID.randomUUID();
        Response r = API.call("/admin/businesses/" + business + "/connections/hooky", ADMIN_TOKEN).put(Entity.json(
                Map.of("config", Map.of("account", account, "webhookSecret", secret))));
        assertThat(r.getStatus()).as(r.readEntity(String.class)).isEqualTo(200);
        return account;
    }

    private static String body(String eventId, String account, String appointment, int version) {
        return "{\"id\":\"" + eventId + "\",\"type\":\"appointment.updated\",\"account\":\"" + account
                + "\",\"appointment\":\"" + appointment + "\",\"version\":" + version + "}";
    }

    private static Response post(String path, byte[] body, String contentType, String signature) {
        Invocation.Builder b = API.target(path).request();
        if (signature != null) {
            b = b.header("Webhook-Signature", signature);
        }
        return b.post(Entity.entity(body, contentType));
    }

    private static Response postSigned(String secret, String body, String contentType) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return post("/connectors/hooky/webhook", bytes, contentType,
                WebhookSigner.timestampedHeader(secret, Instant.now(), bytes));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        // Bounded wait for the background workers; assertions are on state, not on time.
        for (int i = 0; i < 600; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("condition not reached");
    }

    private static String inboxStatus(String eventId) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT status FROM webhook_inbox WHERE event_id = :e")
                .bind("e", eventId).mapTo(String.class).findOne().orElse(null));
    }

    private static long appointments(UUID business, int version) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM appointments WHERE business_id = :b "
                + "AND provider_version = :v").bind("b", business).bind("v", version).mapTo(Long.class).one());
    }

    @Test
    void configuringStoresTheWebhookAccountAndRawBytesOfAnyContentTypeAreVerifiedAndApplied() throws Exception {
        UUID business = API.createBusiness("Hooky Salon");
        String account = connect(business, "secret-hooky-1");
        String stored = DB.jdbi().withHandle(h -> h.createQuery("SELECT account_id FROM connections "
                + "WHERE business_id = :b").bind("b", business).mapTo(String.class).one());
        assertThat(stored).isEqualTo(account);

        // Whitespace and odd content types survive untouched: the signature covers exactly these bytes.
        Response json = postSigned("secret-hooky-1", body("h-1", account, "ap-1", 1).replace(",", " ,  "),
                "application/json");
        assertThat(json.getStatus()).isEqualTo(200);
        assertThat(HubApi.json(json).get("events").asInt()).isEqualTo(1);
        Response form = postSigned("secret-hooky-1", body("h-2", account, "ap-2", 1),
                "application/x-www-form-urlencoded");
        assertThat(form.getStatus()).isEqualTo(200);
        Response plain = postSigned("secret-hooky-1", body("h-3", account, "ap-3", 1), "text/plain; charset=latin1");
        assertThat(plain.getStatus()).isEqualTo(200);
        Response dup = postSigned("secret-hooky-1", body("h-3", account, "ap-3", 1), "text/plain");
        assertThat(HubApi.json(dup).get("duplicates").asInt()).isEqualTo(1);

        await(() -> appointments(business, 1) == 3);
        assertThat(inboxStatus("h-2")).isEqualTo("DONE");
    }

    @Test
    void routingFollowsConnectionChangesMadeOnThisNodeAtOnceDespiteTheRoutingCache() throws Exception {
        UUID business = API.createBusiness("Hooky Routing");
        String account = "acct-" + UUID.randomUUID();
        String path = "/admin/businesses/" + business + "/connections/hooky";

        // Looked up (and the empty answer cached) before the business is connected.
        Response early = postSigned("secret-r-1", body("r-1", account, "ap-r", 1), "application/json");
        assertThat(HubApi.json(early).get("error").asText()).isEqualTo("UNKNOWN_ACCOUNT");

        assertThat(API.call(path, ADMIN_TOKEN).put(Entity.json(Map.of("config",
                Map.of("account", account, "webhookSecret", "secret-r-1")))).getStatus()).isEqualTo(200);
        assertThat(postSigned("secret-r-1", body("r-2", account, "ap-r", 1), "application/json").getStatus())
                .isEqualTo(200);

        // A new secret replaces the cached row's at once.
        assertThat(API.call(path, ADMIN_TOKEN).put(Entity.json(Map.of("config",
                Map.of("account", account, "webhookSecret", "secret-r-2")))).getStatus()).isEqualTo(200);
        Response old = postSigned("secret-r-1", body("r-3", account, "ap-r", 2), "application/json");
        assertThat(HubApi.json(old).get("error").asText()).isEqualTo("SIGNATURE_MISMATCH");
        assertThat(postSigned("secret-r-2", body("r-4", account, "ap-r", 2), "application/json").getStatus())
                .isEqualTo(200);

        // Disabled: still verified, kept, but not applied.
        assertThat(API.call(path, ADMIN_TOKEN).delete().getStatus()).isEqualTo(200);
        assertThat(postSigned("secret-r-2", body("r-5", account, "ap-r", 3), "application/json").getStatus())
                .isEqualTo(200);
        assertThat(inboxStatus("r-5")).isEqualTo("UNROUTED");
    }

    @Test
    void refusalsAreJsonWithTheReasonAndNeverRedirects() {
        UUID business = API.createBusiness("Hooky Refusals");
        String account = connect(business, "secret-hooky-2");

        Response forged = postSigned("wrong-secret-000", body("r-1", account, "ap", 1), "application/json");
        assertThat(forged.getStatus()).isEqualTo(401);
        assertThat(forged.getMediaType().toString()).contains("json");
        assertThat(HubApi.json(forged).get("error").asText()).isEqualTo("SIGNATURE_MISMATCH");

        Response unsigned = post("/connectors/hooky/webhook", body("r-2", account, "ap", 1)
                .getBytes(StandardCharsets.UTF_8), "application/json", null);
        assertThat(unsigned.getStatus()).isEqualTo(401);
        assertThat(HubApi.json(unsigned).get("error").asText()).isEqualTo("MISSING_HEADER");

        byte[] big = ("{\"account\":\"" + account + "\",\"pad\":\"" + "x".repeat(5000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Response tooLarge = post("/connectors/hooky/webhook", big, "application/json",
                WebhookSigner.timestampedHeader("secret-hooky-2", Instant.now(), big));
        assertThat(tooLarge.getStatus()).isEqualTo(413);
        assertThat(HubApi.json(tooLarge).get("error").asText()).isEqualTo("BODY_TOO_LARGE");

        Response truncated = postSigned("secret-hooky-2", "{\"account\":\"" + account + "\",\"type\":", "application/json");
        assertThat(truncated.getStatus()).isEqualTo(400);
        assertThat(HubApi.json(truncated).get("error").asText()).isEqualTo("INVALID_INPUT");

        Response unknown = post("/connectors/hooky/webhook/not-a-uuid", "{}".getBytes(StandardCharsets.UTF_8),
                "application/json", null);
        assertThat(unknown.getStatus()).isEqualTo(401);
        assertThat(HubApi.json(unknown).get("error").asText()).isEqualTo("UNKNOWN_ACCOUNT");

        assertThat(post("/connectors/nothing-here/webhook", new byte[0], "application/json", null).getStatus())
                .isEqualTo(404);
    }

    @Test
    void authenticEventsWithTextPostgresCannotStoreAre400SoTheProviderStopsRetrying() {
        UUID business = API.createBusiness("Hooky NUL");
        String account = connect(business, "secret-hooky-nul");
        String appointment = "a-" + UUID.randomUUID();
        for (String eventId : new String[] {"nul\\u0000id", "lone\\ud800"}) {
            Response r = postSigned("secret-hooky-nul", body(eventId, account, appointment, 1), "application/json");
            assertThat(r.getStatus()).as(eventId).isEqualTo(400);
            JsonNode error = HubApi.json(r);
            assertThat(error.get("error").asText()).isEqualTo("INVALID_INPUT");
            assertThat(error.get("message").asText()).contains("event");
        }
        String inData = "{\"id\":\"ok-id-" + UUID.randomUUID() + "\",\"type\":\"appointment.updated\",\"account\":\""
                + account + "\",\"appointment\":\"" + appointment + "\",\"version\":1,\"note\":\"x\\u0000\"}";
        Response data = postSigned("secret-hooky-nul", inData, "application/json");
        assertThat(data.getStatus()).isEqualTo(400);
        assertThat(HubApi.json(data).get("message").asText()).contains("payload");
        long stored = DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM webhook_inbox WHERE business_id = :b")
                .bind("b", business).mapTo(Long.class).one());
        assertThat(stored).isZero();
    }

    @Test
    void adminListsFiltersReprocessesAndIsolatesTenants() throws Exception {
        UUID business = API.createBusiness("Hooky Admin");
        String account = connect(business, "secret-hooky-3");
        UUID other = API.createBusiness("Hooky Other");
        String otherAccount = connect(other, "secret-hooky-4");
        String ownerKey = API.businessAdminKey(business);

        assertThat(postSigned("secret-hooky-3", body("a-ok", account, "ap-ok", 1), "application/json").getStatus())
                .isEqualTo(200);
        assertThat(postSigned("bad-secret-xyz", body("a-bad", account, "ap-bad", 1), "application/json")
                .getStatus()).isEqualTo(401);
        await(() -> "DONE".equals(inboxStatus("a-ok")));

        System.setProperty(FAIL_PROPERTY, "true");
        try {
            assertThat(postSigned("secret-hooky-4", body("o-park", otherAccount, "ap-p", 1), "application/json")
                    .getStatus()).isEqualTo(200);
            await(() -> "PARKED".equals(inboxStatus("o-park")));
        } finally {
            System.clearProperty(FAIL_PROPERTY);
        }

        String base = "/admin/businesses/" + business + "/webhook-events";
        JsonNode all = HubApi.json(API.call(base, ownerKey).get());
        assertThat(all.get("items")).hasSize(2);
        JsonNode refused = HubApi.json(API.call(base + "?status=REFUSED", ownerKey).get());
        assertThat(refused.get("items")).hasSize(1);
        assertThat(refused.get("items").get(0).get("reason").asText()).startsWith("SIGNATURE_MISMATCH");
        assertThat(refused.get("items").get(0).get("httpStatus").asInt()).isEqualTo(401);
        JsonNode done = HubApi.json(API.call(base + "?status=done&connector=hooky", ownerKey).get());
        assertThat(done.get("items")).hasSize(1);
        assertThat(done.get("items").get(0).get("eventId").asText()).isEqualTo("a-ok");
        assertThat(HubApi.json(API.call(base + "?connector=other", ownerKey).get()).get("items")).isEmpty();
        assertThat(HubApi.json(API.call(base + "?to=2000-01-01T00:00:00Z", ownerKey).get()).get("items")).isEmpty();
        JsonNode newest = HubApi.json(API.call(base + "?from=2000-01-01T00:00:00Z&limit=1", ownerKey).get());
        JsonNode older = HubApi.json(API.call(base + "?from=2000-01-01T00:00:00Z&limit=1&cursor="
                + newest.get("next").asText(), ownerKey).get());
        assertThat(older.get("items").get(0).get("id").asLong()).isLessThan(newest.get("items").get(0).get("id").asLong());
        assertThat(API.call(base + "?status=NOPE", ownerKey).get().getStatus()).isEqualTo(400);
        assertThat(API.call(base + "?from=yesterday", ownerKey).get().getStatus()).isEqualTo(400);

        // Tenant isolation: the owner of one business sees nothing of the other, not even that it exists.
        long parkedId = DB.jdbi().withHandle(h -> h.createQuery("SELECT id FROM webhook_inbox WHERE event_id = "
                + "'o-park'").mapTo(Long.class).one());
        assertThat(API.call("/admin/businesses/" + other + "/webhook-events", ownerKey).get().getStatus()).isEqualTo(404);
        assertThat(API.call("/admin/businesses/" + UUID.randomUUID() + "/webhook-events", ADMIN_TOKEN).get()
                .getStatus()).as("unknown business, even for a hub-admin").isEqualTo(404);
        assertThat(API.call("/admin/webhooks/" + parkedId + "/reprocess", ownerKey).post(Entity.json("{}")).getStatus())
                .isEqualTo(404);
        assertThat(API.call("/admin/webhooks/stats", ownerKey).get().getStatus()).isEqualTo(403);
        assertThat(API.call("/admin/webhooks/events", ownerKey).get().getStatus()).isEqualTo(403);

        JsonNode parked = HubApi.json(API.call("/admin/businesses/" + other + "/webhook-events?status=PARKED", ADMIN_TOKEN).get());
        assertThat(parked.get("items").get(0).get("lastError").asText()).contains("PROVIDER_UNAVAILABLE");
        Response reprocess = API.call("/admin/webhooks/" + parkedId + "/reprocess", ADMIN_TOKEN).post(Entity.json("{}"));
        assertThat(reprocess.getStatus()).isEqualTo(200);
        assertThat(HubApi.json(reprocess).get("status").asText()).isEqualTo("PENDING");
        await(() -> "DONE".equals(inboxStatus("o-park")));
        assertThat(appointments(other, 1)).isEqualTo(1);
        assertThat(API.call("/admin/webhooks/" + parkedId + "/reprocess", ADMIN_TOKEN).post(Entity.json("{}")).getStatus())
                .isEqualTo(409);
        assertThat(API.call("/admin/webhooks/999999999/reprocess", ADMIN_TOKEN).post(Entity.json("{}")).getStatus())
                .isEqualTo(404);

        JsonNode stats = HubApi.json(API.call("/admin/webhooks/stats", ADMIN_TOKEN).get());
        assertThat(stats.get("inbox").get("DONE").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(stats.get("deliveriesLastDay").get("REFUSED").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.get("byConnectorLastDay").has("hooky")).isTrue();
        JsonNode everything = HubApi.json(API.call("/admin/webhooks/events?business=" + other, ADMIN_TOKEN).get());
        assertThat(everything.get("items").findValuesAsText("eventId")).contains("o-park");
    }

    /** A webhook connector: Stripe-style signatures, regex "parsing", appointments upserted on apply. */
    static String pluginSource() {
        return """
            package com.example.hooky;

            import io.bookinghub.spi.*;
            import io.bookinghub.spi.sync.RecordSink;
            import io.bookinghub.spi.webhook.*;
            import io.bookinghub.toolkit.webhook.*;
            import io.bookinghub.model.*;
            import java.time.*;
            import java.util.*;
            import java.util.regex.*;

            @org.pf4j.Extension
            public class TestConnectorFactory implements BookingConnectorFactory {
                static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor("hooky", "Hooky", "1.0.0",
                        "Receives webhooks", EnumSet.of(Capability.WEBHOOKS), List.of(
                            ConfigProperty.builder("account", ConfigType.STRING).perConnection().required().description("Account").build(),
                            ConfigProperty.builder("webhookSecret", ConfigType.STRING).perConnection().secret().required()
                                .description("Signing secret").build()));
                static final Pattern ACCOUNT = Pattern.compile("\\"account\\"\\\\s*:\\\\s*\\"([^\\"]+)\\"");

                static Optional<String> field(String body, String name) {
                    Matcher m = Pattern.compile("\\"" + name + "\\"\\\\s*:\\\\s*\\"?([^\\",}]+)\\"?").matcher(body);
                    return m.find() ? Optional.of(m.group(1).trim()) : Optional.empty();
                }

                @Override
                public ConnectorDescriptor descriptor() {
                    return DESCRIPTOR;
                }

                @Override
                public Optional<String> webhookAccountId(WebhookRequest request) {
                    Matcher m = ACCOUNT.matcher(request.bodyAsString());
                    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
                }

                @Override
                public BookingConnector create(ConnectorContext context) {
                    String account = context.config().get("account").orElseThrow();
                    WebhookSignatureVerifier verifier = WebhookVerifierConfig.builder(
                            SignatureScheme.TIMESTAMPED_HMAC).secret("webhookSecret",
                            context.config().get("webhookSecret").orElseThrow()).clock(context.clock()).verifier();
                    WebhookHandler handler = new WebhookHandler() {
                        public String accountId() {
                            return account;
                        }

                        public void verify(WebhookRequest request) throws WebhookVerificationException {
                            verifier.verify(request);
                        }

                        public List<WebhookEvent> parse(WebhookRequest request) {
                            String body = request.bodyAsString().trim();
                            if (!body.startsWith("{") || !body.endsWith("}") || field(body, "type").isEmpty()) {
                                throw new ConnectorException(ErrorCode.INVALID_INPUT, "body is not a JSON event");
                            }
                            return List.of(new WebhookEvent(field(body, "id").orElse(null), field(body, "type").get(),
                                    field(body, "account").orElse(null), null, body));
                        }

                        public void apply(WebhookEvent event, RecordSink sink) {
                            if (Boolean.getBoolean("%s")) {
                                throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "provider is down");
                            }
                            String body = event.payloadJson();
                            Instant start = Instant.parse("2030-01-01T10:00:00Z");
                            sink.upsert(new Appointment(new ExternalRef("hooky", field(body, "appointment").get()), null,
                                    null, List.of(new AppointmentSegment("svc", null, null, start, start.plusSeconds(3600))),
                                    ZoneId.of("UTC"), AppointmentStatus.CONFIRMED, null, null, null, null, null, null,
                                    new ProviderVersion(Long.parseLong(field(body, "version").get()), null), null));
                        }
                    };
                    return new BookingConnector() {
                        public ConnectorDescriptor descriptor() {
                            return DESCRIPTOR;
                        }

                        public WebhookHandler webhooks() {
                            return handler;
                        }

                        // The account's signing secret is the connection's own, so it proves the account.
                        public Optional<String> verifyAccount() {
                            return Optional.of(account);
                        }
                    };
                }
            }
            """.formatted(FAIL_PROPERTY);
    }
}
