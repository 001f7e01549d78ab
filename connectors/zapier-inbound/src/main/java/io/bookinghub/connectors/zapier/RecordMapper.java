package io.bookinghub.connectors.zapier;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Cancellation;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Money;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.Service;
import io.bookinghub.model.ServiceVariant;
import io.bookinghub.model.StaffMember;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns one posted object into model records with a connection's {@link Mapping}. Pure and thread-safe.
 *
 * <p><b>appointment</b>: one segment from {@code start} to {@code end}, or to {@code start + durationMinutes}
 * when {@code end} has no value; {@code status} defaults to BOOKED, {@code providerStatus} to the posted status
 * text, {@code timeZone} to the business's zone; {@code cancellationReason} is kept only for a cancelled
 * status. The client, staff member and service are referenced by {@code clientExternalId},
 * {@code staffExternalId} and {@code serviceExternalId}, or by keys derived from the posted names
 * ({@code email:<lower-case email>} or {@code name:<lower-case name>} for clients, {@code name:<...>} for staff
 * and services), which are the keys client and service zaps without ids use too. When a client name (or staff
 * name) is posted, the client (staff member) is upserted as well, before the appointment.
 *
 * <p><b>client</b>: {@code externalId}, or the derived key; {@code name} is required.
 *
 * <p><b>service</b>: {@code externalId}, or {@code name:<...>}; one variant {@code default} with
 * {@code durationMinutes} and {@code price}; {@code active} defaults to true.
 *
 * <p>Appointments, clients and services carry the posted {@code versionPointer} / {@code updatedAtPointer}
 * values as their {@link ProviderVersion}, so the hub refuses a late, older post. The raw JSON of the object
 * is kept on the main record.
 */
final class RecordMapper {
    private static final int MAX_ID = 255;
    private static final String P = Mapping.PREFIX;

    private final String connectorId;
    private final ZapierConfig config;
    private final ZoneId businessZone;

    RecordMapper(String connectorId, ZapierConfig config, ZoneId businessZone) {
        this.connectorId = requireNonNull(connectorId, "connectorId is null");
        this.config = requireNonNull(config, "config is null");
        this.businessZone = requireNonNull(businessZone, "businessZone is null");
    }

    /**
     * The records for one posted object, in the order they are to be upserted; all of them are mapped before
     * any is returned, so a bad field leaves nothing half-written.
     */
    List<Object> map(JsonNode item) throws MappingException {
        requireNonNull(item, "item is null");
        return switch (config.recordKind()) {
            case APPOINTMENT -> appointment(item);
            case CLIENT -> List.of(client(item));
            case SERVICE -> List.of(service(item));
        };
    }

    private List<Object> appointment(JsonNode item) throws MappingException {
        Mapping m = config.mapping();
        String id = id("externalId", m.required("externalId", item, businessZone, String.class));
        Instant start = m.required("start", item, businessZone, Instant.class);
        Instant end = m.value("end", item, businessZone, Instant.class);
        String endField = "end";
        if (end == null) {
            endField = "durationMinutes";
            Long minutes = m.value("durationMinutes", item, businessZone, Long.class);
            if (minutes == null) {
                throw new MappingException(P + (m.has("end") ? "end" : "durationMinutes"), "the posted object has "
                        + "no value for end or durationMinutes; an appointment needs one of them");
            }
            end = start.plus(positiveMinutes("durationMinutes", minutes));
        }
        if (!end.isAfter(start)) {
            throw new MappingException(P + endField, "the end is not after the start");
        }
        AppointmentStatus status = m.value("status", item, businessZone, AppointmentStatus.class);
        status = status == null ? AppointmentStatus.BOOKED : status;
        String providerStatus = m.has("providerStatus") ? m.value("providerStatus", item, businessZone, String.class)
                : m.sourceText("status", item);
        String reason = m.value("cancellationReason", item, businessZone, String.class);
        Cancellation cancellation = status.cancelled() && reason != null ? new Cancellation(reason, null) : null;
        ZoneId zone = m.value("timeZone", item, businessZone, ZoneId.class);

        String clientName = m.value("clientName", item, businessZone, String.class);
        String clientEmail = m.value("clientEmail", item, businessZone, String.class);
        String clientId = reference("clientExternalId", item, clientEmail, clientName, "clientName");
        String staffName = m.value("staffName", item, businessZone, String.class);
        String staffId = reference("staffExternalId", item, null, staffName, "staffName");
        String serviceId = reference("serviceExternalId", item, null,
                m.value("serviceName", item, businessZone, String.class), "serviceName");
        String locationId = m.value("locationExternalId", item, businessZone, String.class);

        List<Object> out = new ArrayList<>(3);
        if (clientId != null && clientName != null) {
            out.add(new Client(ref(clientId), clientName, clientEmail,
                    m.value("clientPhone", item, businessZone, String.class), ProviderVersion.UNKNOWN, null));
        }
        if (staffId != null && staffName != null) {
            out.add(new StaffMember(ref(staffId), staffName, null, null, null, true, null));
        }
        out.add(new Appointment(ref(id), clientId, locationId == null ? null : id("locationExternalId", locationId),
                List.of(new AppointmentSegment(serviceId, null, staffId, start, end)),
                zone == null ? businessZone : zone, status, providerStatus, cancellation,
                m.value("clientNote", item, businessZone, String.class),
                m.value("businessNote", item, businessZone, String.class),
                m.value("price", item, businessZone, Money.class), null, version(item), item.toString()));
        return out;
    }

    private Client client(JsonNode item) throws MappingException {
        Mapping m = config.mapping();
        String name = m.required("name", item, businessZone, String.class);
        String email = m.value("email", item, businessZone, String.class);
        String id = m.value("externalId", item, businessZone, String.class);
        id = id != null ? id("externalId", id)
                : email != null ? derived("email", email, "email") : derived("name", name, "name");
        return new Client(ref(id), name, email, m.value("phone", item, businessZone, String.class), version(item),
                item.toString());
    }

    private Service service(JsonNode item) throws MappingException {
        Mapping m = config.mapping();
        String name = m.required("name", item, businessZone, String.class);
        String id = m.value("externalId", item, businessZone, String.class);
        id = id != null ? id("externalId", id) : derived("name", name, "name");
        Duration duration = positiveMinutes("durationMinutes",
                m.required("durationMinutes", item, businessZone, Long.class));
        Boolean active = m.value("active", item, businessZone, Boolean.class);
        return new Service(ref(id), name, m.value("category", item, businessZone, String.class),
                m.value("description", item, businessZone, String.class),
                List.of(new ServiceVariant("default", name, duration, m.value("price", item, businessZone,
                        Money.class))),
                active == null || active, version(item), item.toString());
    }

    /** The mapped id, else a key derived from the email or name; null when there is nothing to refer to. */
    private String reference(String idField, JsonNode item, String email, String name, String nameField)
            throws MappingException {
        String id = config.mapping().value(idField, item, businessZone, String.class);
        if (id != null) {
            return id(idField, id);
        }
        if (email != null) {
            return derived("email", email, "clientEmail");
        }
        return name == null ? null : derived("name", name, nameField);
    }

    // Lower case and single spaces, so "Anna  Nowak" and "anna nowak" from two zaps meet on one record.
    private static String derived(String kind, String value, String field) throws MappingException {
        String key = kind + ":" + value.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        if (key.length() > MAX_ID) {
            throw new MappingException(P + field,
                    "is too long to derive an id from (at most " + (MAX_ID - kind.length() - 1) + " characters)");
        }
        return key;
    }

    private static String id(String field, String id) throws MappingException {
        if (id.length() > MAX_ID) {
            throw new MappingException(P + field, "is longer than " + MAX_ID + " characters");
        }
        return id;
    }

    private static Duration positiveMinutes(String field, long minutes) throws MappingException {
        // A week bounds typos such as seconds posted as minutes.
        if (minutes < 1 || minutes > Duration.ofDays(7).toMinutes()) {
            throw new MappingException(P + field, "must be between 1 and " + Duration.ofDays(7).toMinutes()
                    + " minutes");
        }
        return Duration.ofMinutes(minutes);
    }

    private ProviderVersion version(JsonNode item) throws MappingException {
        Long version = config.versionPointer() == null ? null
                : (Long) config.versionPointer().value(item, businessZone);
        Instant updatedAt = config.updatedAtPointer() == null ? null
                : (Instant) config.updatedAtPointer().value(item, businessZone);
        return version == null && updatedAt == null ? ProviderVersion.UNKNOWN : new ProviderVersion(version, updatedAt);
    }

    private ExternalRef ref(String externalId) {
        return new ExternalRef(connectorId, externalId);
    }
}
