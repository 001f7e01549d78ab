package io.bookinghub.connectors.example;

import static io.bookinghub.connectors.example.ExampleConnectorFactory.ID;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Money;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.ServiceVariant;
import io.bookinghub.model.StaffMember;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.sync.RecordSink;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.sync.SyncResult;
import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.spi.webhook.WebhookEvent;
import io.bookinghub.spi.webhook.WebhookHandler;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import io.bookinghub.spi.webhook.signature.HexHmacVerifier;
import io.bookinghub.spi.webhook.signature.WebhookSignatureVerifier;
import io.bookinghub.toolkit.http.ProviderHttp;
import io.bookinghub.toolkit.http.ProviderRequest;
import io.bookinghub.toolkit.http.RequestAuth;
import io.bookinghub.toolkit.json.Json;
import io.bookinghub.toolkit.json.JsonFieldException;
import io.bookinghub.toolkit.paging.JsonPages;
import io.bookinghub.toolkit.paging.Pages;
import io.bookinghub.toolkit.sync.UpdatedSinceCursor;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** One salon's connection: the sync and the webhook handler. Thread-safe: it keeps no mutable state. */
final class ExampleConnector implements BookingConnector, WebhookHandler {
    private static final Map<String, AppointmentStatus> STATUSES = Map.of("booked", AppointmentStatus.BOOKED,
            "confirmed", AppointmentStatus.CONFIRMED, "cancelled", AppointmentStatus.CANCELLED_BY_BUSINESS,
            "no_show", AppointmentStatus.NO_SHOW, "completed", AppointmentStatus.COMPLETED);

    private final ProviderHttp http;
    private final WebhookSignatureVerifier verifier;
    private final ZoneId businessZone;
    private final ConnectorConfig config;

    ExampleConnector(ConnectorContext context) {
        this.config = context.config();
        this.http = ProviderHttp.builder(context, "Example", config.string("baseUrl"))
                .auth(RequestAuth.header("X-Api-Key", config.string("apiKey"))).build();
        this.verifier = new HexHmacVerifier(List.of(config.string("webhookSecret")), "X-Signature");
        this.businessZone = context.businessTimeZone();
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return ExampleConnectorFactory.DESCRIPTOR;
    }

    @Override
    public SyncResult sync(SyncRequest request, SyncSink sink) {
        UpdatedSinceCursor cursor = UpdatedSinceCursor.of(sink, "bookings", request.mode());
        ProviderRequest bookings = ProviderRequest.get("/bookings")
                .query("updated_after", cursor.since().map(Object::toString).orElse(null));
        readAll(ProviderRequest.get("/services"), RecordKind.SERVICE, sink, s -> sink.upsert(service(s)));
        readAll(ProviderRequest.get("/staff"), RecordKind.STAFF_MEMBER, sink, s -> sink.upsert(staff(s)));
        readAll(bookings, RecordKind.APPOINTMENT, sink, b -> cursor.seen(upsertBooking(b, sink)));
        if (sink.cancelled()) {
            return SyncResult.partial("cancelled");
        }
        cursor.save();
        return SyncResult.completed();
    }

    /** Every page of a list, until the run is cancelled; a record that cannot be mapped is skipped. */
    private void readAll(ProviderRequest list, RecordKind kind, SyncSink sink, Consumer<JsonNode> write) {
        Pages.stream(1, n -> JsonPages.numbered(n, http.json(list.list().query("page", n.toString())
                .query("per_page", config.string("pageSize"))), "data", "next_page"))
                .takeWhile(page -> !sink.cancelled()).forEach(page -> {
                    for (JsonNode item : page.items()) {
                        try {
                            write.accept(item);
                        } catch (JsonFieldException | IllegalArgumentException e) {
                            sink.skipped(kind, item.path("id").asText(null), e.getMessage());
                        }
                    }
                    sink.progress(list.path(), page.position(), -1);
                });
    }

    /** @return the booking's updated_at, the incremental cursor's measure */
    private Instant upsertBooking(JsonNode booking, RecordSink sink) {
        client(booking).ifPresent(sink::upsert);
        sink.upsert(appointment(booking));
        return Json.instant(booking, "updated_at");
    }

    @Override
    public WebhookHandler webhooks() {
        return this;
    }

    @Override
    public String accountId() {
        return config.string("accountId");
    }

    @Override
    public void verify(WebhookRequest request) throws WebhookVerificationException {
        // TODO(SPI: signaturePrefix("")): the provider sends bare hex; the verifier wants "sha256=<hex>".
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        headers.computeIfPresent("x-signature", (k, v) -> v.stream().map(s -> "sha256=" + s).toList());
        verifier.verify(new WebhookRequest(request.body(), headers));
    }

    @Override
    public List<WebhookEvent> parse(WebhookRequest request) {
        return invalidInput(() -> {
            JsonNode body = json(request.bodyAsString());
            return List.of(new WebhookEvent(null, Json.text(body, "event"), Json.text(body, "account_id"), null,
                    Json.optionalObject(body, "booking").orElseThrow(() -> new JsonFieldException("booking", "missing"))
                            .toString()));
        });
    }

    /** Idempotent: applying the same event again is an unchanged upsert; an older one loses on its version. */
    @Override
    public void apply(WebhookEvent event, RecordSink sink) {
        invalidInput(() -> upsertBooking(json(event.payloadJson()), sink));
    }

    private static JsonNode json(String text) {
        return Json.parseContainer(text).orElseThrow(() -> new JsonFieldException("body", "not JSON"));
    }

    /** A webhook the connector cannot read will not become readable on a retry: INVALID_INPUT parks it. */
    private static <T> T invalidInput(Supplier<T> mapping) {
        try {
            return mapping.get();
        } catch (JsonFieldException | IllegalArgumentException e) {
            throw new ConnectorException(ErrorCode.INVALID_INPUT, "webhook " + e.getMessage());
        }
    }

    private static Service service(JsonNode s) {
        String id = Json.id(s, "id");
        Money price = Json.optionalText(s, "price").map(p -> Money.of(p, Json.text(s, "currency"))).orElse(null);
        ServiceVariant only = new ServiceVariant(id, null, Duration.ofMinutes(Json.longValue(s, "duration_minutes")),
                price);
        return new Service(ref(id), Json.text(s, "name"), null, null, List.of(only), true, null, s.toString());
    }

    private static StaffMember staff(JsonNode s) {
        return new StaffMember(ref(Json.id(s, "id")), Json.text(s, "name"), Json.optionalText(s, "email").orElse(null),
                null, null, true, s.toString());
    }

    /** The booking's client, keyed by the provider's id or, for a walk-in without one, by its e-mail or phone. */
    private static Optional<Client> client(JsonNode booking) {
        return Json.optionalObject(booking, "client").flatMap(c -> clientId(c).map(id -> new Client(ref(id),
                Json.text(c, "name"), Json.optionalText(c, "email").orElse(null),
                Json.optionalText(c, "phone").orElse(null), version(booking), c.toString())));
    }

    private static Optional<String> clientId(JsonNode c) {
        return Json.optionalText(c, "id").or(() -> Json.optionalText(c, "email")
                .map(e -> "email:" + e.trim().toLowerCase(Locale.ROOT)))
                .or(() -> Json.optionalText(c, "phone").map(p -> "phone:" + p.replaceAll("[^+0-9]", "")));
    }

    /** Times arrive with an offset: the instant is exact, and the zone is the business's own. */
    private Appointment appointment(JsonNode b) {
        String status = Json.text(b, "status");
        AppointmentStatus mapped = STATUSES.get(status);
        if (mapped == null) {
            throw new JsonFieldException("status", "unknown value '" + Json.abbreviate(status) + "'");
        }
        String serviceId = Json.id(b, "service_id");
        AppointmentSegment segment = new AppointmentSegment(serviceId, serviceId, Json.id(b, "staff_id"),
                Json.instant(b, "start"), Json.instant(b, "end"));
        String client = Json.optionalObject(b, "client").flatMap(ExampleConnector::clientId).orElse(null);
        return new Appointment(ref(Json.id(b, "id")), client, null, List.of(segment), businessZone, mapped, status,
                null, null, null, null, null, version(b), b.toString());
    }

    private static ProviderVersion version(JsonNode b) {
        return new ProviderVersion(Json.longValue(b, "version"), Json.instant(b, "updated_at"));
    }

    private static ExternalRef ref(String id) {
        return new ExternalRef(ID, id);
    }
}
