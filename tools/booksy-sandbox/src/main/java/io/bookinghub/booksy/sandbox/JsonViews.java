package io.bookinghub.booksy.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookinghub.booksy.sandbox.SandboxRecords.Appointment;
import io.bookinghub.booksy.sandbox.SandboxRecords.Client;
import io.bookinghub.booksy.sandbox.SandboxRecords.Location;
import io.bookinghub.booksy.sandbox.SandboxRecords.Segment;
import io.bookinghub.booksy.sandbox.SandboxRecords.Service;
import io.bookinghub.booksy.sandbox.SandboxRecords.Staff;
import io.bookinghub.booksy.sandbox.SandboxRecords.Variant;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Renders records in the wire format of docs/wire-format.md. A few fields that are not in the contract
 * (business_id, created_via, avatar_url) are added on purpose: the contract says unknown fields may appear
 * anywhere, and a simulator that never sends any would not catch a strict parser.
 */
final class JsonViews {

    /** Offsets are always numeric ("+00:00", not "Z") like the contract's examples. */
    static final DateTimeFormatter LOCAL_WITH_OFFSET = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private final ObjectMapper mapper;
    private final SandboxStore store;

    JsonViews(ObjectMapper mapper, SandboxStore store) {
        this.mapper = mapper;
        this.store = store;
    }

    static String instant(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    static String local(long epochSecond, ZoneId zone) {
        return LOCAL_WITH_OFFSET.format(Instant.ofEpochSecond(epochSecond).atZone(zone));
    }

    ObjectNode business() {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", SandboxStore.BUSINESS_ID);
        n.put("name", SandboxStore.BUSINESS_NAME);
        n.put("timezone", SandboxStore.BUSINESS_ZONE);
        n.put("currency", SandboxStore.CURRENCY);
        n.put("updated_at", instant(store.businessUpdatedAtMillis));
        ArrayNode locs = n.putArray("locations");
        for (Location l : store.locations) {
            ObjectNode ln = locs.addObject();
            ln.put("id", "l-" + l.id());
            ln.put("name", l.name());
            ln.put("address", l.address());
            ln.put("timezone", l.zone().getId());
        }
        return n;
    }

    ObjectNode staff(Staff s) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", "s-" + s.id());
        n.put("name", s.name());
        n.put("email", s.email());
        n.put("phone", s.phone());
        n.put("location_id", "l-" + s.locationId());
        n.put("active", s.active());
        n.putNull("avatar_url");
        n.put("updated_at", instant(s.updatedAtMillis()));
        return n;
    }

    ObjectNode service(Service s) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", "svc-" + s.id());
        n.put("name", s.name());
        n.put("category", s.category());
        n.put("description", s.description());
        n.put("active", s.active());
        n.put("updated_at", instant(s.updatedAtMillis()));
        ArrayNode variants = n.putArray("variants");
        for (Variant v : s.variants()) {
            ObjectNode vn = variants.addObject();
            vn.put("id", "var-" + v.id());
            vn.put("name", v.name());
            vn.put("duration_minutes", v.durationMinutes());
            price(vn.putObject("price"), v.priceCents());
        }
        return n;
    }

    ObjectNode client(Client c) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", "c-" + c.id());
        n.put("first_name", c.firstName());
        n.put("last_name", c.lastName());
        n.put("email", c.email());
        n.put("phone", c.phone());
        n.put("updated_at", instant(c.updatedAtMillis()));
        return n;
    }

    ObjectNode appointment(Appointment a) {
        ZoneId zone = store.location(a.locationId()).zone();
        ObjectNode n = mapper.createObjectNode();
        n.put("id", "a-" + a.id());
        n.put("business_id", SandboxStore.BUSINESS_ID);
        n.put("location_id", "l-" + a.locationId());
        n.put("client_id", "c-" + a.clientId());
        n.put("status", a.status().wire);
        n.put("timezone", zone.getId());
        ArrayNode segments = n.putArray("segments");
        for (Segment s : a.segments()) {
            ObjectNode sn = segments.addObject();
            sn.put("service_id", "svc-" + s.serviceId());
            sn.put("variant_id", "var-" + s.variantId());
            sn.put("staff_id", "s-" + s.staffId());
            sn.put("start", local(s.startEpochSecond(), zone));
            sn.put("end", local(s.endEpochSecond(), zone));
        }
        price(n.putObject("price"), a.priceCents());
        n.put("client_note", a.clientNote());
        n.put("business_note", a.businessNote());
        if (a.cancellation() == null) {
            n.putNull("cancellation");
        } else {
            ObjectNode cn = n.putObject("cancellation");
            cn.put("reason", a.cancellation().reason());
            cn.put("cancelled_at", instant(a.cancellation().cancelledAtMillis()));
            if (a.cancellation().cancelledBy() != null) {
                cn.put("cancelled_by", a.cancellation().cancelledBy());
            }
        }
        if (a.rescheduledFrom() == 0) {
            n.putNull("rescheduled_from");
        } else {
            n.put("rescheduled_from", "a-" + a.rescheduledFrom());
        }
        n.put("version", a.version());
        String reference = store.referenceOf(a.id());
        if (reference != null) {
            n.put("external_reference", reference);
        }
        n.put("created_via", reference == null ? "booksy_app" : "api");
        n.put("updated_at", instant(a.updatedAtMillis()));
        return n;
    }

    ObjectNode slot(SandboxStore.Slot s) {
        ZoneId zone = store.location(s.locationId()).zone();
        ObjectNode n = mapper.createObjectNode();
        n.put("staff_id", "s-" + s.staffId());
        n.put("service_id", "svc-" + s.serviceId());
        n.put("location_id", "l-" + s.locationId());
        n.put("start", local(s.startEpochSecond(), zone));
        n.put("end", local(s.endEpochSecond(), zone));
        return n;
    }

    private static void price(ObjectNode target, long cents) {
        target.put("amount", BigDecimal.valueOf(cents, 2).toPlainString());
        target.put("currency", SandboxStore.CURRENCY);
    }
}
