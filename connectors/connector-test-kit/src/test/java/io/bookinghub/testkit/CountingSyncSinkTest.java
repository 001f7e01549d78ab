package io.bookinghub.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.sync.UpsertOutcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountingSyncSinkTest {
    private static Client client(String name) {
        return new Client(new ExternalRef("x", "c-1"), name, null, null, new ProviderVersion(1L, null), null);
    }

    @Test
    void dropsEveryRecordAfterShowingItToTheInspector() {
        List<Object> seen = new ArrayList<>();
        CountingSyncSink sink = new CountingSyncSink(seen::add);

        assertThat(sink.upsert(client("A"))).isEqualTo(UpsertOutcome.CREATED);
        assertThat(sink.upsert(client("A"))).isEqualTo(UpsertOutcome.CREATED);
        assertThat(sink.delete(RecordKind.CLIENT, "c-1")).isFalse();

        assertThat(seen).hasSize(2);
        assertThat(sink.upserts(RecordKind.CLIENT)).isEqualTo(2);
        assertThat(sink.totalUpserts()).isEqualTo(2);
    }

    @Test
    void forwardsToATargetAndAnswersItsOutcomes() {
        InMemorySyncSink target = new InMemorySyncSink();
        CountingSyncSink sink = new CountingSyncSink(target);

        assertThat(sink.upsert(client("A"))).isEqualTo(UpsertOutcome.CREATED);
        assertThat(sink.upsert(client("A"))).isEqualTo(UpsertOutcome.UNCHANGED);
        assertThat(sink.delete(RecordKind.CLIENT, "c-1")).isTrue();

        assertThat(target.isDeleted(RecordKind.CLIENT, "c-1")).isTrue();
        assertThat(sink.upserts(RecordKind.CLIENT)).isEqualTo(2);
        assertThat(sink.upserts(RecordKind.APPOINTMENT)).isZero();
    }
}
