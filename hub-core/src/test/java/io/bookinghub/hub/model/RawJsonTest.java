package io.bookinghub.hub.model;

import static io.bookinghub.hub.model.Fixtures.CONNECTOR;
import static io.bookinghub.hub.model.Fixtures.WARSAW;
import static io.bookinghub.hub.model.Fixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.model.Location;
import io.bookinghub.spi.sync.UpsertOutcome;
import io.bookinghub.testkit.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JSON pre-check must agree with what PostgreSQL's jsonb really accepts. */
class RawJsonTest {
    private static final List<String> EDGE_CASES = List.of(
            "{\"a\": 1}", "[]", "42", "\"text\"", "true", "null", "1E+5", "-0",
            "1e-16383", "1e-16384", "1e131071", "1e131072", "12e131071", "1.0e-400000",
            "{\"a\":\"\\ud800\"}", "\"\\udc00\"", "\"\\ud83d\\ude00\"", "\"\\u0000\"", "{\"k\\u0000\":1}",
            "{\"a\":1} x", "{'a':1}", "NaN", "", " ", "<xml/>", "{\"a\":", "[" + "[".repeat(500) + "]".repeat(500) + "]",
            "{} {}", "[1] ]", "\"a\" \"b\"", "1 2", "{\"a\":[{\"b\":\"\\u0000\"}]}", "[1, 1e131072]",
            "{\"a\":1,\"a\":2}", "{\"a\":[1,{\"b\":null}],\"c\":false}", "}", "[1,]");

    private static Jdbi jdbi;

    @BeforeAll
    static void database() {
        jdbi = TestDatabase.createMigrated().jdbi();
    }

    @Test
    void preCheckMatchesPostgres() {
        for (String candidate : EDGE_CASES) {
            assertThat(RawJson.storableJson(candidate)).as("%s", candidate).isEqualTo(postgresAccepts(candidate));
        }
    }

    @Test
    void everyEdgeCaseUpsertsAndStoresValidJson() {
        UUID businessId = Fixtures.newBusiness(jdbi);
        JdbiRecordSink sink = new JdbiRecordSink(jdbi, new MutableClock(Instant.EPOCH), businessId, CONNECTOR, null);
        for (int i = 0; i < EDGE_CASES.size(); i++) {
            String raw = EDGE_CASES.get(i);
            assertThat(sink.upsert(new Location(ref("l" + i), "L", null, WARSAW, raw))).as("%s", raw)
                    .isEqualTo(UpsertOutcome.CREATED);
        }
        long strings = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM locations WHERE business_id = :b"
                + " AND jsonb_typeof(raw) = 'string'").bind("b", businessId).mapTo(Long.class).one());
        long expected = EDGE_CASES.stream().filter(c -> !RawJson.storableJson(c)).count()
                + EDGE_CASES.stream().filter(c -> RawJson.storableJson(c) && c.startsWith("\"")).count();
        assertThat(strings).isEqualTo(expected);
    }

    @Test
    void databaseRejectionFallsBackToAJsonString() {
        UUID businessId = Fixtures.newBusiness(jdbi);
        // An encoder that lets everything through, as a pre-check missing some PostgreSQL rule would.
        JdbiRecordSink sink = new JdbiRecordSink(jdbi, new MutableClock(Instant.EPOCH), businessId, CONNECTOR, null,
                raw -> raw);

        assertThat(sink.upsert(new Location(ref("bad"), "Bad", null, WARSAW, "{\"a\":\"\\u0000\"}")))
                .isEqualTo(UpsertOutcome.CREATED);
        assertThat(sink.upsert(new Location(ref("bad"), "Worse", null, WARSAW, "not json")))
                .isEqualTo(UpsertOutcome.UPDATED);

        List<String> stored = jdbi.withHandle(h -> h.createQuery("SELECT name, jsonb_typeof(raw), raw #>> '{}'"
                        + " FROM locations WHERE business_id = :b").bind("b", businessId)
                .map((rs, ctx) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3))).one());
        assertThat(stored).containsExactly("Worse", "string", "not json");
    }

    @Test
    void asJsonStringReplacesCharactersPostgresCannotStore() {
        assertThat(RawJson.asJsonString("a\u0000b\ud800c")).isEqualTo("\"a\uFFFDb\uFFFDc\"");
        assertThat(RawJson.forJsonb(null)).isNull();
        assertThat(RawJson.forJsonb("{\"a\":1}")).isEqualTo("{\"a\":1}");
    }

    private static boolean postgresAccepts(String candidate) {
        try {
            jdbi.useHandle(h -> h.createQuery("SELECT CAST(:x AS jsonb)").bind("x", candidate)
                    .mapTo(String.class).one());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
