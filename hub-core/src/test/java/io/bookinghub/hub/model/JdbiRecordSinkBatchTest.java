package io.bookinghub.hub.model;

import static io.bookinghub.hub.model.Fixtures.CONNECTOR;
import static io.bookinghub.hub.model.Fixtures.T0;
import static io.bookinghub.hub.model.Fixtures.WARSAW;
import static io.bookinghub.hub.model.Fixtures.appointment;
import static io.bookinghub.hub.model.Fixtures.business;
import static io.bookinghub.hub.model.Fixtures.client;
import static io.bookinghub.hub.model.Fixtures.location;
import static io.bookinghub.hub.model.Fixtures.ref;
import static io.bookinghub.hub.model.Fixtures.service;
import static io.bookinghub.hub.model.Fixtures.slot;
import static io.bookinghub.hub.model.Fixtures.v;
import static io.bookinghub.hub.model.Fixtures.variant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Location;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.sync.UpsertOutcome;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbiRecordSink#upsertAll} and {@link BatchingRecordSink}: a batch must store exactly what the same
 * upserts one by one store, with the same outcomes.
 */
class JdbiRecordSinkBatchTest extends ModelDatabaseTest {
    private static final List<String> TABLES = List.of("provider_businesses", "locations", "staff_members",
            "services", "clients", "appointments", "availability_slots");

    /** The state before the batch: a row of every fate the batch can meet. */
    private void seed(UUID business) {
        JdbiRecordSink plain = new JdbiRecordSink(jdbi, clock, business, CONNECTOR, null);
        plain.upsert(appointment("same", v(2), "x"));
        plain.upsert(appointment("deleted", v(1), "x"));
        plain.delete(RecordKind.APPOINTMENT, "deleted");
        plain.upsert(appointment("changed", v(1), "old"));
        plain.upsert(client("newer-stored", "Newest", v(5)));
        plain.upsert(service("svc", "Cut", v(1), List.of(variant("a", 30, "10"), variant("b", 60, "20"))));
    }

    private static List<Object> batch() {
        return List.of(
                appointment("same", v(2), "x"),
                appointment("deleted", v(1), "x"),
                appointment("changed", v(2), "new"),
                client("newer-stored", "Older", v(4)),
                service("svc", "Cut", v(2), List.of(variant("c", 15, null))),
                appointment("new", v(1), "first"),
                appointment("new", v(2), "second in the same batch"),
                appointment("new", v(1), "older, same batch"),
                slot("slot", T0, Duration.ofMinutes(15)),
                business("biz", "Salon"),
                location("loc", "Main"));
    }

    @Test
    void aBatchStoresWhatTheSameUpsertsOneByOneStore() {
        UUID one = Fixtures.newBusiness(jdbi);
        UUID third = Fixtures.newBusiness(jdbi);
        seed(businessId);
        seed(one);
        seed(third);
        clock.advance(Duration.ofMinutes(1));
        UUID run = UUID.randomUUID();

        List<UpsertOutcome> batched = new JdbiRecordSink(jdbi, clock, businessId, CONNECTOR, run).upsertAll(batch());
        JdbiRecordSink single = new JdbiRecordSink(jdbi, clock, one, CONNECTOR, run);
        List<UpsertOutcome> oneByOne = new ArrayList<>();
        for (Object record : batch()) {
            oneByOne.add(single.upsertAll(List.of(record)).get(0));
        }
        List<UpsertOutcome> viaUpsert = new ArrayList<>();
        JdbiRecordSink typed = new JdbiRecordSink(jdbi, clock, third, CONNECTOR, run);
        viaUpsert.add(typed.upsert(appointment("same", v(2), "x")));
        viaUpsert.add(typed.upsert(appointment("deleted", v(1), "x")));
        viaUpsert.add(typed.upsert(appointment("changed", v(2), "new")));
        viaUpsert.add(typed.upsert(client("newer-stored", "Older", v(4))));
        viaUpsert.add(typed.upsert(service("svc", "Cut", v(2), List.of(variant("c", 15, null)))));
        viaUpsert.add(typed.upsert(appointment("new", v(1), "first")));
        viaUpsert.add(typed.upsert(appointment("new", v(2), "second in the same batch")));
        viaUpsert.add(typed.upsert(appointment("new", v(1), "older, same batch")));
        viaUpsert.add(typed.upsert(slot("slot", T0, Duration.ofMinutes(15))));
        viaUpsert.add(typed.upsert(business("biz", "Salon")));
        viaUpsert.add(typed.upsert(location("loc", "Main")));

        assertThat(batched).containsExactly(UpsertOutcome.UNCHANGED, UpsertOutcome.UPDATED, UpsertOutcome.UPDATED,
                UpsertOutcome.STALE, UpsertOutcome.UPDATED, UpsertOutcome.CREATED, UpsertOutcome.UPDATED,
                UpsertOutcome.STALE, UpsertOutcome.CREATED, UpsertOutcome.CREATED, UpsertOutcome.CREATED);
        assertThat(oneByOne).isEqualTo(batched);
        assertThat(viaUpsert).isEqualTo(batched);
        assertThat(state(businessId)).isEqualTo(state(third)).isEqualTo(state(one));
        assertThat(summary(businessId)).contains("appointments new v2 live seen",
                "appointments deleted v1 live seen", "clients newer-stored v5 live seen",
                "segment changed 0 staff-1", "variant svc 0 c");
        List<String> notes = jdbi.withHandle(h -> h.createQuery("SELECT business_note FROM appointments"
                + " WHERE business_id = :b AND external_id = 'new'").bind("b", businessId).mapTo(String.class)
                .list());
        assertThat(notes).containsExactly("second in the same batch");
    }

    /** Every row and child row of a business, without its generated ids, as comparable lines. */
    private List<String> state(UUID business) {
        List<String> lines = new ArrayList<>();
        for (String table : TABLES) {
            lines.addAll(jdbi.withHandle(h -> h.createQuery("SELECT external_id, content_hash, provider_version,"
                            + " deleted_at, updated_at, last_seen_run FROM " + table
                            + " WHERE business_id = :b ORDER BY external_id").bind("b", business)
                    .map((rs, ctx) -> table + " " + rs.getString(1) + " v" + rs.getString(3)
                            + (rs.getObject(4) == null ? " live" : " deleted")
                            + (rs.getObject(6) == null ? "" : " seen") + " " + rs.getString(2) + " "
                            + rs.getObject(5, OffsetDateTime.class).toInstant())
                    .list()));
        }
        lines.addAll(jdbi.withHandle(h -> h.createQuery("SELECT p.external_id, s.position, s.staff_external_id,"
                        + " s.starts_at FROM appointment_segments s JOIN appointments p ON p.id = s.appointment_id"
                        + " WHERE p.business_id = :b ORDER BY 1, 2").bind("b", business)
                .map((rs, ctx) -> "segment " + rs.getString(1) + " " + rs.getInt(2) + " " + rs.getString(3))
                .list()));
        lines.addAll(jdbi.withHandle(h -> h.createQuery("SELECT p.external_id, s.position, s.external_id"
                        + " FROM service_variants s JOIN services p ON p.id = s.service_id"
                        + " WHERE p.business_id = :b ORDER BY 1, 2").bind("b", business)
                .map((rs, ctx) -> "variant " + rs.getString(1) + " " + rs.getInt(2) + " " + rs.getString(3))
                .list()));
        return lines;
    }

    /** The state without content hashes and times, for reading. */
    private List<String> summary(UUID business) {
        return state(business).stream().map(l -> l.replaceAll(" [0-9a-f]{64} .*$", "")).toList();
    }

    @Test
    void aPayloadThePreCheckMissedFallsBackRecordByRecord() {
        // An encoder that lets everything through, as a pre-check missing some PostgreSQL rule would: the batch
        // fails in the database, and the records are written one by one (the bad one as a JSON string).
        JdbiRecordSink lenient = new JdbiRecordSink(jdbi, clock, businessId, CONNECTOR, null, raw -> raw);

        List<UpsertOutcome> outcomes = lenient.upsertAll(List.of(
                new Location(ref("good"), "Good", null, WARSAW, "{\"a\":1}"),
                new Location(ref("bad"), "Bad", null, WARSAW, "not json")));

        assertThat(outcomes).containsExactly(UpsertOutcome.CREATED, UpsertOutcome.CREATED);
        List<String> stored = jdbi.withHandle(h -> h.createQuery("SELECT external_id || ' ' || jsonb_typeof(raw)"
                + " FROM locations WHERE business_id = :b ORDER BY external_id").bind("b", businessId)
                .mapTo(String.class).list());
        assertThat(stored).containsExactly("bad string", "good object");
    }

    @Test
    void aBatchRejectsWhatIsNotAModelRecordOrNotOfItsConnector() {
        assertThatThrownBy(() -> sink.upsertAll(List.of("text"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a model record");
        assertThatThrownBy(() -> sink.upsertAll(List.of(new Location(new ExternalRef("other",
                "x"), "X", null, WARSAW, null)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from connector 'other'");
        assertThat(queries.counts(businessId).values()).containsOnly(0L);
    }

    @Test
    void theBatchingSinkWritesOnFlushWhenFullAndBeforeADelete() {
        List<UpsertOutcome> written = new ArrayList<>();
        BatchingRecordSink batching = new RecordStore(jdbi, clock).sinkForRun(businessId, CONNECTOR,
                UUID.randomUUID(), written::add);

        assertThat(batching.upsert(client("c1", "C", v(1)))).isEqualTo(UpsertOutcome.PENDING);
        assertThat(batching.upsert(client("c2", "C", v(1)))).isEqualTo(UpsertOutcome.PENDING);
        assertThat(clients()).isZero();
        assertThat(written).isEmpty();

        batching.flush();
        assertThat(clients()).isEqualTo(2);
        assertThat(written).containsExactly(UpsertOutcome.CREATED, UpsertOutcome.CREATED);
        batching.flush();
        assertThat(written).hasSize(2);

        batching.upsert(client("c3", "C", v(1)));
        assertThat(batching.delete(RecordKind.CLIENT, "c3")).as("the pending upsert is written first").isTrue();
        assertThat(written).hasSize(3);

        for (int i = 0; i < BatchingRecordSink.MAX_BATCH; i++) {
            batching.upsert(client("many-" + i, "C", v(1)));
        }
        assertThat(written).as("a full batch is written at once").hasSize(3 + BatchingRecordSink.MAX_BATCH);
        assertThat(clients()).isEqualTo(2 + BatchingRecordSink.MAX_BATCH);
    }

    @Test
    void aBatchLargerThanOneStatementMayBindIsWrittenInChunksWithEveryChild() {
        // 24 values per new appointment: 3,000 of them need three multi-row inserts (PostgreSQL binds at most
        // 32,767 values per statement), and their 6,000 segments (two each, 7 values apiece) need two.
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            many.add(appointment("a-" + i, v(1), "note " + i));
        }

        List<UpsertOutcome> outcomes = sink.upsertAll(many);

        assertThat(outcomes).hasSize(3_000).containsOnly(UpsertOutcome.CREATED);
        String counts = jdbi.withHandle(h -> h.createQuery("SELECT count(*) || ' ' || count(DISTINCT a.id) || ' '"
                        + " || count(*) FILTER (WHERE a.business_note = 'note ' || substr(a.external_id, 3))"
                        + " FROM appointments a JOIN appointment_segments s ON s.appointment_id = a.id"
                        + " WHERE a.business_id = :b").bind("b", businessId).mapTo(String.class).one());
        assertThat(counts).as("segments, their appointments, and notes that belong to their own appointment")
                .isEqualTo("6000 3000 6000");
        assertThat(sink.upsertAll(many)).containsOnly(UpsertOutcome.UNCHANGED);
    }

    private long clients() {
        return queries.counts(businessId).get(RecordKind.CLIENT);
    }

}
