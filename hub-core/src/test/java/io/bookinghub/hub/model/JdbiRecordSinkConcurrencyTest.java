package io.bookinghub.hub.model;

import static io.bookinghub.hub.model.Fixtures.CONNECTOR;
import static io.bookinghub.hub.model.Fixtures.appointment;
import static io.bookinghub.hub.model.Fixtures.v;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.model.Appointment;
import io.bookinghub.spi.sync.UpsertOutcome;
import io.bookinghub.testkit.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** Many writers (each with its own sink and connection, as separate hub processes would) race on one record. */
class JdbiRecordSinkConcurrencyTest {
    private static final int WRITERS = 16;
    private static final int ROUNDS = 5;

    @Test
    void newestVersionWinsWhateverTheInterleaving() throws Exception {
        Jdbi jdbi = TestDatabase.createMigrated().jdbi();
        UUID businessId = Fixtures.newBusiness(jdbi);
        Random random = new Random(20250310L);
        MutableClock clock = new MutableClock(Instant.parse("2025-03-01T12:00:00Z"));
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String id = "appt-race-" + round;
                List<Integer> versions = new ArrayList<>();
                for (int version = 1; version <= WRITERS; version++) {
                    versions.add(version);
                }
                Collections.shuffle(versions, random);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<UpsertOutcome>> futures = new ArrayList<>();
                for (int version : versions) {
                    Appointment a = appointment(id, v(version), "note " + version);
                    JdbiRecordSink sink = new JdbiRecordSink(jdbi, clock, businessId, CONNECTOR, null);
                    futures.add(pool.submit(() -> {
                        start.await();
                        return sink.upsert(a);
                    }));
                }
                start.countDown();
                List<UpsertOutcome> outcomes = new ArrayList<>();
                for (Future<UpsertOutcome> f : futures) {
                    outcomes.add(f.get(60, TimeUnit.SECONDS));
                }

                assertThat(outcomes).filteredOn(o -> o == UpsertOutcome.CREATED).hasSize(1);
                assertThat(outcomes).doesNotContain(UpsertOutcome.UNCHANGED);
                AppointmentView stored = new ModelQueries(jdbi).appointments(ModelQuery.forBusiness(businessId))
                        .stream().filter(view -> view.externalId().equals(id)).findFirst().orElseThrow();
                assertThat(stored.providerVersion()).isEqualTo((long) WRITERS);
                assertThat(stored.businessNote()).isEqualTo("note " + WRITERS);
                assertThat(stored.segments()).hasSize(2);
                String hash = jdbi.withHandle(h -> h.createQuery(
                                "SELECT content_hash FROM appointments WHERE business_id = :b AND external_id = :id")
                        .bind("b", businessId).bind("id", id).mapTo(String.class).one());
                assertThat(hash).isEqualTo(RecordHasher.hash(appointment(id, v(WRITERS), "note " + WRITERS)));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
