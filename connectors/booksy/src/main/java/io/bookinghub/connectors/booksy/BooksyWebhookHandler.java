package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.sync.RecordSink;
import io.bookinghub.spi.webhook.WebhookEvent;
import io.bookinghub.spi.webhook.WebhookHandler;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import io.bookinghub.toolkit.IsoInstants;
import io.bookinghub.toolkit.json.Json;
import io.bookinghub.toolkit.json.JsonFieldException;
import io.bookinghub.toolkit.webhook.SignatureScheme;
import io.bookinghub.toolkit.webhook.WebhookSignatureVerifier;
import io.bookinghub.toolkit.webhook.WebhookVerifierConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Booksy webhooks for one connection.
 *
 * <p><b>Verification</b> delegates to the shared verifier of the configured {@code webhookScheme}
 * (default Standard Webhooks) with {@code webhookSecret} and, during rotation, {@code webhookSecretPrevious};
 * the timestamp tolerance ({@code webhookTolerance}, default 300 s) applies both ways against the
 * connector's clock. Without a secret every request is refused with {@code NO_SECRET}.
 *
 * <p><b>Body</b>: one event per request, {@code {"id","type","business_id","created_at","data":{...}}}.
 * An event naming a different business than this connection's is refused as INVALID_INPUT.
 *
 * <p><b>Event types</b> applied to the shared model:
 * <ul>
 *   <li>{@code appointment.created|updated|cancelled} upsert the appointment (a {@code cancelled} event's
 *       inline record counts as cancelled whatever its status says); when {@code data} holds
 *       nothing but {@code id}, the appointment is read first with {@code GET appointmentPath}
 *       ({@code {id}} replaced, URL-encoded; default {@code /api/v1/appointments/{id}}, a list-style
 *       {@code /api/v1/appointments?id={id}} works too) through the rate-limited client; the answer may be
 *       the record itself, {@code {"data": record}} or {@code {"data": [records]}}, and must hold that id</li>
 *   <li>{@code service.created|updated} upsert, {@code service.deleted} deletes the service</li>
 *   <li>{@code staff.created|updated} upsert, {@code staff.deleted} deletes the staff member</li>
 *   <li>{@code client.created|updated} upsert the client, or delete it when {@code data.deleted} is true;
 *       {@code client.deleted} deletes it</li>
 *   <li>{@code availability.updated} upserts the slot in {@code data}, or every slot of {@code data.slots}</li>
 * </ul>
 * Any other type is acknowledged and ignored (logged), so Booksy adding event types never parks events.
 * Records carry Booksy's {@code version} and {@code updated_at} as their {@link io.bookinghub.model.ProviderVersion},
 * so the hub's sink keeps a late, stale event from overwriting newer state. A record that cannot be
 * mapped fails with INVALID_INPUT carrying the mapper's reason; nothing of the event is written then.
 */
public final class BooksyWebhookHandler implements WebhookHandler {
    private static final Logger LOG = LoggerFactory.getLogger(BooksyWebhookHandler.class);
    private static final int MAX_ID_LENGTH = 255;

    private final BooksyConfig config;
    /** The connection's Booksy business, or null while it is not known (not yet authorized). */
    private final String businessId;
    private final BooksyClient client;
    private final BooksyMapper mapper;
    private final ZoneId businessZone;
    private final WebhookSignatureVerifier verifier;
    private final boolean hasSecret;
    // Strict: trailing bytes after the event would mean the body is not what we think it is.

    /**
     * @throws ConnectorException INVALID_INPUT naming the field when a configured secret is not valid for
     *         the scheme (the message never contains the secret)
     */
    BooksyWebhookHandler(BooksyConfig config, String businessId, BooksyClient client, Clock clock,
            ZoneId businessZone) {
        this.config = requireNonNull(config, "config is null");
        this.businessId = businessId;
        this.client = requireNonNull(client, "client is null");
        this.businessZone = requireNonNull(businessZone, "businessZone is null");
        requireNonNull(clock, "clock is null");
        this.mapper = new BooksyMapper(config.statusMapping(), businessZone);
        // The verifier config names a bad secret by its property, never by position or value.
        this.hasSecret = config.webhookSecret().isPresent() || config.webhookSecretPrevious().isPresent();
        this.verifier = WebhookVerifierConfig.builder(SignatureScheme.fromConfigName(config.webhookScheme()))
                .secret(BooksyConfig.WEBHOOK_SECRET, config.webhookSecret().orElse(null))
                .secret(BooksyConfig.WEBHOOK_SECRET_PREVIOUS, config.webhookSecretPrevious().orElse(null))
                .headerName(config.webhookSignatureHeader().orElse(null))
                .tolerance(config.webhookTolerance()).clock(clock).verifier();
    }

    @Override
    public String accountId() {
        return businessId;
    }

    @Override
    public void verify(WebhookRequest request) throws WebhookVerificationException {
        requireNonNull(request, "request is null");
        if (!hasSecret) {
            throw new WebhookVerificationException(WebhookVerificationException.Reason.NO_SECRET,
                    "Booksy connection for business " + businessId + " has no webhookSecret");
        }
        verifier.verify(request);
    }

    @Override
    public List<WebhookEvent> parse(WebhookRequest request) {
        requireNonNull(request, "request is null");
        JsonNode root = readObject(request.bodyAsString(), "body");
        JsonNode type = root.path("type");
        if (!type.isTextual() || type.asText().isBlank()) {
            throw invalid("Booksy webhook body has no type");
        }
        if (type.asText().length() > 255) {
            throw invalid("Booksy webhook type is longer than 255 characters");
        }
        String eventId = scalarId(root.path("id"));
        String named = scalarId(root.path("business_id"));
        if (this.businessId == null || named != null && !named.equals(this.businessId)) {
            throw invalid("Booksy webhook " + describe(eventId, type.asText()) + " is for another business ("
                    + (named == null ? "none named" : abbreviate(named)) + "), not " + this.businessId);
        }
        return List.of(new WebhookEvent(eventId, type.asText(), this.businessId,
                occurredAt(root.path("created_at")), root.toString()));
    }

    @Override
    public void apply(WebhookEvent event, RecordSink sink) {
        requireNonNull(event, "event is null");
        requireNonNull(sink, "sink is null");
        JsonNode root = readObject(event.payloadJson(), "payload");
        String what = describe(event.eventId(), event.type());
        JsonNode data = root.path("data");
        try {
            switch (event.type()) {
                case "appointment.created", "appointment.updated" ->
                        sink.upsert(mapper.appointment(isIdOnly(data) ? fetchAppointment(data, what) : data(data, what)));
                // The record read back is the provider's current state; an inline record is what the event says,
                // and a cancellation event whose record still says otherwise is a cancellation.
                case "appointment.cancelled" -> sink.upsert(mapper.appointment(isIdOnly(data)
                        ? fetchAppointment(data, what) : cancelled(data(data, what))));
                case "service.created", "service.updated" -> sink.upsert(mapper.service(data(data, what)));
                case "service.deleted" -> sink.delete(RecordKind.SERVICE, requiredId(data, what));
                case "staff.created", "staff.updated" -> sink.upsert(mapper.staff(data(data, what)));
                case "staff.deleted" -> sink.delete(RecordKind.STAFF_MEMBER, requiredId(data, what));
                case "client.created", "client.updated" -> {
                    if (data.path("deleted").isBoolean() && data.path("deleted").booleanValue()) {
                        sink.delete(RecordKind.CLIENT, requiredId(data, what));
                    } else {
                        sink.upsert(mapper.client(data(data, what)));
                    }
                }
                case "client.deleted" -> sink.delete(RecordKind.CLIENT, requiredId(data, what));
                case "availability.updated" -> {
                    // Map every slot before writing any, so a bad slot leaves the event unapplied as a whole.
                    List<AvailabilitySlot> slots = new ArrayList<>();
                    for (JsonNode slot : slotNodes(data(data, what))) {
                        slots.add(mapper.slot(slot, businessZone));
                    }
                    slots.forEach(sink::upsert);
                }
                default -> LOG.info("Booksy webhook {} ignored: event type not handled", safe(what));
            }
        } catch (BooksyMappingException e) {
            throw invalid("Booksy webhook " + what + ": " + e.kind() + " "
                    + (e.externalId() == null ? "" : e.externalId() + " ") + "cannot be mapped: " + e.reason());
        }
    }

    private JsonNode cancelled(JsonNode appointment) {
        if (!appointment.isObject() || mapper.isCancelled(appointment.path("status").asText(""))) {
            return appointment;
        }
        ObjectNode copy = ((ObjectNode) appointment).deepCopy();
        copy.put("status", "cancelled");
        return copy;
    }

    private JsonNode fetchAppointment(JsonNode data, String what) {
        String id = requiredId(data, what);
        String path = config.appointmentPathPattern().replace(BooksyConfig.ID_PLACEHOLDER,
                URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
        JsonNode body = client.get(path, Map.of());
        JsonNode record = body.path("data").isObject() ? body.path("data") : body;
        if (body.path("data").isArray()) {
            // A list-endpoint pattern such as /api/v1/appointments?id={id}.
            record = MissingNode.getInstance();
            for (JsonNode item : body.path("data")) {
                if (id.equals(scalarId(item.path("id")))) {
                    record = item;
                    break;
                }
            }
        }
        if (!id.equals(scalarId(record.path("id")))) {
            throw new ConnectorException(ErrorCode.PROVIDER_ERROR,
                    "Booksy GET " + path + " did not return appointment " + id + " (webhook " + what + ")");
        }
        return record;
    }

    private static List<JsonNode> slotNodes(JsonNode data) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode slots = data.path("slots");
        if (slots.isArray()) {
            slots.forEach(out::add);
        } else {
            out.add(data);
        }
        return out;
    }

    private static boolean isIdOnly(JsonNode data) {
        return data.isObject() && data.size() == 1 && data.has("id");
    }

    private static JsonNode data(JsonNode data, String what) {
        if (!data.isObject()) {
            throw invalid("Booksy webhook " + what + " has no data object");
        }
        return data;
    }

    private static String requiredId(JsonNode data, String what) {
        String id = scalarId(data(data, what).path("id"));
        if (id == null) {
            throw invalid("Booksy webhook " + what + " has no data.id");
        }
        return id;
    }

    /** A string or integral id, or null when absent, blank or absurdly long. */
    static String scalarId(JsonNode node) {
        if (node == null || !(node.isTextual() || node.isIntegralNumber())) {
            return null;
        }
        String id = node.asText();
        return id.isBlank() || id.length() > MAX_ID_LENGTH ? null : id;
    }

    // Informational only: an unparseable created_at must not make an otherwise good event unusable.
    private static Instant occurredAt(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return IsoInstants.parseOffsetDateTime(node.asText());
        } catch (DateTimeException e) {
            return null;
        }
    }

    private JsonNode readObject(String text, String what) {
        JsonNode node;
        try {
            node = Json.parse(what, text);
        } catch (JsonFieldException e) {
            throw invalid("Booksy webhook " + what + " is " + e.problem());
        }
        if (!node.isObject()) {
            throw invalid("Booksy webhook " + what + " is not a JSON object");
        }
        return node;
    }

    private static String describe(String eventId, String type) {
        return (eventId == null ? "(no id)" : abbreviate(eventId)) + " (" + abbreviate(type) + ")";
    }

    private static String safe(String text) {
        return text.replaceAll("[^A-Za-z0-9_.() -]", "?");
    }

    private static String abbreviate(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }

    private static ConnectorException invalid(String message) {
        return new ConnectorException(ErrorCode.INVALID_INPUT, message);
    }

    @Override
    public String toString() {
        return "BooksyWebhookHandler[business=" + businessId + ", scheme=" + config.webhookScheme()
                + ", secrets=" + (config.webhookSecret().isPresent() ? 1 : 0)
                + (config.webhookSecretPrevious().isPresent() ? "+1" : "") + "]";
    }
}
