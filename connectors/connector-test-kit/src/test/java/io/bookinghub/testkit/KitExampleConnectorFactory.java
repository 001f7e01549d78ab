package io.bookinghub.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.ServiceVariant;
import io.bookinghub.model.StaffMember;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.ConfigType;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.http.OutboundRequest;
import io.bookinghub.spi.http.OutboundResponse;
import io.bookinghub.spi.sync.RecordSink;
import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.sync.SyncResult;
import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.spi.webhook.WebhookEvent;
import io.bookinghub.spi.webhook.WebhookHandler;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import io.bookinghub.spi.webhook.WebhookVerificationException.Reason;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The kit's own connector for the example provider of the connector guide (API key header, paged services, staff
 * and bookings with {@code updated_after}, hex HMAC-SHA256 webhooks routed by {@code account_id}), written directly
 * on the SPI, with switchable {@link Mutant mutants}: each is a bug an author could make, and each must make the
 * kit check that guards against it fail ({@code KitExampleMutantsTest}).
 */
final class KitExampleConnectorFactory implements BookingConnectorFactory {
    static final String ID = "kit-example";

    enum Mutant {
        /** An incremental sync sends no updated_after and re-reads everything. */
        INCREMENTAL_IGNORES_CURSOR,
        /** Only page 1 of each list is read, and the run is reported complete. */
        FIRST_PAGE_ONLY,
        /** verify() accepts a request without the signature header. */
        ACCEPTS_MISSING_SIGNATURE,
        /** No provider version: an older event overwrites a newer one. */
        NO_PROVIDER_VERSION,
        /** Every booking is mapped to CONFIRMED. */
        EVERYTHING_CONFIRMED,
        /** The UTC offset of start and end is dropped (local times read as UTC). */
        OFFSET_DROPPED,
        /** webhookAccountId() answers empty, so the shared webhook route never reaches the connection. */
        NO_WEBHOOK_ACCOUNT_ID,
        /** A 503 or 429 is not retried. */
        NO_RETRY,
        /** A body that is not JSON escapes as IllegalStateException. */
        UNMAPPED_PARSE_ERRORS,
        /** SyncSink.cancelled() is never read. */
        IGNORES_CANCEL,
        /** A run's records are collected in a field shared by every call and written when the run ends. */
        SHARED_PAGE_STATE,
        /** apply() stamps the business note with the clock, so applying an event twice rewrites it. */
        APPLY_NOT_IDEMPOTENT,
        /** disconnect() throws IllegalStateException. */
        DISCONNECT_THROWS,
        /** The API key is also sent as a query parameter, where URLs carry it into logs. */
        KEY_IN_URL
    }

    static final String SIGNATURE_HEADER = "X-Signature";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<Mutant> mutants;
    private final ConnectorDescriptor descriptor = new ConnectorDescriptor(ID, "Kit example", "1.0.0",
            "The example provider of the connector guide, for the kit's own tests.",
            EnumSet.of(Capability.API_KEY_AUTH, Capability.FULL_SYNC, Capability.INCREMENTAL_SYNC,
                    Capability.WEBHOOKS),
            List.of(ConfigProperty.builder("baseUrl", ConfigType.URL).required().endpoint()
                            .description("The provider's API base URL (set by the operator)").build(),
                    ConfigProperty.builder("apiKey", ConfigType.STRING).required().secret().perConnection()
                            .description("API key sent as X-Api-Key").build(),
                    ConfigProperty.builder("accountId", ConfigType.STRING).required().perConnection()
                            .description("The provider account whose webhooks this connection receives").build(),
                    ConfigProperty.builder("webhookSecret", ConfigType.STRING).required().secret().perConnection()
                            .description("Webhook signing secret").build(),
                    ConfigProperty.builder("pageSize", ConfigType.INTEGER).defaultValue("50")
                            .description("Records asked for per page").build(),
                    ConfigProperty.builder("maxAttempts", ConfigType.INTEGER).defaultValue("3")
                            .description("Attempts per request on 429 and 5xx").build()));

    KitExampleConnectorFactory(Set<Mutant> mutants) {
        this.mutants = mutants.isEmpty() ? EnumSet.noneOf(Mutant.class) : EnumSet.copyOf(mutants);
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public BookingConnector create(ConnectorContext context) {
        return new Connector(context);
    }

    @Override
    public Optional<String> webhookAccountId(WebhookRequest request) {
        if (mutants.contains(Mutant.NO_WEBHOOK_ACCOUNT_ID)) {
            return Optional.empty();
        }
        try {
            JsonNode account = JSON.readTree(request.body()).path("account_id");
            return account.isTextual() ? Optional.of(account.asText()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The example provider's signature: lower-case hex HMAC-SHA256 of the raw body. */
    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private final class Connector implements BookingConnector {
        private final ConnectorContext context;
        private final String baseUrl;
        private final String apiKey;
        private final int pageSize;
        private final int maxAttempts;
        private final List<Map.Entry<String, JsonNode>> pending = Collections.synchronizedList(new ArrayList<>());

        Connector(ConnectorContext context) {
            this.context = context;
            this.baseUrl = context.config().string("baseUrl").replaceAll("/+$", "");
            this.apiKey = context.config().string("apiKey");
            this.pageSize = (int) context.config().integer("pageSize");
            this.maxAttempts = (int) context.config().integer("maxAttempts");
        }

        @Override
        public ConnectorDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public SyncResult sync(SyncRequest request, SyncSink sink) {
            String cursor = request.mode() == SyncMode.INCREMENTAL && !mutants.contains(Mutant.INCREMENTAL_IGNORES_CURSOR)
                    ? sink.cursor("bookings").orElse(null) : null;
            Instant[] newest = {cursor == null ? null : Instant.parse(cursor)};
            Map<String, Consumer<JsonNode>> writers = Map.of(
                    "/services", n -> sink.upsert(service(n)),
                    "/staff", n -> sink.upsert(staff(n)),
                    "/bookings", n -> {
                        sink.upsert(appointment(n, null));
                        Instant updated = OffsetDateTime.parse(n.path("updated_at").asText()).toInstant();
                        newest[0] = newest[0] == null || updated.isAfter(newest[0]) ? updated : newest[0];
                    });
            boolean shared = mutants.contains(Mutant.SHARED_PAGE_STATE);
            if (shared) {
                pending.clear();
            }
            for (String path : List.of("/services", "/staff", "/bookings")) {
                Consumer<JsonNode> write = shared ? n -> pending.add(Map.entry(path, n)) : writers.get(path);
                if (!readAll(path, path.equals("/bookings") ? cursor : null, sink, write)) {
                    return SyncResult.partial("cancelled");
                }
            }
            if (shared) {
                List<Map.Entry<String, JsonNode>> collected;
                synchronized (pending) {
                    collected = List.copyOf(pending);
                    pending.clear();
                }
                collected.forEach(e -> writers.get(e.getKey()).accept(e.getValue()));
            }
            if (newest[0] != null) {
                sink.saveCursor("bookings", newest[0].toString());
            }
            return SyncResult.completed();
        }

        // False when the sink asked the run to stop.
        private boolean readAll(String path, String updatedAfter, SyncSink sink, Consumer<JsonNode> each) {
            int page = 1;
            while (true) {
                if (sink.cancelled() && !mutants.contains(Mutant.IGNORES_CANCEL)) {
                    return false;
                }
                String query = path + "?page=" + page + "&per_page=" + pageSize
                        + (updatedAfter == null ? "" : "&updated_after=" + encode(updatedAfter))
                        + (mutants.contains(Mutant.KEY_IN_URL) ? "&api_key=" + encode(apiKey) : "");
                JsonNode body = get(query);
                JsonNode data = body.path("data");
                if (!data.isArray()) {
                    throw new ConnectorException(ErrorCode.PROVIDER_ERROR, path + ": the answer has no data array");
                }
                for (JsonNode item : data) {
                    try {
                        each.accept(item);
                    } catch (RuntimeException e) {
                        sink.skipped(kindOf(path), item.path("id").asText(null), e.getClass().getSimpleName());
                    }
                }
                JsonNode next = body.path("next_page");
                if (!next.isInt() || mutants.contains(Mutant.FIRST_PAGE_ONLY)) {
                    return true;
                }
                page = next.asInt();
            }
        }

        private RecordKind kindOf(String path) {
            return switch (path) {
                case "/services" -> RecordKind.SERVICE;
                case "/staff" -> RecordKind.STAFF_MEMBER;
                default -> RecordKind.APPOINTMENT;
            };
        }

        private JsonNode get(String pathAndQuery) {
            OutboundRequest request = new OutboundRequest("GET", URI.create(baseUrl + pathAndQuery),
                    Map.of("X-Api-Key", List.of(apiKey), "Accept", List.of("application/json")), null,
                    Duration.ofSeconds(5), Duration.ofSeconds(20));
            for (int attempt = 1; ; attempt++) {
                OutboundResponse response;
                try {
                    response = context.http().send(request);
                } catch (IOException e) {
                    if (attempt < maxAttempts) {
                        continue;
                    }
                    throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "provider unreachable: "
                            + e.getClass().getSimpleName());
                }
                int status = response.status();
                if (status == 200) {
                    return json(response);
                }
                boolean retryable = status == 429 || status >= 500;
                if (retryable && attempt < maxAttempts && !mutants.contains(Mutant.NO_RETRY)) {
                    pause(response, attempt);
                    continue;
                }
                ErrorCode code = switch (status) {
                    case 401, 403 -> ErrorCode.AUTH_REQUIRED;
                    case 404 -> ErrorCode.NOT_FOUND;
                    case 429 -> ErrorCode.RATE_LIMITED;
                    default -> status >= 500 ? ErrorCode.PROVIDER_UNAVAILABLE : ErrorCode.PROVIDER_ERROR;
                };
                throw new ConnectorException(code, "provider answered HTTP " + status + " to "
                        + pathAndQuery.replaceAll("\\?.*", ""));
            }
        }

        private JsonNode json(OutboundResponse response) {
            try {
                if (!response.firstHeader("Content-Type").orElse("").startsWith("application/json")) {
                    throw new IOException("not JSON: " + response.firstHeader("Content-Type").orElse("no type"));
                }
                return JSON.readTree(response.body());
            } catch (IOException e) {
                if (mutants.contains(Mutant.UNMAPPED_PARSE_ERRORS)) {
                    throw new IllegalStateException(e);
                }
                throw new ConnectorException(ErrorCode.PROVIDER_ERROR, "the provider's answer is not valid JSON");
            }
        }

        // Retry-After in seconds when given (capped: a test must not wait long), else a short growing pause.
        private void pause(OutboundResponse response, int attempt) {
            long millis = response.firstHeader("Retry-After").map(s -> Long.parseLong(s.trim()) * 1000)
                    .orElse(50L * attempt);
            try {
                Thread.sleep(Math.min(millis, 2000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "interrupted while waiting to retry");
            }
        }

        private Service service(JsonNode n) {
            String id = n.path("id").asText();
            return new Service(new ExternalRef(ID, id), n.path("name").asText(), null, null,
                    List.of(new ServiceVariant(id, n.path("name").asText(),
                            Duration.ofMinutes(n.path("duration_minutes").asLong(30)), null)),
                    true, ProviderVersion.UNKNOWN, null);
        }

        private StaffMember staff(JsonNode n) {
            return new StaffMember(new ExternalRef(ID, n.path("id").asText()), n.path("name").asText(),
                    n.path("email").asText(null), null, null, true, null);
        }

        private Appointment appointment(JsonNode n, String note) {
            AppointmentStatus status = switch (n.path("status").asText()) {
                case "booked" -> AppointmentStatus.BOOKED;
                case "confirmed" -> AppointmentStatus.CONFIRMED;
                case "cancelled" -> AppointmentStatus.CANCELLED_BY_BUSINESS;
                case "no_show" -> AppointmentStatus.NO_SHOW;
                case "completed" -> AppointmentStatus.COMPLETED;
                default -> throw new IllegalArgumentException("unknown status");
            };
            if (mutants.contains(Mutant.EVERYTHING_CONFIRMED)) {
                status = AppointmentStatus.CONFIRMED;
            }
            ProviderVersion version = mutants.contains(Mutant.NO_PROVIDER_VERSION) ? ProviderVersion.UNKNOWN
                    : new ProviderVersion(n.path("version").asLong(),
                            OffsetDateTime.parse(n.path("updated_at").asText()).toInstant());
            JsonNode client = n.path("client");
            return new Appointment(new ExternalRef(ID, n.path("id").asText()), client.path("id").asText(null), null,
                    List.of(new AppointmentSegment(n.path("service_id").asText(null), null,
                            n.path("staff_id").asText(null), time(n.path("start").asText()),
                            time(n.path("end").asText()))),
                    context.businessTimeZone(), status, n.path("status").asText(), null, null, note, null, null,
                    version, null);
        }

        private Instant time(String text) {
            return mutants.contains(Mutant.OFFSET_DROPPED)
                    ? LocalDateTime.parse(text.substring(0, 19)).toInstant(ZoneOffset.UTC)
                    : OffsetDateTime.parse(text).toInstant();
        }

        @Override
        public WebhookHandler webhooks() {
            String secret = context.config().string("webhookSecret");
            String account = context.config().string("accountId");
            return new WebhookHandler() {
                @Override
                public String accountId() {
                    return account;
                }

                @Override
                public void verify(WebhookRequest request) throws WebhookVerificationException {
                    List<String> given = request.headerValues(SIGNATURE_HEADER);
                    if (given.isEmpty()) {
                        if (mutants.contains(Mutant.ACCEPTS_MISSING_SIGNATURE)) {
                            return;
                        }
                        throw new WebhookVerificationException(Reason.MISSING_HEADER, SIGNATURE_HEADER + " is missing");
                    }
                    if (given.size() > 1) {
                        throw new WebhookVerificationException(Reason.REPEATED_HEADER, SIGNATURE_HEADER
                                + " is repeated");
                    }
                    byte[] expected = sign(secret, request.body()).getBytes(StandardCharsets.US_ASCII);
                    if (!MessageDigest.isEqual(expected, given.get(0).trim().toLowerCase()
                            .getBytes(StandardCharsets.US_ASCII))) {
                        throw new WebhookVerificationException(Reason.SIGNATURE_MISMATCH, SIGNATURE_HEADER
                                + " does not match the body");
                    }
                }

                @Override
                public List<WebhookEvent> parse(WebhookRequest request) {
                    try {
                        JsonNode root = JSON.readTree(request.body());
                        JsonNode booking = root.path("booking");
                        if (!booking.isObject() || !root.path("event").isTextual()) {
                            throw new IOException("no event or booking");
                        }
                        return List.of(new WebhookEvent(null, root.path("event").asText(),
                                root.path("account_id").asText(null), null, booking.toString()));
                    } catch (IOException e) {
                        throw new ConnectorException(ErrorCode.INVALID_INPUT, "not an example webhook");
                    }
                }

                @Override
                public void apply(WebhookEvent event, RecordSink sink) {
                    try {
                        String note = mutants.contains(Mutant.APPLY_NOT_IDEMPOTENT)
                                ? "applied at " + context.clock().instant() : null;
                        sink.upsert(appointment(JSON.readTree(event.payloadJson()), note));
                    } catch (IOException e) {
                        throw new ConnectorException(ErrorCode.INVALID_INPUT, "the event's booking is not JSON");
                    }
                }
            };
        }

        @Override
        public void disconnect() {
            if (mutants.contains(Mutant.DISCONNECT_THROWS)) {
                throw new IllegalStateException("not connected");
            }
        }

        private String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }
}
