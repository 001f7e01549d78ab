package io.bookinghub.connectors.zapier;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.Client;
import io.bookinghub.model.Service;
import io.bookinghub.model.StaffMember;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.sync.RecordSink;
import io.bookinghub.spi.webhook.WebhookEvent;
import io.bookinghub.spi.webhook.WebhookHandler;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import io.bookinghub.toolkit.json.Json;
import io.bookinghub.toolkit.json.JsonFieldException;
import io.bookinghub.toolkit.webhook.WebhookSignatureVerifier;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The inbound webhook of one Zapier/Make connection.
 *
 * <p><b>verify</b> delegates to the configured scheme: a bearer token ({@link BearerTokenVerifier}) or the
 * shared {@code hex-hmac} verifier on {@code hmacHeader}; either accepts {@code sharedSecret} and, during
 * rotation, {@code previousSharedSecret}.
 *
 * <p><b>parse</b>: the body is one JSON object or an array of objects (a batch); each object becomes one event
 * of type {@code <recordKind>.upserted} whose payload is that object. Its event id is the value at
 * {@code eventIdPointer}, prefixed with the business and {@code accountId} because the hub de-duplicates per
 * connector, and ids from different zaps may collide; without a pointer (or a value there) the id is null and
 * the hub de-duplicates on the body's hash. Nothing is mapped yet, so a body the mapping does not fit is still
 * stored.
 *
 * <p><b>apply</b> maps the object with the connection's {@link Mapping} ({@link RecordMapper}) and upserts the
 * records; a field that cannot be mapped fails with INVALID_INPUT naming {@code mapping.<field>} (the hub parks
 * the event, and an admin can fix the mapping and retry). Re-applying an event writes the same records.
 */
final class ZapierWebhookHandler implements WebhookHandler {
    private static final int MAX_EVENT_ID = 200;

    private final String connectorId;
    private final ZapierConfig config;
    private final WebhookSignatureVerifier verifier;
    private final RecordMapper mapper;
    private final ZoneId businessZone;
    private final String eventIdPrefix;

    ZapierWebhookHandler(String connectorId, ZapierConfig config, WebhookSignatureVerifier verifier,
            String businessId, ZoneId businessZone) {
        this.connectorId = requireNonNull(connectorId, "connectorId is null");
        this.config = requireNonNull(config, "config is null");
        this.verifier = requireNonNull(verifier, "verifier is null");
        this.businessZone = requireNonNull(businessZone, "businessZone is null");
        this.mapper = new RecordMapper(connectorId, config, businessZone);
        this.eventIdPrefix = requireNonNull(businessId, "businessId is null") + ":" + config.accountId() + ":";
    }

    /** The configured {@code accountId} (default {@code zapier}): the connector cannot know its connection id. */
    @Override
    public String accountId() {
        return config.accountId();
    }

    @Override
    public void verify(WebhookRequest request) throws WebhookVerificationException {
        verifier.verify(requireNonNull(request, "request is null"));
    }

    @Override
    public List<WebhookEvent> parse(WebhookRequest request) {
        requireNonNull(request, "request is null");
        JsonNode root = read(request.bodyAsString(), "body");
        List<JsonNode> items = new ArrayList<>();
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                if (!root.get(i).isObject()) {
                    throw invalid(connectorId + " webhook body: item " + i + " of the batch is not a JSON object");
                }
                items.add(root.get(i));
            }
        } else if (root.isObject()) {
            items.add(root);
        } else {
            throw invalid(connectorId + " webhook body must be a JSON object or an array of objects");
        }
        List<WebhookEvent> events = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            events.add(new WebhookEvent(eventId(item), config.recordKind().eventType(), config.accountId(),
                    occurredAt(item), item.toString()));
        }
        return List.copyOf(events);
    }

    private String eventId(JsonNode item) {
        if (config.eventIdPointer() == null) {
            return null;
        }
        String id;
        try {
            id = (String) config.eventIdPointer().value(item, businessZone);
        } catch (MappingException e) {
            throw e.toConnectorException(connectorId + " webhook body");
        }
        if (id != null && id.length() > MAX_EVENT_ID) {
            throw invalid(connectorId + " webhook body: " + ZapierConfig.EVENT_ID_POINTER + ": the event id is "
                    + "longer than " + MAX_EVENT_ID + " characters");
        }
        return id == null ? null : eventIdPrefix + id;
    }

    // Informational only: an unreadable updated-at must not make the event unusable here; apply reports it.
    private Instant occurredAt(JsonNode item) {
        if (config.updatedAtPointer() == null) {
            return null;
        }
        try {
            return (Instant) config.updatedAtPointer().value(item, businessZone);
        } catch (MappingException e) {
            return null;
        }
    }

    @Override
    public void apply(WebhookEvent event, RecordSink sink) {
        requireNonNull(event, "event is null");
        requireNonNull(sink, "sink is null");
        String what = connectorId + " event " + (event.eventId() == null ? "(no id)" : abbreviate(event.eventId()));
        if (!event.type().equals(config.recordKind().eventType())) {
            // The connection's recordKind changed after the event was stored; its mapping no longer fits.
            throw invalid(what + " has type " + abbreviate(event.type()) + " but the connection now maps "
                    + config.recordKind().eventType());
        }
        JsonNode item = read(event.payloadJson(), "payload");
        if (!item.isObject()) {
            throw invalid(what + ": the payload is not a JSON object");
        }
        List<Object> records;
        try {
            records = mapper.map(item);
        } catch (MappingException e) {
            throw e.toConnectorException(what);
        }
        for (Object record : records) {
            if (record instanceof Appointment a) {
                sink.upsert(a);
            } else if (record instanceof Client c) {
                sink.upsert(c);
            } else if (record instanceof StaffMember s) {
                sink.upsert(s);
            } else if (record instanceof Service s) {
                sink.upsert(s);
            } else {
                throw new IllegalStateException("unexpected record " + record.getClass());
            }
        }
    }

    private JsonNode read(String text, String what) {
        JsonNode node;
        try {
            node = Json.parse(what, text);
        } catch (JsonFieldException e) {
            throw invalid(connectorId + " webhook " + what + " is " + e.problem());
        }
        if (node.isMissingNode()) {
            throw invalid(connectorId + " webhook " + what + " is empty");
        }
        return node;
    }

    private static String abbreviate(String value) {
        String safe = value.replaceAll("[^A-Za-z0-9_.:@/-]", "?");
        return safe.length() > 80 ? safe.substring(0, 80) + "..." : safe;
    }

    private static ConnectorException invalid(String message) {
        return new ConnectorException(ErrorCode.INVALID_INPUT, message);
    }

    @Override
    public String toString() {
        return "ZapierWebhookHandler[account=" + config.accountId() + ", auth=" + config.authMode() + ", kind="
                + config.recordKind().id() + ", verifier=" + verifier + "]";
    }
}
