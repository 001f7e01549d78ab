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
import io.bookinghub.toolkit.http.ProviderHttp;
import io.bookinghub.toolkit.http.ProviderRequest;
import io.bookinghub.toolkit.http.RequestAuth;
import io.bookinghub.toolkit.json.Json;
import io.bookinghub.toolkit.json.JsonFieldException;
import io.bookinghub.toolkit.paging.JsonPages;
import io.bookinghub.toolkit.paging.Page;
import io.bookinghub.toolkit.sync.SyncPages;
import io.bookinghub.toolkit.sync.UpdatedSinceCursor;
import io.bookinghub.toolkit.webhook.SignatureScheme;
import io.bookinghub.toolkit.webhook.WebhookSignatureVerifier;
import io.bookinghub.toolkit.webhook.WebhookVerifierConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** One salon's connection: the sync and the webhook handler. Thread-safe: it keeps no mutable state. */
final class ExampleConnector implements BookingConnector, WebhookHandler {
    private static final Map<String, AppointmentStatus> STATUSES = Map.of("booked", AppointmentStatus.BOOKED,
            "confirmed", AppointmentStatus.CONFIRMED, "cancelled", AppointmentStatus.CANCELLED,
            "no_show", AppointmentStatus.NO_SHOW, "completed", AppointmentStatus.COMPLETED);

    private final ProviderHttp http;
    private final WebhookSignatureVerifier verifier;
    private final ConnectorContext context;

    ExampleConnector(ConnectorContext context) {
        this.context = context;
        this.http = ProviderHttp.builder(context, "Example", context.config().string("baseUrl"))
                .auth(RequestAuth.header("X-Api-Key", context.config().string("apiKey"))).build();
        this.verifier = WebhookVerifierConfig.builder(SignatureScheme.HEX_HMAC).headerName("X-Signature")
                .signaturePrefix("").secret("webhookSecret", context.config().string("webhookSecret")).verifier();
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return ExampleConnectorFactory.DESCRIPTOR;
    }

    @Override
    public SyncResult sync(SyncRequest request, SyncSink sink) {
        UpdatedSinceCursor cursor = UpdatedSinceCursor.of(sink, "bookings", request.mode());
        boolean complete = SyncPages.write(list("/services", null), sink, RecordKind.SERVICE, "services",
                        s -> sink.upsert(service(s)))
                && SyncPages.write(list("/staff", null), sink, RecordKind.STAFF_MEMBER, "staff",
                        s -> sink.upsert(staff(s)))
                && SyncPages.write(list("/bookings", cursor.since().map(Object::toString).orElse(null)), sink,
                        RecordKind.APPOINTMENT, "bookings", cursor, "updated_at", b -> upsertBooking(b, sink));
        return complete ? SyncResult.completed() : SyncResult.partial("cancelled");
    }

    /** Every page of a list; {@code updatedAfter} null (a full read) leaves the filter out. */
    private Stream<Page<JsonNode, Integer>> list(String path, String updatedAfter) {
        return JsonPages.numbered(http, ProviderRequest.get(path).query("updated_after", updatedAfter), "page",
                "per_page", 100, "data", "next_page");
    }

    private void upsertBooking(JsonNode booking, RecordSink sink) {
        client(booking).ifPresent(sink::upsert);
        sink.upsert(appointment(booking));
    }

    /** The provider has no "who am I": check that the key works, and bind the account the salon configured. */
    @Override
    public Optional<String> verifyAccount() {
        http.json(ProviderRequest.get("/staff").list().query("per_page", "1"));
        return Optional.of(context.config().string("accountId"));
    }

    @Override
    public WebhookHandler webhooks() {
        return this;
    }

    @Override
    public String accountId() {
        return context.config().string("accountId");
    }

    @Override
    public void verify(WebhookRequest request) throws WebhookVerificationException {
        verifier.verify(request);
    }

    /** Whatever parse() throws, the hub refuses the delivery with a 4xx, so the provider stops resending it. */
    @Override
    public List<WebhookEvent> parse(WebhookRequest request) {
        JsonNode body = Json.object(request.bodyAsString());
        JsonNode booking = Json.optionalObject(body, "booking").orElseThrow(() -> new JsonFieldException("booking",
                "missing"));
        return List.of(new WebhookEvent(null, Json.text(body, "event"), Json.text(body, "account_id"), null,
                booking.toString()));
    }

    /** Idempotent: the same event again is an unchanged upsert, and an older one loses on its version. */
    @Override
    public void apply(WebhookEvent event, RecordSink sink) {
        try {
            upsertBooking(Json.object(event.payloadJson()), sink);
        } catch (JsonFieldException | IllegalArgumentException e) {
            // INVALID_INPUT parks the event at once: the same payload would fail the same way on every retry.
            throw new ConnectorException(ErrorCode.INVALID_INPUT, "booking " + e.getMessage());
        }
    }

    private static Service service(JsonNode s) {
        Money price = Json.optionalText(s, "price").map(p -> Money.of(p, Json.text(s, "currency"))).orElse(null);
        return Service.builder(ref(Json.id(s, "id")), Json.text(s, "name")).variant(new ServiceVariant(Json.id(s, "id"),
                null, Duration.ofMinutes(Json.longValue(s, "duration_minutes")), price)).rawJson(s.toString()).build();
    }

    private static StaffMember staff(JsonNode s) {
        return StaffMember.builder(ref(Json.id(s, "id")), Json.text(s, "name"))
                .email(Json.optionalText(s, "email").orElse(null)).rawJson(s.toString()).build();
    }

    /** A walk-in has no provider id: it is known by its e-mail or phone, or not written at all. */
    private static Optional<Client> client(JsonNode booking) {
        return Json.optionalObject(booking, "client").flatMap(c -> clientId(c).map(id -> Client.builder(ref(id),
                Json.text(c, "name")).email(Json.optionalText(c, "email").orElse(null))
                .phone(Json.optionalText(c, "phone").orElse(null)).rawJson(c.toString()).build()));
    }

    private static Optional<String> clientId(JsonNode c) {
        return Json.optionalText(c, "id").or(() -> Client.derivedExternalId(Json.optionalText(c, "email").orElse(null),
                Json.optionalText(c, "phone").orElse(null)));
    }

    /** Times arrive with an offset: the instant is exact, and the zone is the business's own. */
    private Appointment appointment(JsonNode b) {
        String status = Json.text(b, "status");
        AppointmentStatus mapped = Optional.ofNullable(STATUSES.get(status))
                .orElseThrow(() -> new JsonFieldException("status", "unknown value '" + Json.abbreviate(status) + "'"));
        return Appointment.builder(ref(Json.id(b, "id")))
                .clientExternalId(Json.optionalObject(b, "client").flatMap(ExampleConnector::clientId).orElse(null))
                .segment(AppointmentSegment.builder(Json.instant(b, "start"), Json.instant(b, "end"))
                        .serviceExternalId(Json.id(b, "service_id")).staffExternalId(Json.id(b, "staff_id")).build())
                .timeZone(context.businessTimeZone()).status(mapped).providerStatus(status)
                .version(new ProviderVersion(Json.longValue(b, "version"), Json.instant(b, "updated_at")))
                .rawJson(b.toString()).build();
    }

    private static ExternalRef ref(String id) {
        return new ExternalRef(ID, id);
    }
}
