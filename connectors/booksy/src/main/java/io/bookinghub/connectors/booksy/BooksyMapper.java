package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Business;
import io.bookinghub.model.Cancellation;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Location;
import io.bookinghub.model.Money;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.ServiceVariant;
import io.bookinghub.model.StaffMember;
import io.bookinghub.toolkit.IsoInstants;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Maps Booksy JSON records to the shared model. Unknown fields are ignored; each record keeps its raw
 * JSON. A record that cannot be mapped (missing id, bad time, end not after start, negative price,
 * unknown status or zone, ...) raises {@link BooksyMappingException} with the reason.
 */
public final class BooksyMapper {
    /**
     * Status-table target meaning "cancelled by client or business, decided by {@code cancelled_by}" (Booksy's
     * contract: absent means the business). It shares its name with {@link AppointmentStatus#CANCELLED}, so Booksy
     * never maps to that plain status: Booksy always names the party.
     */
    public static final String CANCELLED = "CANCELLED";

    /** Booksy status to model status (see the wire-format contract); overridable by config. */
    public static final Map<String, String> DEFAULT_STATUS_MAPPING = Map.of(
            "pending", AppointmentStatus.BOOKED.name(),
            "booked", AppointmentStatus.BOOKED.name(),
            "confirmed", AppointmentStatus.CONFIRMED.name(),
            "arrived", AppointmentStatus.ARRIVED.name(),
            "finished", AppointmentStatus.COMPLETED.name(),
            "completed", AppointmentStatus.COMPLETED.name(),
            "cancelled", CANCELLED,
            "no_show", AppointmentStatus.NO_SHOW.name());

    /** Accepted targets of the status table. */
    public static final List<String> STATUS_TARGETS = Stream.concat(
            Arrays.stream(AppointmentStatus.values()).map(Enum::name), Stream.of(CANCELLED))
            .distinct().collect(Collectors.toUnmodifiableList());

    private final Map<String, String> statusMapping;
    private final ZoneId defaultZone;

    /**
     * @param statusMapping Booksy status (lower case) to a {@link #STATUS_TARGETS} value
     * @param defaultZone   zone for records that carry none (the business's)
     */
    public BooksyMapper(Map<String, String> statusMapping, ZoneId defaultZone) {
        Map<String, String> table = new LinkedHashMap<>();
        requireNonNull(statusMapping, "statusMapping is null")
                .forEach((k, v) -> table.put(k.toLowerCase(Locale.ROOT), v.toUpperCase(Locale.ROOT)));
        this.statusMapping = Map.copyOf(table);
        this.defaultZone = requireNonNull(defaultZone, "defaultZone is null");
    }

    static boolean isStatusTarget(String value) {
        return STATUS_TARGETS.contains(value);
    }

    /** A business and the locations it lists. */
    public record BusinessWithLocations(Business business, List<Location> locations) {
        public BusinessWithLocations {
            requireNonNull(business, "business is null");
            locations = List.copyOf(requireNonNull(locations, "locations is null"));
        }
    }

    public BusinessWithLocations business(JsonNode node) throws BooksyMappingException {
        RecordKind kind = RecordKind.BUSINESS;
        String id = id(kind, node);
        return wrap(kind, id, () -> {
            ZoneId zone = zone(kind, id, node, "timezone", defaultZone);
            Business business = new Business(ref(id), text(node, "name", id), zone, optionalText(node, "currency"),
                    node.toString());
            List<Location> locations = new ArrayList<>();
            for (JsonNode l : arrayOf(node, "locations")) {
                String locationId = id(RecordKind.LOCATION, l);
                ZoneId locationZone = zone(RecordKind.LOCATION, locationId, l, "timezone", zone);
                locations.add(new Location(ref(locationId), text(l, "name", locationId), optionalText(l, "address"),
                        locationZone, l.toString()));
            }
            return new BusinessWithLocations(business, locations);
        });
    }

    public StaffMember staff(JsonNode node) throws BooksyMappingException {
        RecordKind kind = RecordKind.STAFF_MEMBER;
        String id = id(kind, node);
        return wrap(kind, id, () -> new StaffMember(ref(id), text(node, "name", id), optionalText(node, "email"),
                optionalText(node, "phone"), optionalText(node, "location_id"), bool(node, "active", true),
                node.toString()));
    }

    public Service service(JsonNode node) throws BooksyMappingException {
        RecordKind kind = RecordKind.SERVICE;
        String id = id(kind, node);
        return wrap(kind, id, () -> {
            List<ServiceVariant> variants = new ArrayList<>();
            for (JsonNode v : arrayOf(node, "variants")) {
                String variantId = optionalText(v, "id");
                if (variantId == null) {
                    throw new BooksyMappingException(kind, id, "variant without id");
                }
                JsonNode minutes = v.path("duration_minutes");
                if (!minutes.canConvertToLong() || minutes.asLong() <= 0) {
                    throw new BooksyMappingException(kind, id, "variant " + variantId
                            + " has no positive duration_minutes");
                }
                variants.add(new ServiceVariant(variantId, optionalText(v, "name"),
                        Duration.ofMinutes(minutes.asLong()), money(kind, id, v.path("price"))));
            }
            if (variants.isEmpty()) {
                throw new BooksyMappingException(kind, id, "service has no variants");
            }
            return new Service(ref(id), text(node, "name", id), optionalText(node, "category"),
                    optionalText(node, "description"), variants, bool(node, "active", true),
                    ProviderVersion.at(updatedAt(kind, id, node)), node.toString());
        });
    }

    public Client client(JsonNode node) throws BooksyMappingException {
        RecordKind kind = RecordKind.CLIENT;
        String id = id(kind, node);
        return wrap(kind, id, () -> {
            String name = Stream.of(optionalText(node, "first_name"), optionalText(node, "last_name"))
                    .filter(s -> s != null && !s.isBlank()).map(String::trim).collect(Collectors.joining(" "));
            return new Client(ref(id), name, optionalText(node, "email"), optionalText(node, "phone"),
                    ProviderVersion.at(updatedAt(kind, id, node)), node.toString());
        });
    }

    public Appointment appointment(JsonNode node) throws BooksyMappingException {
        RecordKind kind = RecordKind.APPOINTMENT;
        String id = id(kind, node);
        return wrap(kind, id, () -> {
            ZoneId zone = zone(kind, id, node, "timezone", defaultZone);
            String providerStatus = optionalText(node, "status");
            if (providerStatus == null) {
                throw new BooksyMappingException(kind, id, "missing status");
            }
            JsonNode cancellationNode = node.path("cancellation");
            AppointmentStatus status = status(id, providerStatus, cancellationNode);
            List<AppointmentSegment> segments = new ArrayList<>();
            for (JsonNode s : arrayOf(node, "segments")) {
                Instant start = time(kind, id, s, "start", zone);
                Instant end = time(kind, id, s, "end", zone);
                if (start == null || end == null) {
                    throw new BooksyMappingException(kind, id, "segment without start or end");
                }
                if (!end.isAfter(start)) {
                    throw new BooksyMappingException(kind, id, "segment end " + end + " is not after start " + start);
                }
                segments.add(new AppointmentSegment(optionalText(s, "service_id"), optionalText(s, "variant_id"),
                        optionalText(s, "staff_id"), start, end));
            }
            if (segments.isEmpty()) {
                throw new BooksyMappingException(kind, id, "appointment has no segments");
            }
            Cancellation cancellation = null;
            if (status.cancelled() && cancellationNode.isObject()) {
                cancellation = new Cancellation(optionalText(cancellationNode, "reason"),
                        time(kind, id, cancellationNode, "cancelled_at", zone));
            }
            JsonNode version = node.path("version");
            if (!version.isMissingNode() && !version.isNull() && !version.canConvertToLong()) {
                throw new BooksyMappingException(kind, id, "version is not an integer");
            }
            return new Appointment(ref(id), optionalText(node, "client_id"), optionalText(node, "location_id"),
                    segments, zone, status, providerStatus, cancellation, optionalText(node, "client_note"),
                    optionalText(node, "business_note"), money(kind, id, node.path("price")),
                    optionalText(node, "rescheduled_from"),
                    new ProviderVersion(version.canConvertToLong() ? version.asLong() : null,
                            updatedAt(kind, id, node)),
                    node.toString());
        });
    }

    /**
     * A slot; Booksy gives it no id, so the external id is {@code staff_id|service_id|start} with start
     * normalised to an ISO instant (stable whatever offset Booksy writes it with).
     */
    public AvailabilitySlot slot(JsonNode node, ZoneId zone) throws BooksyMappingException {
        RecordKind kind = RecordKind.AVAILABILITY_SLOT;
        String staff = optionalText(node, "staff_id");
        String service = optionalText(node, "service_id");
        Instant start = time(kind, null, node, "start", zone);
        Instant end = time(kind, null, node, "end", zone);
        if (staff == null || start == null || end == null) {
            throw new BooksyMappingException(kind, null, "slot needs staff_id, start and end");
        }
        String id = staff + "|" + (service == null ? "" : service) + "|" + start;
        if (!end.isAfter(start)) {
            throw new BooksyMappingException(kind, id, "slot end " + end + " is not after start " + start);
        }
        return wrap(kind, id, () -> new AvailabilitySlot(ref(id), staff, service, optionalText(node, "location_id"),
                start, end, zone, node.toString()));
    }

    /** The record's Booksy id if it has a usable one, for skip reports. */
    public static String externalIdOf(JsonNode node) {
        String id = node == null ? null : optionalText(node, "id");
        return id == null || id.length() > 255 ? null : id;
    }

    /** The record's {@code updated_at}, if present and parseable. */
    public static Optional<Instant> updatedAt(JsonNode node) {
        try {
            return Optional.ofNullable(parseInstant(optionalText(node, "updated_at"), ZoneId.of("UTC")));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Whether a Booksy status maps to a cancellation under this mapping. */
    boolean isCancelled(String providerStatus) {
        String target = statusMapping.get(providerStatus.toLowerCase(Locale.ROOT));
        return CANCELLED.equals(target) || target != null && AppointmentStatus.valueOf(target).cancelled();
    }

    private AppointmentStatus status(String id, String providerStatus, JsonNode cancellation)
            throws BooksyMappingException {
        String target = statusMapping.get(providerStatus.toLowerCase(Locale.ROOT));
        if (target == null) {
            throw new BooksyMappingException(RecordKind.APPOINTMENT, id, "unknown status '" + providerStatus + "'");
        }
        if (CANCELLED.equals(target)) {
            String by = cancellation.isObject() ? optionalText(cancellation, "cancelled_by") : null;
            return "client".equalsIgnoreCase(by) ? AppointmentStatus.CANCELLED_BY_CLIENT
                    : AppointmentStatus.CANCELLED_BY_BUSINESS;
        }
        return AppointmentStatus.valueOf(target);
    }

    private static ExternalRef ref(String id) {
        return new ExternalRef(BooksyConnectorFactory.ID, id);
    }

    private static String id(RecordKind kind, JsonNode node) throws BooksyMappingException {
        if (node == null || !node.isObject()) {
            throw new BooksyMappingException(kind, null, "record is not a JSON object");
        }
        JsonNode id = node.path("id");
        if (!(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
            throw new BooksyMappingException(kind, null, "missing id");
        }
        if (id.asText().length() > 255) {
            throw new BooksyMappingException(kind, null, "id longer than 255 characters");
        }
        return id.asText();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static String text(JsonNode node, String field, String id) {
        String value = optionalText(node, field);
        return value == null ? "" : value;
    }

    private static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode value = node.path(field);
        return value.isBoolean() ? value.asBoolean() : fallback;
    }

    private static List<JsonNode> arrayOf(JsonNode node, String field) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode value = node.path(field);
        if (value.isArray()) {
            value.forEach(out::add);
        }
        return out;
    }

    private static ZoneId zone(RecordKind kind, String id, JsonNode node, String field, ZoneId fallback)
            throws BooksyMappingException {
        String value = optionalText(node, field);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new BooksyMappingException(kind, id, "unknown time zone '" + abbreviate(value) + "'");
        }
    }

    private static Instant time(RecordKind kind, String id, JsonNode node, String field, ZoneId zone)
            throws BooksyMappingException {
        String value = optionalText(node, field);
        try {
            return parseInstant(value, zone);
        } catch (DateTimeException e) {
            throw new BooksyMappingException(kind, id, "bad " + field + " time '" + abbreviate(value) + "'");
        }
    }

    private static Instant updatedAt(RecordKind kind, String id, JsonNode node) throws BooksyMappingException {
        return time(kind, id, node, "updated_at", ZoneId.of("UTC"));
    }

    // Booksy sends offsets; a bare local date-time is read in the record's zone rather than rejected.
    private static Instant parseInstant(String value, ZoneId zone) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return IsoInstants.parseOffsetDateTime(value);
        } catch (DateTimeException e) {
            return LocalDateTime.parse(value).atZone(zone).toInstant();
        }
    }

    private static Money money(RecordKind kind, String id, JsonNode price) throws BooksyMappingException {
        if (price == null || price.isMissingNode() || price.isNull()) {
            return null;
        }
        JsonNode amount = price.path("amount");
        String currency = optionalText(price, "currency");
        if (!(amount.isTextual() || amount.isNumber()) || currency == null) {
            throw new BooksyMappingException(kind, id, "price needs amount and currency");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(amount.asText());
        } catch (NumberFormatException e) {
            throw new BooksyMappingException(kind, id, "price amount is not a number");
        }
        if (value.signum() < 0) {
            throw new BooksyMappingException(kind, id, "negative price " + value.toPlainString());
        }
        try {
            return new Money(value, currency);
        } catch (IllegalArgumentException e) {
            throw new BooksyMappingException(kind, id, "bad price: " + e.getMessage());
        }
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }

    @FunctionalInterface
    private interface Mapping<T> {
        T map() throws BooksyMappingException;
    }

    // The model records validate too; their IllegalArgumentExceptions become skip reasons.
    private static <T> T wrap(RecordKind kind, String id, Mapping<T> mapping) throws BooksyMappingException {
        try {
            return mapping.map();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new BooksyMappingException(kind, id, "invalid record: " + e.getMessage());
        }
    }
}
