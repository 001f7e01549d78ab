package io.bookinghub.testkit;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Business;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Location;
import io.bookinghub.model.Money;
import io.bookinghub.model.Service;
import io.bookinghub.model.ServiceVariant;
import io.bookinghub.model.StaffMember;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The shared model's invariants as one checker, so a connector's tests can apply it to anything they map.
 * Most invariants are also enforced by the model records' constructors; checking them again here keeps the
 * kit meaningful if a constructor is ever relaxed, and adds the ones a constructor cannot know (the
 * connector id, known zones).
 */
public final class ModelInvariants {
    private ModelInvariants() {
    }

    /**
     * Every broken invariant of a mapped record, as readable sentences; empty when it is fine.
     *
     * @param record      a model record ({@link Appointment}, {@link Client}, ...)
     * @param connectorId the id every {@link ExternalRef#connectorId()} must carry
     */
    public static List<String> violations(Object record, String connectorId) {
        List<String> out = new ArrayList<>();
        if (record instanceof Appointment a) {
            ref(out, a.ref(), connectorId);
            String id = "appointment " + a.ref().externalId();
            if (a.segments().isEmpty()) {
                out.add(id + " has no segments");
            }
            for (AppointmentSegment s : a.segments()) {
                if (!s.end().isAfter(s.start())) {
                    out.add(id + " has a segment ending at " + s.end() + ", not after its start " + s.start());
                }
                optionalId(out, id, "serviceExternalId", s.serviceExternalId());
                optionalId(out, id, "staffExternalId", s.staffExternalId());
            }
            zone(out, id, a.timeZone());
            money(out, id + " price", a.price());
            optionalId(out, id, "clientExternalId", a.clientExternalId());
            optionalId(out, id, "locationExternalId", a.locationExternalId());
            if (a.cancellation() != null && !a.status().cancelled()) {
                out.add(id + " has a cancellation but status " + a.status());
            }
        } else if (record instanceof Service s) {
            ref(out, s.ref(), connectorId);
            String id = "service " + s.ref().externalId();
            if (s.variants().isEmpty()) {
                out.add(id + " has no variants");
            }
            Set<String> variantIds = new HashSet<>();
            for (ServiceVariant v : s.variants()) {
                if (!variantIds.add(v.externalId())) {
                    out.add(id + " repeats variant id " + v.externalId());
                }
                if (v.duration().isNegative() || v.duration().isZero()) {
                    out.add(id + " variant " + v.externalId() + " has non-positive duration " + v.duration());
                }
                money(out, id + " variant " + v.externalId() + " price", v.price());
            }
        } else if (record instanceof AvailabilitySlot s) {
            ref(out, s.ref(), connectorId);
            String id = "availability slot " + s.ref().externalId();
            if (!s.end().isAfter(s.start())) {
                out.add(id + " ends at " + s.end() + ", not after its start " + s.start());
            }
            zone(out, id, s.timeZone());
        } else if (record instanceof Business b) {
            ref(out, b.ref(), connectorId);
            zone(out, "business " + b.ref().externalId(), b.timeZone());
            if (b.currency() != null) {
                currency(out, "business " + b.ref().externalId(), b.currency());
            }
        } else if (record instanceof Location l) {
            ref(out, l.ref(), connectorId);
            zone(out, "location " + l.ref().externalId(), l.timeZone());
        } else if (record instanceof Client c) {
            ref(out, c.ref(), connectorId);
        } else if (record instanceof StaffMember s) {
            ref(out, s.ref(), connectorId);
        } else {
            out.add("not a model record: " + (record == null ? "null" : record.getClass().getName()));
        }
        return out;
    }

    private static void ref(List<String> out, ExternalRef ref, String connectorId) {
        if (!ref.connectorId().equals(connectorId)) {
            out.add("record " + ref.externalId() + " carries connectorId '" + ref.connectorId()
                    + "' but the connector's id is '" + connectorId + "'");
        }
    }

    private static void optionalId(List<String> out, String id, String field, String value) {
        if (value != null && value.isBlank()) {
            out.add(id + " has a blank " + field + " (use null for 'none')");
        }
    }

    private static void zone(List<String> out, String id, ZoneId zone) {
        if (!(zone instanceof ZoneOffset) && !ZoneId.getAvailableZoneIds().contains(zone.getId())) {
            out.add(id + " has unknown time zone '" + zone.getId() + "'");
        }
    }

    private static void money(List<String> out, String what, Money money) {
        if (money == null) {
            return;
        }
        if (money.amount().signum() < 0) {
            out.add(what + " is negative: " + money.amount());
        }
        currency(out, what, money.currency());
    }

    private static void currency(List<String> out, String what, String code) {
        try {
            Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            out.add(what + " has unknown currency '" + code + "'");
        }
    }
}
