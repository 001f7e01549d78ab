package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.booking.AvailabilityQuery;
import io.bookinghub.spi.booking.BookingClient;
import io.bookinghub.spi.booking.Bookings;
import io.bookinghub.spi.booking.CancelBooking;
import io.bookinghub.spi.booking.CreateBooking;
import io.bookinghub.spi.booking.RescheduleBooking;
import io.bookinghub.spi.booking.WriteKey;
import io.bookinghub.toolkit.paging.Page;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Booksy's side of two-way booking, on the guide's assumed REST endpoints (all configurable): book with
 * {@code POST createAppointmentPath}, move with {@code PATCH rescheduleAppointmentPath}, cancel with
 * {@code POST cancelAppointmentPath}, each once (never retried here) with the hub's idempotency key in
 * {@code idempotencyKeyHeader} and the expected version in {@code If-Match}; a booking carries the hub's client
 * reference in {@code clientReferenceField}, and the appointments list filtered by that field finds it again.
 * Every call goes through the connection's rate limiter and audit like the reads.
 */
final class BooksyBookings implements Bookings {
    private final BooksyConfig config;
    private final BooksyClient client;
    private final Supplier<String> businessId;
    private final ZoneId zone;

    BooksyBookings(BooksyConfig config, BooksyClient client, Supplier<String> businessId, ZoneId zone) {
        this.config = requireNonNull(config, "config is null");
        this.client = requireNonNull(client, "client is null");
        this.businessId = requireNonNull(businessId, "businessId is null");
        this.zone = requireNonNull(zone, "zone is null");
    }

    @Override
    public List<AvailabilitySlot> searchAvailability(AvailabilityQuery query) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("business_id", businessId.get());
        q.put("service_id", query.serviceExternalId());
        if (query.staffExternalId() != null) {
            q.put("staff_id", query.staffExternalId());
        }
        // Booksy's availability is by local date: every day the window touches, then trimmed to the window.
        q.put("date_from", LocalDate.ofInstant(query.from(), zone).toString());
        q.put("date_to", LocalDate.ofInstant(query.to(), zone).toString());
        BooksyMapper mapper = mapper();
        List<AvailabilitySlot> slots = new ArrayList<>();
        for (Page<JsonNode, Integer> page : client.pages(config.path(BooksyConfig.AVAILABILITY_PATH), q)) {
            for (JsonNode item : page.items()) {
                AvailabilitySlot slot = map(() -> mapper.slot(item, zone));
                if (!slot.start().isBefore(query.from()) && slot.start().isBefore(query.to())) {
                    slots.add(slot);
                }
            }
        }
        return slots;
    }

    @Override
    public Appointment create(CreateBooking request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("business_id", businessId.get());
        body.put("service_id", request.serviceExternalId());
        putIfPresent(body, "variant_id", request.variantExternalId());
        putIfPresent(body, "staff_id", request.staffExternalId());
        body.put("start", local(request.start()));
        BookingClient who = request.client();
        if (who.externalId() != null) {
            body.put("client_id", who.externalId());
        } else {
            ObjectNode c = body.putObject("client");
            int space = who.name().lastIndexOf(' ');
            c.put("first_name", space < 0 ? who.name() : who.name().substring(0, space));
            c.put("last_name", space < 0 ? "" : who.name().substring(space + 1));
            putIfPresent(c, "email", who.email());
            putIfPresent(c, "phone", who.phone());
        }
        putIfPresent(body, "client_note", request.notes());
        body.put(config.clientReferenceField(), request.key().clientReference());
        return appointment(client.write("POST", config.path(BooksyConfig.CREATE_APPOINTMENT_PATH), body,
                headers(request.key(), null)));
    }

    @Override
    public Appointment reschedule(RescheduleBooking request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("start", local(request.start()));
        putIfPresent(body, "staff_id", request.staffExternalId());
        return appointment(client.write("PATCH", config.pathFor(BooksyConfig.RESCHEDULE_APPOINTMENT_PATH,
                request.appointmentExternalId()), body, headers(request.key(), request.expectedVersion())));
    }

    @Override
    public Appointment cancel(CancelBooking request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        putIfPresent(body, "reason", request.reason());
        body.put("cancelled_by", request.by() == CancelBooking.CancelledBy.CLIENT ? "client" : "business");
        return appointment(client.write("POST", config.pathFor(BooksyConfig.CANCEL_APPOINTMENT_PATH,
                request.appointmentExternalId()), body, headers(request.key(), request.expectedVersion())));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Only an item whose reference field really equals {@code clientReference} counts, so a Booksy that ignored
     * the filter and listed other appointments is not taken for a match.
     */
    @Override
    public Optional<Appointment> lookupByClientReference(String clientReference) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("business_id", businessId.get());
        q.put(config.clientReferenceField(), requireNonNull(clientReference, "clientReference is null"));
        JsonNode body = client.get(config.path(BooksyConfig.APPOINTMENTS_PATH), q);
        for (JsonNode item : body.path("data")) {
            if (clientReference.equals(item.path(config.clientReferenceField()).asText(null))) {
                return Optional.of(appointment(item));
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<Appointment> appointment(String externalId) {
        try {
            JsonNode body = client.get(config.pathFor(BooksyConfig.APPOINTMENT_PATH, externalId), Map.of());
            return Optional.of(appointment(body.path("data").isObject() ? body.path("data") : body));
        } catch (ConnectorException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Map<String, String> headers(WriteKey key, Long expectedVersion) {
        Map<String, String> headers = new LinkedHashMap<>();
        config.idempotencyKeyHeader().ifPresent(h -> headers.put(h, key.idempotencyKey()));
        if (expectedVersion != null) {
            headers.put("If-Match", "\"" + expectedVersion + "\"");
        }
        return headers;
    }

    private Appointment appointment(JsonNode node) {
        BooksyMapper mapper = mapper();
        return map(() -> mapper.appointment(node));
    }

    private BooksyMapper mapper() {
        return new BooksyMapper(config.statusMapping(), zone);
    }

    private String local(Instant instant) {
        return OffsetDateTime.ofInstant(instant, zone).toString();
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    @FunctionalInterface
    private interface Mapping<T> {
        T map() throws BooksyMappingException;
    }

    /** Booksy answered a write with something the hub cannot read: the outcome is unknown, not refused. */
    private static <T> T map(Mapping<T> mapping) {
        try {
            return mapping.map();
        } catch (BooksyMappingException e) {
            throw new ConnectorException(ErrorCode.PROVIDER_ERROR, "Booksy answered with an unreadable "
                    + e.kind() + ": " + e.reason());
        }
    }
}
