package io.bookinghub.hub.model;

import static io.bookinghub.hub.model.Fixtures.CONNECTOR;
import static io.bookinghub.hub.model.Fixtures.T0;
import static io.bookinghub.hub.model.Fixtures.appointment;
import static io.bookinghub.hub.model.Fixtures.client;
import static io.bookinghub.hub.model.Fixtures.slot;
import static io.bookinghub.hub.model.Fixtures.v;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.RecordKind;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SoftDeleterTest extends ModelDatabaseTest {
    private SoftDeleter deleter;

    @BeforeEach
    void setUp() {
        deleter = new SoftDeleter(jdbi, clock);
    }

    @Test
    void deletesExactlyTheRowsTheRunDidNotSee() {
        JdbiRecordSink plain = new JdbiRecordSink(jdbi, clock, businessId, CONNECTOR, null);
        for (String id : new String[] {"a1", "a2", "a3", "a4"}) {
            plain.upsert(appointment(id, v(1), "n"));
        }
        plain.upsert(client("c1", "Kept", null));
        plain.upsert(client("c2", "Gone", null));
        plain.upsert(client("c3", "Deleted before", null));
        plain.delete(RecordKind.CLIENT, "c3");
        plain.upsert(slot("s1", T0, Duration.ofMinutes(30)));

        UUID previousRun = UUID.randomUUID();
        new JdbiRecordSink(jdbi, clock, businessId, CONNECTOR, previousRun).upsert(appointment("a4", v(1), "n"));

        // Another connector and another business, never seen by the run: must stay.
        JdbiRecordSink otherConnector = new JdbiRecordSink(jdbi, clock, businessId, "other", null);
        otherConnector.upsert(new Client(new ExternalRef("other", "oc1"), "Other connector", null, null, null, null));
        UUID otherBusiness = Fixtures.newBusiness(jdbi);
        new JdbiRecordSink(jdbi, clock, otherBusiness, CONNECTOR, null).upsert(appointment("a9", v(1), "n"));

        UUID run = UUID.randomUUID();
        JdbiRecordSink runSink = new JdbiRecordSink(jdbi, clock, businessId, CONNECTOR, run);
        runSink.upsert(appointment("a1", v(1), "n"));          // unchanged
        runSink.upsert(appointment("a2", v(2), "changed"));    // updated
        runSink.upsert(appointment("a3", v(0), "older"));      // stale, but the provider still has it
        runSink.upsert(appointment("a5", v(1), "new"));        // created
        runSink.upsert(client("c1", "Kept", null));
        clock.advance(Duration.ofMinutes(10));
        Instant deletedAt = clock.instant();

        Map<RecordKind, Integer> counts = deleter.softDeleteUnseen(businessId, CONNECTOR, run,
                EnumSet.of(RecordKind.APPOINTMENT, RecordKind.CLIENT, RecordKind.STAFF_MEMBER));

        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(RecordKind.APPOINTMENT, 1,
                RecordKind.CLIENT, 1, RecordKind.STAFF_MEMBER, 0));
        ModelQuery mine = ModelQuery.forBusiness(businessId).withConnector(CONNECTOR);
        assertThat(ids(queries.appointments(mine).stream().map(AppointmentView::externalId)))
                .containsExactlyInAnyOrder("a1", "a2", "a3", "a5");
        assertThat(queries.appointments(mine.withDeleted(true))).filteredOn(AppointmentView::deleted)
                .singleElement().satisfies(a -> {
                    assertThat(a.externalId()).isEqualTo("a4");
                    assertThat(a.deletedAt()).isEqualTo(deletedAt);
                });
        assertThat(ids(queries.clients(mine).stream().map(ClientView::externalId))).containsExactly("c1");
        assertThat(queries.clients(mine.withDeleted(true))).filteredOn(c -> c.externalId().equals("c3"))
                .singleElement().satisfies(c -> assertThat(c.deletedAt()).isBefore(deletedAt));
        assertThat(queries.availability(mine)).as("kind not requested").hasSize(1);
        assertThat(queries.clients(ModelQuery.forBusiness(businessId).withConnector("other"))).hasSize(1);
        assertThat(queries.appointments(ModelQuery.forBusiness(otherBusiness))).hasSize(1);
    }

    @Test
    void rowsChangedSinceTheRunStartedAreKept() {
        Instant runStart = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        // Written by a webhook while the run was going on, after its page had been read.
        JdbiRecordSink webhook = new JdbiRecordSink(jdbi, clock, businessId, CONNECTOR, null);
        webhook.upsert(client("late", "Late", null));

        Map<RecordKind, Integer> counts = deleter.softDeleteUnseen(businessId, CONNECTOR, UUID.randomUUID(),
                Set.of(RecordKind.CLIENT), runStart);

        assertThat(counts).containsEntry(RecordKind.CLIENT, 0);
        assertThat(queries.clients(ModelQuery.forBusiness(businessId))).hasSize(1);
        assertThat(deleter.softDeleteUnseen(businessId, CONNECTOR, UUID.randomUUID(), Set.of(RecordKind.CLIENT)))
                .containsEntry(RecordKind.CLIENT, 1);
    }

    @Test
    void deletedRecordSeenAgainIsRestored() {
        JdbiRecordSink plain = new JdbiRecordSink(jdbi, clock, businessId, CONNECTOR, null);
        plain.upsert(client("c1", "C", null));
        deleter.softDeleteUnseen(businessId, CONNECTOR, UUID.randomUUID(), Set.of(RecordKind.CLIENT));
        assertThat(queries.clients(ModelQuery.forBusiness(businessId))).isEmpty();

        UUID run = UUID.randomUUID();
        new JdbiRecordSink(jdbi, clock, businessId, CONNECTOR, run).upsert(client("c1", "C", null));

        assertThat(deleter.softDeleteUnseen(businessId, CONNECTOR, run, Set.of(RecordKind.CLIENT)))
                .containsEntry(RecordKind.CLIENT, 0);
        assertThat(queries.clients(ModelQuery.forBusiness(businessId))).hasSize(1);
    }

    private static Set<String> ids(java.util.stream.Stream<String> ids) {
        return ids.collect(Collectors.toSet());
    }

}
