package io.bookinghub.hub.model;

import static io.bookinghub.hub.model.Fixtures.CONNECTOR;

import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.testkit.MutableClock;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the model's database tests share: a migrated database per class and, per test, a new business with
 * a clock, a sink writing the connector's records for it and the read queries.
 */
abstract class ModelDatabaseTest {
    static Jdbi jdbi;

    MutableClock clock;
    UUID businessId;
    JdbiRecordSink sink;
    ModelQueries queries;

    @BeforeAll
    static void database() {
        jdbi = TestDatabase.createMigrated().jdbi();
    }

    @BeforeEach
    void newBusiness() {
        clock = new MutableClock(Instant.parse("2025-03-01T12:00:00Z"));
        businessId = Fixtures.newBusiness(jdbi);
        sink = new JdbiRecordSink(jdbi, clock, businessId, CONNECTOR, null);
        queries = new ModelQueries(jdbi);
    }
}
