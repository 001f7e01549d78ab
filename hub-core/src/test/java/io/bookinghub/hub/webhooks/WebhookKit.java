package io.bookinghub.hub.webhooks;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.metrics.HubMetrics;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.hub.tracing.HubTracing;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.sync.RecordSink;
import io.bookinghub.spi.webhook.WebhookEvent;
import io.bookinghub.spi.webhook.WebhookHandler;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookRoute;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import io.bookinghub.testkit.MutableClock;
import io.bookinghub.toolkit.webhook.SignatureScheme;
import io.bookinghub.toolkit.webhook.WebhookSignatureVerifier;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import io.bookinghub.toolkit.webhook.WebhookVerifierConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;

/**
 * A webhook subsystem on a real database with an in-test connector ("acme"): Stripe-style signatures
 * from connector-api, JSON events {@code {"id","type","account","appointment":{"id","version","note"}}},
 * and applies counted per event.
 */
final class WebhookKit {
    static final String CONNECTOR = "acme";
    static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    final Jdbi jdbi;
    final MutableClock clock = new MutableClock(T0);
    final WebhooksConfig config = new WebhooksConfig();
    final Map<UUID, String> secrets = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> applies = new ConcurrentHashMap<>();
    final AtomicReference<RuntimeException> applyFailure = new AtomicReference<>();
    /** What apply throws for one event id (any Throwable, e.g. an Error a plugin may raise). */
    final Map<String, Throwable> eventFailures = new ConcurrentHashMap<>();
    final MetricRegistry metrics = new MetricRegistry();
    final HubMetrics hubMetrics = HubMetrics.create();
    /** Applies of these event ids wait for their latch (at most a minute) before doing anything. */
    final Map<String, CountDownLatch> applyGates = new ConcurrentHashMap<>();
    /** Event ids whose apply has started, counted per start. */
    final Map<String, AtomicInteger> applyStarts = new ConcurrentHashMap<>();
    /** What creating a connection's handler throws (e.g. a secret sealed with a key the hub lacks). */
    final Map<UUID, RuntimeException> handlerFailures = new ConcurrentHashMap<>();
    final AtomicInteger verifierCreations = new AtomicInteger();
    final Factory factory = new Factory();
    final WebhooksFeature webhooks;

    WebhookKit(Jdbi jdbi) {
        this(jdbi, c -> { });
    }

    WebhookKit(Jdbi jdbi, java.util.function.Consumer<WebhooksConfig> configure) {
        this.jdbi = jdbi;
        config.setInitialBackoff(io.dropwizard.util.Duration.seconds(10));
        config.setMaxAttempts(3);
        config.setWorkerThreads(2);
        config.setPollInterval(io.dropwizard.util.Duration.milliseconds(20));
        // Tests post hundreds of events to one connection at one instant of the test clock; the tests of
        // the intake limit turn it on.
        config.setIntakePerConnectionPerSecond(0);
        configure.accept(config);
        webhooks = new WebhooksFeature(jdbi, clock, config, connectors(),
                new RecordStore(jdbi, clock),
                metrics, hubMetrics, HubTracing.noop());
        webhooks.startWriter();
    }

    WebhookConnectors connectors() {
        return new WebhookConnectors() {
            @Override
            public Optional<BookingConnectorFactory> factory(String connectorId) {
                return CONNECTOR.equals(connectorId) ? Optional.of(factory) : Optional.empty();
            }

            @Override
            public HandlerRef handler(ConnectionRow row) {
                RuntimeException failure = handlerFailures.get(row.id());
                if (failure != null) {
                    throw failure;
                }
                String secret = secrets.get(row.id());
                if (secret == null) {
                    throw new ConnectorException(ErrorCode.INVALID_INPUT, "webhookSecret is required");
                }
                return new HandlerRef(new Handler(row.accountId(), secret), () -> { });
            }
        };
    }

    // Fixtures ---------------------------------------------------------------------------------------

    UUID business() {
        UUID id = UUID.randomUUID();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO businesses (id, name, time_zone, created_at, updated_at) "
                + "VALUES (:id, 'Salon', 'Europe/Warsaw', now(), now())").bind("id", id).execute());
        return id;
    }

    /** A connection of {@code business} to acme for {@code account}, whose webhook secret is {@code secret}. */
    UUID connection(UUID business, String account, String secret, boolean enabled) {
        UUID id = UUID.randomUUID();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO connections (id, business_id, connector_id, enabled, status, "
                + "account_id, created_at, updated_at) VALUES (:id, :b, :c, :enabled, :status, :a, now(), now())")
                .bind("id", id).bind("b", business).bind("c", CONNECTOR).bind("enabled", enabled)
                .bind("status", enabled ? "ACTIVE" : "DISABLED").bind("a", account).execute());
        secrets.put(id, secret);
        return id;
    }

    static String event(String id, String type, String account, String appointment, long version, String note) {
        Map<String, Object> appt = new LinkedHashMap<>();
        appt.put("id", appointment);
        appt.put("version", version);
        appt.put("note", note);
        Map<String, Object> body = new LinkedHashMap<>();
        if (id != null) {
            body.put("id", id);
        }
        body.put("type", type);
        body.put("account", account);
        body.put("appointment", appt);
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, List<String>> signed(String secret, Instant at, byte[] body) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("Webhook-Signature", List.of(WebhookSigner.timestampedHeader(secret, at, body)));
        return headers;
    }

    WebhookIntake.Reply post(String body, Map<String, List<String>> headers) {
        return post(null, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    WebhookIntake.Reply post(UUID connectionId, byte[] body, Map<String, List<String>> headers) {
        return webhooks.intake().receive(CONNECTOR, connectionId, headers, new ByteArrayInputStream(body));
    }

    /** Signs {@code body} with {@code secret} now and posts it on the shared route. */
    WebhookIntake.Reply postSigned(String secret, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return post(null, bytes, signed(secret, clock.instant(), bytes));
    }

    int applyStarts(String eventId) {
        AtomicInteger n = applyStarts.get(eventId);
        return n == null ? 0 : n.get();
    }

    int applies(String eventId) {
        AtomicInteger n = applies.get(eventId);
        return n == null ? 0 : n.get();
    }

    List<Map<String, Object>> rows(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapToMap().list());
    }

    long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    void close() throws InterruptedException {
        webhooks.stopWriter();
    }

    // The test connector ------------------------------------------------------------------------------

    final class Factory implements BookingConnectorFactory {
        final ConnectorDescriptor descriptor = new ConnectorDescriptor(CONNECTOR, "Acme", "1.0.0", "test",
                EnumSet.of(Capability.WEBHOOKS), List.of());

        /** How acme declares its webhooks are routed; tests of routing change it. */
        volatile WebhookRoute route = WebhookRoute.byAccount();

        @Override
        public ConnectorDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public WebhookRoute webhookRoute() {
            return route;
        }

        @Override
        public BookingConnector create(ConnectorContext context) {
            throw new UnsupportedOperationException("the kit hands out handlers directly");
        }

        @Override
        public Optional<String> webhookAccountId(WebhookRequest request) {
            try {
                JsonNode root = JSON.readTree(request.body());
                JsonNode account = (root.isArray() ? root.path(0) : root).get("account");
                return account == null || !account.isTextual() ? Optional.empty() : Optional.of(account.asText());
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    final class Handler implements WebhookHandler {
        private final String accountId;
        private final WebhookSignatureVerifier verifier;

        Handler(String accountId, String secret) {
            this.accountId = accountId;
            verifierCreations.incrementAndGet();
            this.verifier = WebhookVerifierConfig.builder(SignatureScheme.TIMESTAMPED_HMAC)
                    .secret("webhookSecret", secret).tolerance(Duration.ofMinutes(5)).clock(clock).verifier();
        }

        @Override
        public String accountId() {
            return accountId;
        }

        @Override
        public void verify(WebhookRequest request) throws WebhookVerificationException {
            verifier.verify(request);
        }

        @Override
        public List<WebhookEvent> parse(WebhookRequest request) {
            JsonNode root;
            try {
                root = JSON.readTree(request.body());
            } catch (IOException e) {
                throw new ConnectorException(ErrorCode.INVALID_INPUT, "body is not JSON");
            }
            List<JsonNode> items = new ArrayList<>();
            if (root != null && root.isArray()) {
                root.forEach(items::add);
            } else if (root != null && root.isObject()) {
                items.add(root);
            } else {
                throw new ConnectorException(ErrorCode.INVALID_INPUT, "body is not a JSON object");
            }
            List<WebhookEvent> events = new ArrayList<>();
            for (JsonNode item : items) {
                if (!item.hasNonNull("type")) {
                    throw new ConnectorException(ErrorCode.INVALID_INPUT, "event has no type");
                }
                events.add(new WebhookEvent(item.hasNonNull("id") ? item.get("id").asText() : null,
                        item.get("type").asText(), item.hasNonNull("account") ? item.get("account").asText() : null,
                        null, item.toString()));
            }
            return events;
        }

        @Override
        public void apply(WebhookEvent event, RecordSink sink) {
            if (event.eventId() != null) {
                applyStarts.computeIfAbsent(event.eventId(), k -> new AtomicInteger()).incrementAndGet();
                CountDownLatch gate = applyGates.get(event.eventId());
                try {
                    if (gate != null && !gate.await(1, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("gate of " + event.eventId() + " never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted at the gate");
                }
            }
            RuntimeException failure = applyFailure.get();
            if (failure != null) {
                throw failure;
            }
            Throwable eventFailure = event.eventId() == null ? null : eventFailures.get(event.eventId());
            if (eventFailure instanceof Error error) {
                throw error;
            } else if (eventFailure != null) {
                throw (RuntimeException) eventFailure;
            }
            applies.computeIfAbsent(event.eventId() == null ? event.payloadJson() : event.eventId(),
                    k -> new AtomicInteger()).incrementAndGet();
            JsonNode appt;
            try {
                appt = JSON.readTree(event.payloadJson()).get("appointment");
            } catch (IOException e) {
                throw new ConnectorException(ErrorCode.INVALID_INPUT, "payload is not JSON");
            }
            Instant start = T0.plus(Duration.ofDays(1));
            sink.upsert(new Appointment(new ExternalRef(CONNECTOR, appt.get("id").asText()), null, null,
                    List.of(new AppointmentSegment("svc", null, "staff", start, start.plus(Duration.ofHours(1)))),
                    ZoneId.of("Europe/Warsaw"), AppointmentStatus.CONFIRMED, "confirmed", null, null,
                    appt.get("note").asText(), null, null, new ProviderVersion(appt.get("version").asLong(), null),
                    event.payloadJson()));
        }
    }
}
