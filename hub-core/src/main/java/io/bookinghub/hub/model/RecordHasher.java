package io.bookinghub.hub.model;

import static java.util.Objects.requireNonNull;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Business;
import io.bookinghub.model.Cancellation;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Location;
import io.bookinghub.model.Money;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.Service;
import io.bookinghub.model.ServiceVariant;
import io.bookinghub.model.StaffMember;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;

/**
 * Content hashes of model records: SHA-256 (lower-case hex) over an unambiguous, canonical serialisation
 * of every data field, the provider version, the raw payload and the children (variants, segments).
 *
 * <p>The provider version is part of the hash on purpose: a record whose only change is a bumped version
 * must be written, otherwise the stored version would lag behind and an older payload carrying the old
 * version could later overwrite newer data.
 *
 * <p>Each field is written as a type tag plus a length-prefixed UTF-8 value (null has its own tag), so
 * no two different records can serialise to the same bytes. Changing the serialisation changes every
 * hash, which only costs one rewrite of each record on the next sync.
 */
public final class RecordHasher {
    private static final String FORMAT = "bookinghub-record-v1";

    private RecordHasher() {
    }

    public static String hash(Business b) {
        return new Canon("BUSINESS").ref(b.ref()).str(b.name()).zone(b.timeZone()).str(b.currency())
                .str(b.rawJson()).digest();
    }

    public static String hash(Location l) {
        return new Canon("LOCATION").ref(l.ref()).str(l.name()).str(l.address()).zone(l.timeZone())
                .str(l.rawJson()).digest();
    }

    public static String hash(StaffMember s) {
        return new Canon("STAFF_MEMBER").ref(s.ref()).str(s.name()).str(s.email()).str(s.phone())
                .str(s.locationExternalId()).bool(s.active()).str(s.rawJson()).digest();
    }

    public static String hash(Service s) {
        Canon c = new Canon("SERVICE").ref(s.ref()).str(s.name()).str(s.category()).str(s.description())
                .bool(s.active()).version(s.version()).str(s.rawJson());
        List<ServiceVariant> variants = s.variants();
        c.count(variants.size());
        for (ServiceVariant v : variants) {
            c.str(v.externalId()).str(v.name()).duration(v.duration()).money(v.price());
        }
        return c.digest();
    }

    public static String hash(Client cl) {
        return new Canon("CLIENT").ref(cl.ref()).str(cl.name()).str(cl.email()).str(cl.phone())
                .version(cl.version()).str(cl.rawJson()).digest();
    }

    public static String hash(Appointment a) {
        Cancellation cancellation = a.cancellation();
        Canon c = new Canon("APPOINTMENT").ref(a.ref()).str(a.clientExternalId()).str(a.locationExternalId())
                .zone(a.timeZone()).str(a.status().name()).str(a.providerStatus());
        if (cancellation == null) {
            c.nul();
        } else {
            c.count(1).str(cancellation.reason()).instant(cancellation.cancelledAt());
        }
        c.str(a.clientNote()).str(a.businessNote()).money(a.price()).str(a.rescheduledFromExternalId())
                .version(a.version()).str(a.rawJson());
        List<AppointmentSegment> segments = a.segments();
        c.count(segments.size());
        for (AppointmentSegment s : segments) {
            c.str(s.serviceExternalId()).str(s.serviceVariantExternalId()).str(s.staffExternalId())
                    .instant(s.start()).instant(s.end());
        }
        return c.digest();
    }

    public static String hash(AvailabilitySlot s) {
        return new Canon("AVAILABILITY_SLOT").ref(s.ref()).str(s.staffExternalId()).str(s.serviceExternalId())
                .str(s.locationExternalId()).instant(s.start()).instant(s.end()).zone(s.timeZone())
                .str(s.rawJson()).digest();
    }

    /** Writes tagged, length-prefixed values straight into the digest. */
    private static final class Canon {
        private static final byte NULL = 0;
        private static final byte VALUE = 1;
        private static final byte COUNT = 2;

        private final MessageDigest digest;

        Canon(String kind) {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required by every Java platform", e);
            }
            str(FORMAT);
            str(kind);
        }

        Canon nul() {
            digest.update(NULL);
            return this;
        }

        Canon str(String value) {
            if (value == null) {
                return nul();
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            digest.update(VALUE);
            digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
            digest.update(bytes);
            return this;
        }

        Canon count(int n) {
            digest.update(COUNT);
            digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(n).array());
            return this;
        }

        Canon ref(ExternalRef ref) {
            requireNonNull(ref, "ref is null");
            return str(ref.connectorId()).str(ref.externalId());
        }

        Canon bool(boolean b) {
            return str(Boolean.toString(b));
        }

        Canon zone(ZoneId zone) {
            return str(zone == null ? null : zone.getId());
        }

        Canon instant(Instant instant) {
            return str(instant == null ? null : instant.toString());
        }

        Canon duration(Duration duration) {
            return str(duration == null ? null : duration.toString());
        }

        Canon money(Money money) {
            // Money normalises its amount (no trailing zeros), so 25.0 and 25.00 hash alike.
            return money == null ? nul() : count(1).str(money.amount().toPlainString()).str(money.currency());
        }

        Canon version(ProviderVersion v) {
            ProviderVersion version = v == null ? ProviderVersion.UNKNOWN : v;
            return str(version.version() == null ? null : version.version().toString())
                    .instant(version.updatedAt());
        }

        String digest() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
