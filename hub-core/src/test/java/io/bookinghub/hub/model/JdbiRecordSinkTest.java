package io.bookinghub.hub.model;

import static io.bookinghub.hub.model.Fixtures.CONNECTOR;
import static io.bookinghub.hub.model.Fixtures.T0;
import static io.bookinghub.hub.model.Fixtures.WARSAW;
import static io.bookinghub.hub.model.Fixtures.appointment;
import static io.bookinghub.hub.model.Fixtures.business;
import static io.bookinghub.hub.model.Fixtures.cancelledAppointment;
import static io.bookinghub.hub.model.Fixtures.client;
import static io.bookinghub.hub.model.Fixtures.location;
import static io.bookinghub.hub.model.Fixtures.ref;
import static io.bookinghub.hub.model.Fixtures.segment;
import static io.bookinghub.hub.model.Fixtures.service;
import static io.bookinghub.hub.model.Fixtures.slot;
import static io.bookinghub.hub.model.Fixtures.staff;
import static io.bookinghub.hub.model.Fixtures.v;
import static io.bookinghub.hub.model.Fixtures.variant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Business;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Location;
import io.bookinghub.model.Money;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.StaffMember;
import io.bookinghub.spi.sync.UpsertOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JdbiRecordSinkTest extends ModelDatabaseTest {

    private ModelQuery all() {
        return ModelQuery.forBusiness(businessId).withRaw(true);
    }

    // ---- round trips ---------------------------------------------------------------------------------

    @Test
    void businessRoundTrips() {
        Business b = business("biz-1", "Salon Ania");

        assertThat(sink.upsert(b)).isEqualTo(UpsertOutcome.CREATED);

        ProviderBusinessView view = single(queries.providerBusinesses(all()));
        assertThat(view.connectorId()).isEqualTo(CONNECTOR);
        assertThat(view.externalId()).isEqualTo("biz-1");
        assertThat(view.name()).isEqualTo("Salon Ania");
        assertThat(view.timeZone()).isEqualTo("Europe/Warsaw");
        assertThat(view.currency()).isEqualTo("PLN");
        assertThat(view.raw()).isEqualTo("{\"id\": \"biz-1\"}");
        assertThat(view.deleted()).isFalse();
        assertThat(view.createdAt()).isEqualTo(clock.instant());
        assertThat(view.updatedAt()).isEqualTo(clock.instant());
    }

    @Test
    void locationRoundTrips() {
        Location l = location("loc-1", "Centrum");

        assertThat(sink.upsert(l)).isEqualTo(UpsertOutcome.CREATED);

        LocationView view = single(queries.locations(all()));
        assertThat(view.externalId()).isEqualTo("loc-1");
        assertThat(view.name()).isEqualTo("Centrum");
        assertThat(view.address()).isEqualTo(l.address());
        assertThat(view.timeZone()).isEqualTo(WARSAW.getId());
        assertThat(view.raw()).isEqualTo("{\"loc\": 1}");
    }

    @Test
    void staffRoundTrips() {
        StaffMember s = staff("staff-1", "Ola");

        assertThat(sink.upsert(s)).isEqualTo(UpsertOutcome.CREATED);

        StaffView view = single(queries.staff(all()));
        assertThat(view.externalId()).isEqualTo("staff-1");
        assertThat(view.name()).isEqualTo("Ola");
        assertThat(view.email()).isEqualTo("ola@example.com");
        assertThat(view.phone()).isEqualTo(s.phone());
        assertThat(view.locationExternalId()).isEqualTo("loc-1");
        assertThat(view.active()).isTrue();
        assertThat(view.raw()).isEqualTo("{\"staff\": true}");
    }

    @Test
    void serviceRoundTripsWithVariantsInOrder() {
        Service s = service("svc-1", "Cut", new ProviderVersion(3L, T0),
                List.of(variant("short", 30, "25.00"), variant("long", 90, "80.5"), variant("free", 15, null)));

        assertThat(sink.upsert(s)).isEqualTo(UpsertOutcome.CREATED);

        ServiceView view = single(queries.services(all()));
        assertThat(view.externalId()).isEqualTo("svc-1");
        assertThat(view.name()).isEqualTo("Cut");
        assertThat(view.category()).isEqualTo("Hair");
        assertThat(view.description()).isEqualTo("A Cut");
        assertThat(view.active()).isTrue();
        assertThat(view.providerVersion()).isEqualTo(3L);
        assertThat(view.providerUpdatedAt()).isEqualTo(T0);
        assertThat(view.variants()).containsExactly(
                new ServiceVariantView("short", "short variant", 1800, Money.of("25", "PLN")),
                new ServiceVariantView("long", "long variant", 5400, Money.of("80.5", "PLN")),
                new ServiceVariantView("free", "free variant", 900, null));
    }

    @Test
    void clientRoundTrips() {
        Client c = client("client-1", "Jan Kowalski", ProviderVersion.at(T0));

        assertThat(sink.upsert(c)).isEqualTo(UpsertOutcome.CREATED);

        ClientView view = single(queries.clients(all()));
        assertThat(view.externalId()).isEqualTo("client-1");
        assertThat(view.name()).isEqualTo("Jan Kowalski");
        assertThat(view.email()).isEqualTo("jan.kowalski@example.com");
        assertThat(view.phone()).isEqualTo(c.phone());
        assertThat(view.providerVersion()).isNull();
        assertThat(view.providerUpdatedAt()).isEqualTo(T0);
    }

    @Test
    void appointmentRoundTripsWithSegmentsAndClientName() {
        sink.upsert(client("client-1", "Jan Kowalski", null));
        Appointment a = appointment("appt-1", new ProviderVersion(4L, T0), "note v4");

        assertThat(sink.upsert(a)).isEqualTo(UpsertOutcome.CREATED);

        AppointmentView view = single(queries.appointments(all()));
        assertThat(view.connectorId()).isEqualTo(CONNECTOR);
        assertThat(view.externalId()).isEqualTo("appt-1");
        assertThat(view.clientExternalId()).isEqualTo("client-1");
        assertThat(view.clientName()).isEqualTo("Jan Kowalski");
        assertThat(view.locationExternalId()).isEqualTo("loc-1");
        assertThat(view.start()).isEqualTo(a.start());
        assertThat(view.end()).isEqualTo(a.end());
        assertThat(view.timeZone()).isEqualTo("Europe/Warsaw");
        assertThat(view.status()).isEqualTo(AppointmentStatus.CONFIRMED);
        assertThat(view.providerStatus()).isEqualTo("confirmed");
        assertThat(view.cancellationReason()).isNull();
        assertThat(view.cancelledAt()).isNull();
        assertThat(view.clientNote()).isEqualTo("please be quick");
        assertThat(view.businessNote()).isEqualTo("note v4");
        assertThat(view.price()).isEqualTo(Money.of("150.5", "PLN"));
        assertThat(view.rescheduledFromExternalId()).isEqualTo("old-1");
        assertThat(view.providerVersion()).isEqualTo(4L);
        assertThat(view.providerUpdatedAt()).isEqualTo(T0);
        assertThat(view.segments()).containsExactly(
                new AppointmentSegmentView("svc-1", "svc-1-v", "staff-1", T0, T0.plus(Duration.ofMinutes(30))),
                new AppointmentSegmentView("svc-2", "svc-2-v", "staff-2", T0.plus(Duration.ofMinutes(30)),
                        T0.plus(Duration.ofMinutes(75))));
        assertThat(view.deleted()).isFalse();
        assertThat(view.raw()).isEqualTo("{\"appt\": \"appt-1\", \"note\": \"note v4\"}");
    }

    @Test
    void cancelledAppointmentRoundTripsWithNulls() {
        Appointment a = cancelledAppointment("appt-c");

        assertThat(sink.upsert(a)).isEqualTo(UpsertOutcome.CREATED);

        AppointmentView view = single(queries.appointments(all()));
        assertThat(view.status()).isEqualTo(AppointmentStatus.CANCELLED_BY_CLIENT);
        assertThat(view.cancellationReason()).isEqualTo("sick");
        assertThat(view.cancelledAt()).isEqualTo(a.cancellation().cancelledAt());
        assertThat(view.clientName()).isNull();
        assertThat(view.locationExternalId()).isNull();
        assertThat(view.price()).isNull();
        assertThat(view.timeZone()).isEqualTo("UTC");
        assertThat(view.raw()).isNull();
        assertThat(view.segments()).containsExactly(new AppointmentSegmentView("svc-1", "svc-1-v", null,
                a.start(), a.end()));
    }

    @Test
    void availabilityRoundTrips() {
        var s = slot("slot-1", T0, Duration.ofMinutes(45));

        assertThat(sink.upsert(s)).isEqualTo(UpsertOutcome.CREATED);

        AvailabilityView view = single(queries.availability(all()));
        assertThat(view.externalId()).isEqualTo("slot-1");
        assertThat(view.staffExternalId()).isEqualTo("staff-1");
        assertThat(view.serviceExternalId()).isEqualTo("svc-1");
        assertThat(view.locationExternalId()).isEqualTo("loc-1");
        assertThat(view.start()).isEqualTo(T0);
        assertThat(view.end()).isEqualTo(T0.plus(Duration.ofMinutes(45)));
        assertThat(view.timeZone()).isEqualTo("Europe/Warsaw");
        assertThat(view.raw()).isEqualTo("{\"slot\": \"slot-1\"}");
    }

    @Test
    void storedContentHashIsTheRecordHash() {
        Appointment a = appointment("appt-1", v(1), "x");
        sink.upsert(a);

        assertThat(column("appointments", "appt-1", "content_hash", String.class)).isEqualTo(RecordHasher.hash(a));
    }

    // ---- idempotency, updates, stale writes ---------------------------------------------------------

    @Test
    void sameRecordTwiceIsUnchangedAndWritesNothing() {
        Appointment a = appointment("appt-1", v(1), "x");
        assertThat(sink.upsert(a)).isEqualTo(UpsertOutcome.CREATED);
        Instant created = clock.instant();
        clock.advance(Duration.ofMinutes(5));

        assertThat(sink.upsert(appointment("appt-1", v(1), "x"))).isEqualTo(UpsertOutcome.UNCHANGED);

        assertThat(timestamp("appointments", "appt-1", "updated_at")).isEqualTo(created);
        assertThat(timestamp("appointments", "appt-1", "created_at")).isEqualTo(created);
    }

    @Test
    void everyKindIsIdempotent() {
        assertThat(List.of(sink.upsert(business("b", "B")), sink.upsert(location("l", "L")),
                sink.upsert(staff("s", "S")), sink.upsert(service("svc", "Svc", null, List.of(variant("v", 30, "1")))),
                sink.upsert(client("c", "C", null)), sink.upsert(appointment("a", null, "n")),
                sink.upsert(slot("sl", T0, Duration.ofMinutes(10)))))
                .containsOnly(UpsertOutcome.CREATED);

        assertThat(List.of(sink.upsert(business("b", "B")), sink.upsert(location("l", "L")),
                sink.upsert(staff("s", "S")), sink.upsert(service("svc", "Svc", null, List.of(variant("v", 30, "1")))),
                sink.upsert(client("c", "C", null)), sink.upsert(appointment("a", null, "n")),
                sink.upsert(slot("sl", T0, Duration.ofMinutes(10)))))
                .containsOnly(UpsertOutcome.UNCHANGED);
    }

    @Test
    void changedRecordIsUpdatedAndUpdatedAtMoves() {
        sink.upsert(appointment("appt-1", v(1), "first"));
        Instant created = clock.instant();
        clock.advance(Duration.ofMinutes(5));

        assertThat(sink.upsert(appointment("appt-1", v(2), "second"))).isEqualTo(UpsertOutcome.UPDATED);

        AppointmentView view = single(queries.appointments(all()));
        assertThat(view.businessNote()).isEqualTo("second");
        assertThat(view.providerVersion()).isEqualTo(2L);
        assertThat(view.createdAt()).isEqualTo(created);
        assertThat(view.updatedAt()).isEqualTo(clock.instant());
    }

    @Test
    void equalVersionWithDifferentContentIsApplied() {
        sink.upsert(appointment("appt-1", v(5), "typo"));

        assertThat(sink.upsert(appointment("appt-1", v(5), "fixed"))).isEqualTo(UpsertOutcome.UPDATED);

        assertThat(single(queries.appointments(all())).businessNote()).isEqualTo("fixed");
    }

    @Test
    void lowerVersionIsStaleAndLeavesStoredDataUntouched() {
        sink.upsert(appointment("appt-1", v(5), "newest"));
        Instant written = clock.instant();
        clock.advance(Duration.ofMinutes(5));

        assertThat(sink.upsert(appointment("appt-1", v(4), "older"))).isEqualTo(UpsertOutcome.STALE);

        AppointmentView view = single(queries.appointments(all()));
        assertThat(view.businessNote()).isEqualTo("newest");
        assertThat(view.providerVersion()).isEqualTo(5L);
        assertThat(view.updatedAt()).isEqualTo(written);
        assertThat(column("appointments", "appt-1", "content_hash", String.class))
                .isEqualTo(RecordHasher.hash(appointment("appt-1", v(5), "newest")));
    }

    @Test
    void earlierUpdatedAtIsStaleWhenVersionsAreAbsent() {
        Client newer = client("client-1", "New Name", ProviderVersion.at(T0));
        sink.upsert(newer);

        assertThat(sink.upsert(client("client-1", "Old Name", ProviderVersion.at(T0.minusSeconds(1)))))
                .isEqualTo(UpsertOutcome.STALE);
        assertThat(single(queries.clients(all())).name()).isEqualTo("New Name");

        assertThat(sink.upsert(client("client-1", "Newer Name", ProviderVersion.at(T0.plusSeconds(1)))))
                .isEqualTo(UpsertOutcome.UPDATED);
        assertThat(single(queries.clients(all())).name()).isEqualTo("Newer Name");
    }

    @Test
    void versionDecidesOverUpdatedAtWhenBothSidesHaveOne() {
        sink.upsert(client("client-1", "v2", new ProviderVersion(2L, T0)));

        // Higher version wins even though its updated-at is earlier (clock skew at the provider).
        assertThat(sink.upsert(client("client-1", "v3", new ProviderVersion(3L, T0.minusSeconds(60)))))
                .isEqualTo(UpsertOutcome.UPDATED);
        assertThat(sink.upsert(client("client-1", "v1", new ProviderVersion(1L, T0.plusSeconds(60)))))
                .isEqualTo(UpsertOutcome.STALE);
        assertThat(single(queries.clients(all())).name()).isEqualTo("v3");
    }

    @Test
    void recordsWithoutAnyVersionAlwaysApply() {
        sink.upsert(client("client-1", "A", null));

        assertThat(sink.upsert(client("client-1", "B", null))).isEqualTo(UpsertOutcome.UPDATED);
        assertThat(sink.upsert(client("client-1", "C", ProviderVersion.at(T0)))).isEqualTo(UpsertOutcome.UPDATED);
        assertThat(sink.upsert(client("client-1", "D", null))).isEqualTo(UpsertOutcome.UPDATED);
        assertThat(single(queries.clients(all())).name()).isEqualTo("D");
    }

    @Test
    void onlyTheNewestVersionSurvivesInEveryArrivalOrder() {
        int[][] orders = {{1, 2, 3}, {1, 3, 2}, {2, 1, 3}, {2, 3, 1}, {3, 1, 2}, {3, 2, 1}};
        for (int[] order : orders) {
            String id = "appt-" + order[0] + order[1] + order[2];
            String clientId = "client-" + order[0] + order[1] + order[2];
            List<UpsertOutcome> outcomes = new ArrayList<>();
            for (int version : order) {
                outcomes.add(sink.upsert(appointment(id, v(version), "note " + version)));
                sink.upsert(client(clientId, "name " + version,
                        ProviderVersion.at(T0.plus(Duration.ofMinutes(version)))));
            }
            assertThat(outcomes.get(0)).isEqualTo(UpsertOutcome.CREATED);
            // A write after the newest one is always refused.
            int newestAt = indexOf(order, 3);
            for (int i = newestAt + 1; i < order.length; i++) {
                assertThat(outcomes.get(i)).as("order %s position %d", List.of(order[0], order[1], order[2]), i)
                        .isEqualTo(UpsertOutcome.STALE);
            }
        }

        assertThat(queries.appointments(all())).hasSize(6)
                .allSatisfy(a -> {
                    assertThat(a.providerVersion()).isEqualTo(3L);
                    assertThat(a.businessNote()).isEqualTo("note 3");
                    assertThat(a.raw()).contains("note 3");
                });
        assertThat(queries.clients(all())).hasSize(6).allSatisfy(c -> assertThat(c.name()).isEqualTo("name 3"));
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException();
    }

    // ---- children ------------------------------------------------------------------------------------

    @Test
    void segmentsAreReplacedOnUpdate() {
        sink.upsert(appointment("appt-1", v(1), "two segments"));
        Appointment moved = new Appointment(ref("appt-1"), "client-1", "loc-1",
                List.of(segment("svc-9", "staff-9", T0.plus(Duration.ofHours(2)), Duration.ofMinutes(20))),
                WARSAW, AppointmentStatus.BOOKED, "booked", null, null, null, null, null, v(2), null);

        assertThat(sink.upsert(moved)).isEqualTo(UpsertOutcome.UPDATED);

        AppointmentView view = single(queries.appointments(all()));
        assertThat(view.segments()).containsExactly(new AppointmentSegmentView("svc-9", "svc-9-v", "staff-9",
                T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(20))));
        assertThat(view.start()).isEqualTo(T0.plus(Duration.ofHours(2)));
        assertThat(view.price()).isNull();
        assertThat(view.raw()).isNull();
        assertThat(count("SELECT count(*) FROM appointment_segments s JOIN appointments p ON p.id = s.appointment_id")).isEqualTo(1);
    }

    @Test
    void variantsAreReplacedOnUpdate() {
        sink.upsert(service("svc-1", "Cut", v(1), List.of(variant("a", 30, "10"), variant("b", 60, "20"))));

        assertThat(sink.upsert(service("svc-1", "Cut", v(2), List.of(variant("b", 45, "22"), variant("c", 15, null)))))
                .isEqualTo(UpsertOutcome.UPDATED);

        assertThat(single(queries.services(all())).variants()).containsExactly(
                new ServiceVariantView("b", "b variant", 2700, Money.of("22", "PLN")),
                new ServiceVariantView("c", "c variant", 900, null));
        assertThat(count("SELECT count(*) FROM service_variants v JOIN services p ON p.id = v.service_id")).isEqualTo(2);
    }

    @Test
    void staleUpdateKeepsChildren() {
        sink.upsert(service("svc-1", "Cut", v(2), List.of(variant("a", 30, "10"))));

        assertThat(sink.upsert(service("svc-1", "Cut", v(1), List.of(variant("z", 30, "10")))))
                .isEqualTo(UpsertOutcome.STALE);

        assertThat(single(queries.services(all())).variants()).extracting(ServiceVariantView::externalId)
                .containsExactly("a");
    }

    // ---- deletes -------------------------------------------------------------------------------------

    @Test
    void deleteSoftDeletesAndSameRecordAgainRestoresIt() {
        Appointment a = appointment("appt-1", v(1), "x");
        sink.upsert(a);
        clock.advance(Duration.ofMinutes(1));
        Instant deletedAt = clock.instant();

        assertThat(sink.delete(RecordKind.APPOINTMENT, "appt-1")).isTrue();
        assertThat(sink.delete(RecordKind.APPOINTMENT, "appt-1")).as("already deleted").isFalse();
        assertThat(sink.delete(RecordKind.APPOINTMENT, "nope")).as("never stored").isFalse();

        assertThat(queries.appointments(all())).isEmpty();
        AppointmentView deleted = single(queries.appointments(all().withDeleted(true)));
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.deletedAt()).isEqualTo(deletedAt);

        clock.advance(Duration.ofMinutes(1));
        assertThat(sink.upsert(a)).isEqualTo(UpsertOutcome.UPDATED);

        AppointmentView restored = single(queries.appointments(all()));
        assertThat(restored.deleted()).isFalse();
        assertThat(restored.deletedAt()).isNull();
        assertThat(restored.updatedAt()).isEqualTo(clock.instant());
        assertThat(sink.upsert(a)).isEqualTo(UpsertOutcome.UNCHANGED);
    }

    @Test
    void changedRecordAfterDeleteIsRestoredWithNewData() {
        sink.upsert(client("client-1", "Old", v(1)));
        sink.delete(RecordKind.CLIENT, "client-1");

        assertThat(sink.upsert(client("client-1", "New", v(2)))).isEqualTo(UpsertOutcome.UPDATED);

        ClientView view = single(queries.clients(all()));
        assertThat(view.name()).isEqualTo("New");
        assertThat(view.deleted()).isFalse();
    }

    @Test
    void staleRecordDoesNotRestoreADeletedRow() {
        sink.upsert(client("client-1", "Newest", v(5)));
        sink.delete(RecordKind.CLIENT, "client-1");

        assertThat(sink.upsert(client("client-1", "Older", v(4)))).isEqualTo(UpsertOutcome.STALE);

        assertThat(queries.clients(all())).isEmpty();
    }

    @Test
    void deleteWorksForEveryKind() {
        sink.upsert(business("b", "B"));
        sink.upsert(location("l", "L"));
        sink.upsert(staff("s", "S"));
        sink.upsert(service("svc", "Svc", null, List.of(variant("v", 30, "1"))));
        sink.upsert(client("c", "C", null));
        sink.upsert(appointment("a", null, "n"));
        sink.upsert(slot("sl", T0, Duration.ofMinutes(10)));

        assertThat(List.of(sink.delete(RecordKind.BUSINESS, "b"), sink.delete(RecordKind.LOCATION, "l"),
                sink.delete(RecordKind.STAFF_MEMBER, "s"), sink.delete(RecordKind.SERVICE, "svc"),
                sink.delete(RecordKind.CLIENT, "c"), sink.delete(RecordKind.APPOINTMENT, "a"),
                sink.delete(RecordKind.AVAILABILITY_SLOT, "sl"))).containsOnly(true);
        assertThat(queries.counts(businessId).values()).containsOnly(0L);
    }

    // ---- run bookkeeping -----------------------------------------------------------------------------

    @Test
    void upsertsInARunMarkRowsSeenWithoutTouchingUpdatedAt() {
        sink.upsert(appointment("appt-1", v(2), "x"));
        sink.upsert(client("client-1", "C", v(1)));
        Instant written = clock.instant();
        clock.advance(Duration.ofMinutes(5));
        UUID run = UUID.randomUUID();
        JdbiRecordSink runSink = new JdbiRecordSink(jdbi, clock, businessId, CONNECTOR, run);

        assertThat(runSink.upsert(appointment("appt-1", v(2), "x"))).isEqualTo(UpsertOutcome.UNCHANGED);
        assertThat(runSink.upsert(client("client-1", "stale", v(0)))).isEqualTo(UpsertOutcome.STALE);
        assertThat(runSink.upsert(slot("slot-1", T0, Duration.ofMinutes(5)))).isEqualTo(UpsertOutcome.CREATED);

        assertThat(column("appointments", "appt-1", "last_seen_run", UUID.class)).isEqualTo(run);
        assertThat(column("clients", "client-1", "last_seen_run", UUID.class)).isEqualTo(run);
        assertThat(column("availability_slots", "slot-1", "last_seen_run", UUID.class)).isEqualTo(run);
        assertThat(timestamp("appointments", "appt-1", "updated_at")).isEqualTo(written);
        assertThat(timestamp("clients", "client-1", "updated_at")).isEqualTo(written);

        // Upserts outside a run keep the last run's mark.
        assertThat(sink.upsert(appointment("appt-1", v(3), "y"))).isEqualTo(UpsertOutcome.UPDATED);
        assertThat(column("appointments", "appt-1", "last_seen_run", UUID.class)).isEqualTo(run);
    }

    // ---- raw payloads ----------------------------------------------------------------------------------

    @Test
    void invalidRawJsonIsStoredAsAJsonString() {
        Location bad = new Location(ref("loc-bad"), "Bad", null, WARSAW, "<xml>not json</xml>");
        Location truncated = new Location(ref("loc-trunc"), "Trunc", null, WARSAW, "{\"a\": [1, 2");
        Location trailing = new Location(ref("loc-trail"), "Trail", null, WARSAW, "{\"a\":1} garbage");
        Location nul = new Location(ref("loc-nul"), "Nul", null, WARSAW, "{\"a\":\"x\\u0000y\"}");
        Location blank = new Location(ref("loc-blank"), "Blank", null, WARSAW, "  ");

        for (Location l : List.of(bad, truncated, trailing, nul, blank)) {
            assertThat(sink.upsert(l)).isEqualTo(UpsertOutcome.CREATED);
        }

        assertThat(rawOf("loc-bad")).containsExactly("string", "<xml>not json</xml>");
        assertThat(rawOf("loc-trunc")).containsExactly("string", "{\"a\": [1, 2");
        assertThat(rawOf("loc-trail")).containsExactly("string", "{\"a\":1} garbage");
        assertThat(rawOf("loc-nul")).containsExactly("string", "{\"a\":\"x\\u0000y\"}");
        assertThat(rawOf("loc-blank")).containsExactly("string", "  ");
        assertThat(sink.upsert(bad)).isEqualTo(UpsertOutcome.UNCHANGED);
    }

    @Test
    void validRawJsonIsStoredAsJsonAndNullAsNull() {
        sink.upsert(new Location(ref("loc-obj"), "Obj", null, WARSAW, "{\"a\": [1, 2.50, null], \"b\": {}}"));
        sink.upsert(new Location(ref("loc-num"), "Num", null, WARSAW, "42"));
        sink.upsert(new Location(ref("loc-null"), "Null", null, WARSAW, null));

        assertThat(rawOf("loc-obj")).containsExactly("object", "{\"a\": [1, 2.50, null], \"b\": {}}");
        assertThat(rawOf("loc-num")).containsExactly("number", "42");
        boolean rawIsNull = jdbi.withHandle(h -> h.createQuery(
                "SELECT raw IS NULL FROM locations WHERE external_id = 'loc-null'").mapTo(Boolean.class).one());
        assertThat(rawIsNull).isTrue();
    }

    /** [jsonb_typeof(raw), raw as text, or for strings the string's value]. */
    private List<String> rawOf(String externalId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT jsonb_typeof(raw) AS t, CASE WHEN jsonb_typeof(raw) = 'string'"
                        + " THEN raw #>> '{}' ELSE raw::text END AS v FROM locations WHERE external_id = :id")
                .bind("id", externalId)
                .map((rs, ctx) -> List.of(rs.getString("t"), rs.getString("v"))).one());
    }

    // ---- validation and isolation -------------------------------------------------------------------

    @Test
    void recordOfAnotherConnectorIsRejected() {
        Client other = new Client(new ExternalRef("other", "client-1"), "X", null, null, null, null);

        assertThatThrownBy(() -> sink.upsert(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other");
        assertThat(queries.counts(businessId).get(RecordKind.CLIENT)).isZero();
    }

    @Test
    void businessesAreIsolated() {
        UUID otherBusiness = Fixtures.newBusiness(jdbi);
        JdbiRecordSink other = new JdbiRecordSink(jdbi, clock, otherBusiness, CONNECTOR, null);
        other.upsert(appointment("appt-1", v(9), "other business"));
        other.upsert(client("client-1", "Other", v(9)));

        // Same external ids, lower versions: not stale, because the other business's rows are not ours.
        assertThat(sink.upsert(appointment("appt-1", v(1), "mine"))).isEqualTo(UpsertOutcome.CREATED);
        assertThat(sink.upsert(client("client-1", "Mine", v(1)))).isEqualTo(UpsertOutcome.CREATED);
        assertThat(sink.delete(RecordKind.CLIENT, "client-1")).isTrue();

        ModelQuery theirs = ModelQuery.forBusiness(otherBusiness);
        assertThat(single(queries.appointments(theirs)).businessNote()).isEqualTo("other business");
        assertThat(single(queries.appointments(theirs)).clientName()).isEqualTo("Other");
        assertThat(single(queries.clients(theirs)).deleted()).isFalse();
        assertThat(single(queries.appointments(all())).clientName()).as("deleted client still names it")
                .isEqualTo("Mine");
        assertThat(single(queries.appointments(all())).businessNote()).isEqualTo("mine");
    }

    @Test
    void constructorValidates() {
        assertThatThrownBy(() -> new JdbiRecordSink(null, clock, businessId, CONNECTOR, null))
                .isInstanceOf(NullPointerException.class).hasMessage("jdbi is null");
        assertThatThrownBy(() -> new JdbiRecordSink(jdbi, clock, businessId, " ", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static <T> T single(List<T> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    private <T> T column(String table, String externalId, String column, Class<T> type) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + column + " FROM " + table
                        + " WHERE business_id = :b AND external_id = :id")
                .bind("b", businessId).bind("id", externalId)
                .map((rs, ctx) -> rs.getObject(1, type)).one());
    }

    private Instant timestamp(String table, String externalId, String column) {
        return column(table, externalId, column, OffsetDateTime.class).toInstant();
    }

    /** Counts child rows of this business: {@code sql} joins the parent table as {@code p}. */
    private long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql + " WHERE p.business_id = :b")
                .bind("b", businessId).mapTo(Long.class).one());
    }

}
