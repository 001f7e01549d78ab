package io.bookinghub.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.sync.UpsertOutcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemorySyncSinkTest {
    private static Client client(String name, Long version, Instant updatedAt) {
        return new Client(new ExternalRef("x", "c-1"), name, null, null, new ProviderVersion(version, updatedAt), null);
    }

    @Test
    void outcomesFollowTheHubsRules() {
        InMemorySyncSink sink = new InMemorySyncSink();
        assertThat(sink.upsert(client("A", 2L, null))).isEqualTo(UpsertOutcome.CREATED);
        assertThat(sink.upsert(client("A", 2L, null))).isEqualTo(UpsertOutcome.UNCHANGED);
        assertThat(sink.upsert(client("old", 1L, null))).isEqualTo(UpsertOutcome.STALE);
        assertThat(sink.records(RecordKind.CLIENT, Client.class).get("c-1").name()).isEqualTo("A");
        assertThat(sink.upsert(client("B", 3L, null))).isEqualTo(UpsertOutcome.UPDATED);
        assertThat(sink.outcomes()).containsEntry(UpsertOutcome.CREATED, 1L).containsEntry(UpsertOutcome.UNCHANGED, 1L)
                .containsEntry(UpsertOutcome.STALE, 1L).containsEntry(UpsertOutcome.UPDATED, 1L);
    }

    @Test
    void updatedAtDecidesWhenVersionsAreAbsent() {
        InMemorySyncSink sink = new InMemorySyncSink();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        sink.upsert(client("A", null, t));
        assertThat(sink.upsert(client("older", null, t.minusSeconds(1)))).isEqualTo(UpsertOutcome.STALE);
        assertThat(sink.upsert(client("newer", null, t.plusSeconds(1)))).isEqualTo(UpsertOutcome.UPDATED);
    }

    @Test
    void versionsWinOverUpdatedAtAndTheStoreKeepsMicroseconds() {
        InMemorySyncSink sink = new InMemorySyncSink();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        sink.upsert(client("A", 5L, t));
        assertThat(sink.upsert(client("newer version, earlier clock", 6L, t.minusSeconds(60))))
                .isEqualTo(UpsertOutcome.UPDATED);
        assertThat(sink.upsert(client("older version, later clock", 4L, t.plusSeconds(60))))
                .isEqualTo(UpsertOutcome.STALE);
        assertThat(sink.upsert(client("same version, fixed by the provider", 6L, t)))
                .isEqualTo(UpsertOutcome.UPDATED);
        assertThat(sink.records(RecordKind.CLIENT, Client.class).get("c-1").name())
                .isEqualTo("same version, fixed by the provider");

        InMemorySyncSink byTime = new InMemorySyncSink();
        byTime.upsert(client("A", null, t.plusNanos(999)));
        // The database keeps microseconds: 999 ns later is the same instant there, so not stale.
        assertThat(byTime.upsert(client("B", null, t))).isEqualTo(UpsertOutcome.UPDATED);
    }

    @Test
    void aStaleRecordNeverRestoresADeletedOne() {
        InMemorySyncSink sink = new InMemorySyncSink();
        sink.upsert(client("A", 2L, null));
        sink.delete(RecordKind.CLIENT, "c-1");
        assertThat(sink.upsert(client("old", 1L, null))).isEqualTo(UpsertOutcome.STALE);
        assertThat(sink.isDeleted(RecordKind.CLIENT, "c-1")).isTrue();
    }

    @Test
    void deletesAreSoftAndAnIdenticalUpsertRestores() {
        InMemorySyncSink sink = new InMemorySyncSink();
        sink.upsert(client("A", 1L, null));
        assertThat(sink.delete(RecordKind.CLIENT, "c-1")).isTrue();
        assertThat(sink.delete(RecordKind.CLIENT, "c-1")).isFalse();
        assertThat(sink.live()).isEmpty();
        assertThat(sink.isDeleted(RecordKind.CLIENT, "c-1")).isTrue();
        assertThat(sink.upsert(client("A", 1L, null))).isEqualTo(UpsertOutcome.UPDATED);
        assertThat(sink.get(RecordKind.CLIENT, "c-1")).isPresent();
    }

    @Test
    void newRunKeepsRecordsAndCursorsButForgetsTheRunLog() {
        InMemorySyncSink sink = new InMemorySyncSink();
        sink.upsert(client("A", 1L, null));
        sink.saveCursor("clients", "42");
        sink.skipped(RecordKind.CLIENT, null, "row 3: bad");
        sink.progress("clients", 1, 1);
        sink.newRun();
        assertThat(sink.upserts()).isEmpty();
        assertThat(sink.skipped()).isEmpty();
        assertThat(sink.progress()).isEmpty();
        assertThat(sink.seen()).isEmpty();
        assertThat(sink.cursor("clients")).contains("42");
        assertThat(sink.live()).hasSize(1);
    }
}
