package io.bookinghub.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.hub.HubApplication;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.auth.ApiKeys;
import io.bookinghub.hub.auth.Role;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.lifecycle.Managed;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.sourceforge.argparse4j.inf.Namespace;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code demo config.yml}: starts a Booksy sandbox beside the hub, then drives the hub through its own
 * HTTP API exactly as an admin would: creates a business, enables Booksy, completes the OAuth flow
 * against the sandbox, runs a full sync and prints what arrived; then, as an app with an app key, books, moves and
 * cancels one appointment in the sandbox's calendar through the hub. The hub keeps serving afterwards.
 */
final class DemoCommand extends ServerCommand<HubConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    private static final String BUSINESS_NAME = "Studio Anna (demo)";

    private final HubApplication application;
    private final ObjectMapper json = new ObjectMapper();
    /** Started in the first {@code run}, used in the second: the command runs once per process. */
    private BooksySandbox sandbox;
    private String webhookSecret;

    DemoCommand(HubApplication application) {
        super(application, "demo", "Run the hub with a Booksy sandbox: connect, sync, print, keep serving");
        this.application = application;
    }

    /**
     * Starts the sandbox before the hub is wired, because the hub builds its outbound policy while it is: the
     * hub refuses http and loopback destinations unless an operator allow-lists them, and the demo is that
     * operator for its own sandbox, and for nothing else.
     */
    @Override
    protected void run(Bootstrap<HubConfiguration> bootstrap, Namespace namespace, HubConfiguration configuration)
            throws Exception {
        int hubPort = applicationPort(configuration);
        byte[] webhookKey = new byte[32];
        new SecureRandom().nextBytes(webhookKey);
        webhookSecret = "whsec_" + Base64.getEncoder().encodeToString(webhookKey);
        sandbox = BooksySandbox.builder()
                .port(0)
                .allowLocalhostRedirects(true)
                .accessTokenTtl(Duration.ofMinutes(5))
                .webhookTarget(URI.create("http://localhost:" + hubPort + "/connectors/booksy/webhook"), webhookSecret)
                .build()
                .start();
        configuration.getOutbound().allowAlso(URI.create(sandbox.baseUrl()).getAuthority());
        try {
            super.run(bootstrap, namespace, configuration);
        } catch (Exception | Error e) {
            sandbox.close();
            throw e;
        }
    }

    @Override
    protected void run(Environment environment, Namespace namespace, HubConfiguration configuration)
            throws Exception {
        int hubPort = applicationPort(configuration);
        BooksySandbox started = sandbox;
        String secret = webhookSecret;
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                started.close();
            }
        });
        environment.lifecycle().addServerLifecycleListener(server -> {
            Thread demo = new Thread(() -> drive(server, hubPort, started, secret), "demo");
            demo.setDaemon(true);
            demo.start();
        });
        super.run(environment, namespace, configuration);
    }

    private static int applicationPort(HubConfiguration configuration) {
        if (configuration.getServerFactory() instanceof DefaultServerFactory factory
                && factory.getApplicationConnectors().get(0) instanceof HttpConnectorFactory http) {
            return http.getPort();
        }
        throw new IllegalStateException("demo needs an http application connector with a fixed port");
    }

    private void drive(Server server, int port, BooksySandbox sandbox, String webhookSecret) {
        try {
            new Walkthrough(port, application.apiKeys().issue("demo", Role.HUB_ADMIN, null), sandbox, webhookSecret)
                    .run();
        } catch (Exception e) {
            LOG.error("Demo walkthrough failed: {}", e.toString(), e);
            System.out.println("\nThe demo walkthrough failed: " + e.getMessage()
                    + "\nThe hub keeps running; see the log above.");
        }
    }

    /** The admin's steps, through the hub's public HTTP API. */
    private final class Walkthrough {
        private final String base;
        private final ApiKeys.IssuedKey key;
        private final BooksySandbox sandbox;
        private final String webhookSecret;
        // Plays the admin's browser, cookie jar included: the OAuth callback needs the cookie start set.
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();

        Walkthrough(int port, ApiKeys.IssuedKey key, BooksySandbox sandbox, String webhookSecret) {
            this.base = "http://localhost:" + port;
            this.key = key;
            this.sandbox = sandbox;
            this.webhookSecret = webhookSecret;
        }

        void run() throws Exception {
            String businessId = findOrCreateBusiness();
            say("1. Business '%s' (%s)", BUSINESS_NAME, businessId);

            // As the operator: the hub's Booksy app registration, pointing at the sandbox.
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("apiBaseUrl", sandbox.baseUrl());
            settings.put("clientId", BooksySandbox.DEMO_CLIENT_ID);
            settings.put("clientSecret", BooksySandbox.DEMO_CLIENT_SECRET);
            settings.put("redirectUri", base + "/connectors/booksy/oauth/callback");
            settings.put("webhookSecret", webhookSecret);
            call("PUT", "/admin/connectors/booksy/settings", Map.of("settings", settings), 200);
            // As the salon: its own connection, naming its Booksy business.
            Map<String, Object> config = Map.of("businessId", BooksySandbox.BUSINESS_ID);
            JsonNode connection = call("PUT", "/admin/businesses/" + businessId + "/connections/booksy",
                    Map.of("config", config, "syncInterval", "PT5M"), 200);
            say("2. Booksy enabled for the business (status %s, sandbox at %s)", connection.get("status").asText(),
                    sandbox.baseUrl());

            JsonNode start = call("GET", "/connectors/booksy/oauth/start?business=" + businessId + "&format=json",
                    null, 200);
            HttpResponse<String> authorize = http.send(HttpRequest.newBuilder(
                    URI.create(start.get("authorizationUrl").asText())).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String callback = authorize.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException(
                    "sandbox did not redirect back (HTTP " + authorize.statusCode() + ")"));
            HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(callback))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (done.statusCode() != 200) {
                throw new IllegalStateException("OAuth callback answered HTTP " + done.statusCode());
            }
            say("3. OAuth 2.0 + PKCE completed against the sandbox; tokens stored encrypted");

            JsonNode run = call("POST", "/admin/businesses/" + businessId + "/connections/booksy/sync?wait=true",
                    Map.of("mode", "FULL"), 200);
            say("4. Full sync %s: %s created, %s updated, %s unchanged, %s skipped", run.get("status").asText(),
                    run.path("createdCount").asText(), run.path("updatedCount").asText(),
                    run.path("unchangedCount").asText(), run.path("skippedCount").asText());

            JsonNode counts = call("GET", "/admin/businesses/" + businessId + "/record-counts", null, 200);
            say("5. In the shared model now: %s", counts);
            JsonNode appointments = call("GET", "/admin/businesses/" + businessId + "/appointments?limit=5&from="
                    + Instant.now().minus(Duration.ofDays(1)), null, 200);
            for (JsonNode a : appointments.get("items")) {
                say("     %s  %-22s %-10s %s", a.path("start").asText(), a.path("status").asText(),
                        a.path("externalId").asText(), a.path("clientName").asText(""));
            }
            showWebhook(businessId);
            bookMoveAndCancel(businessId);
            System.out.printf("%nThe hub keeps serving on %s. A hub-admin key for exploring the API (shown once):"
                    + "%n%n   %s%n%n   curl -H 'Authorization: Bearer <key>' %s/admin/businesses/%s/appointments%n"
                    + "%n   or sign in with it to the console: %s/console/businesses/%s%n%n",
                    base, key.token(), base, businessId, base, businessId);
        }

        /**
         * Two-way booking as an app does it, with an app key: a live free slot, booked, moved and cancelled in the
         * sandbox's calendar through the hub, each write with its own Idempotency-Key; then the command log.
         */
        private void bookMoveAndCancel(String businessId) throws Exception {
            JsonNode app = call("POST", "/admin/api-keys", Map.of("name", "demo booking app", "role", "app",
                    "businessIds", List.of(businessId), "scopes", List.of("read", "write")), 201);
            String appKey = app.get("token").asText();
            String v1 = "/v1/businesses/" + businessId;
            String service = sandbox.serviceIds().get(0);
            ZoneId zone = ZoneId.of("Europe/Warsaw");
            OffsetDateTime from = LocalDate.now(zone).plusDays(1).atStartOfDay(zone).toOffsetDateTime();
            JsonNode slots = call(appKey, "GET", v1 + "/availability?live=true&limit=200&service=" + service
                    + "&from=" + encode(from.toString()) + "&to=" + encode(from.plusDays(3).toString()), null, null,
                    null, 200).get("items");
            if (slots.isEmpty()) {
                say("7. No free slot for %s in the next days; nothing booked", service);
                return;
            }
            JsonNode first = slots.get(0);
            String staff = first.get("staffExternalId").asText();
            Map<String, Object> booking = new LinkedHashMap<>();
            booking.put("service", service);
            booking.put("staff", staff);
            booking.put("start", first.get("start").asText());
            booking.put("client", Map.of("name", "Demo Client", "phone", "+48 600 000 001"));
            booking.put("notes", "booked through the hub");
            JsonNode booked = call(appKey, "POST", v1 + "/appointments", UUID.randomUUID().toString(), null, booking,
                    201);
            say("7. Booked through the hub: %s at %s with %s, status %s (Booksy %s, version %s)",
                    service, booked.get("start").asText(), staff, booked.get("status").asText(),
                    booked.get("externalId").asText(), booked.get("providerVersion").asText());
            String later = null;
            for (JsonNode slot : slots) {
                if (slot.get("staffExternalId").asText().equals(staff)
                        && Instant.parse(slot.get("start").asText()).isAfter(Instant.parse(booked.get("end").asText()))) {
                    later = slot.get("start").asText();
                    break;
                }
            }
            String id = booked.get("id").asText();
            JsonNode current = booked;
            if (later != null) {
                current = call(appKey, "POST", v1 + "/appointments/" + id + "/reschedule",
                        UUID.randomUUID().toString(), "\"" + booked.get("providerVersion").asText() + "\"",
                        Map.of("start", later), 200);
                say("8. Moved to %s (version %s)", current.get("start").asText(),
                        current.get("providerVersion").asText());
            }
            JsonNode cancelled = call(appKey, "POST", v1 + "/appointments/" + id + "/cancel",
                    UUID.randomUUID().toString(), "\"" + current.get("providerVersion").asText() + "\"",
                    Map.of("reason", "Demo over", "by", "client"), 200);
            say("9. Cancelled: %s; Booksy now says %s", cancelled.get("status").asText(),
                    sandbox.appointment(booked.get("externalId").asText()).map(a -> a.path("status").asText())
                            .orElse("?"));
            JsonNode commands = call("GET", "/admin/businesses/" + businessId + "/commands?limit=3", null, 200);
            for (JsonNode c : commands.get("items")) {
                say("     command %-10s %-10s %s", c.get("kind").asText(), c.get("state").asText(),
                        c.get("idempotencyKey").asText());
            }
        }

        /** A change at the provider reaches the hub as a signed webhook, without a sync. */
        private void showWebhook(String businessId) throws Exception {
            String appointment = sandbox.appointmentIds().get(0);
            sandbox.cancelAppointment(appointment, true, "Client cancelled in the demo");
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode events = call("GET", "/admin/businesses/" + businessId + "/webhook-events?limit=5", null, 200);
                for (JsonNode event : events.path("items")) {
                    if ("DONE".equals(event.path("status").asText())) {
                        say("6. Booksy cancelled %s; its signed webhook %s was verified, stored and applied (%s)",
                                appointment, event.path("eventType").asText(),
                                event.path("status").asText());
                        return;
                    }
                }
                Thread.sleep(250);
            }
            say("6. The sandbox's webhook for %s has not been applied yet; see GET /admin/businesses/%s/webhook-events",
                    appointment, businessId);
        }

        private String findOrCreateBusiness() throws Exception {
            JsonNode list = call("GET", "/admin/businesses?limit=500", null, 200);
            for (JsonNode b : list.get("items")) {
                if (BUSINESS_NAME.equals(b.get("name").asText())) {
                    return b.get("id").asText();
                }
            }
            return call("POST", "/admin/businesses", Map.of("name", BUSINESS_NAME, "timeZone", "Europe/Warsaw"), 201)
                    .get("id").asText();
        }

        private JsonNode call(String method, String path, Object body, int expected) throws Exception {
            return call(key.token(), method, path, null, null, body, expected);
        }

        /** A call with {@code token}, and an Idempotency-Key and If-Match when not null. */
        private JsonNode call(String token, String method, String path, String idempotencyKey, String ifMatch,
                Object body, int expected) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .timeout(Duration.ofMinutes(5));
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            if (ifMatch != null) {
                request.header("If-Match", ifMatch);
            }
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path.replaceAll("\\?.*", "") + " answered HTTP "
                        + response.statusCode() + ": " + response.body());
            }
            return json.readTree(response.body());
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }

        private void say(String format, Object... args) {
            System.out.println(String.format(format, args));
        }
    }
}
