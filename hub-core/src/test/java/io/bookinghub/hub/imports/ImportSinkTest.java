package io.bookinghub.hub.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.sync.SyncProgress;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.spi.sync.UpsertOutcome;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImportSinkTest {
    private final List<String> calls = new ArrayList<>();

    /** A run sink that records which methods reached it. */
    private SyncSink recording() {
        return (SyncSink) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SyncSink.class},
                (proxy, method, args) -> {
                    calls.add(method.getName());
                    return switch (method.getName()) {
                        case "upsert" -> UpsertOutcome.CREATED;
                        case "delete", "cancelled" -> true;
                        case "cursor" -> Optional.of("c");
                        default -> null;
                    };
                });
    }

    private static Client client() {
        return new Client(new ExternalRef("csv-import", "C-1"), "Anna", null, null, ProviderVersion.UNKNOWN, "{}");
    }

    @Test
    void aDryRunWritesNothingWhateverTheConnectorDoes() {
        ImportSink sink = new ImportSink(recording(), true);

        assertThat(sink.upsert(client())).isEqualTo(UpsertOutcome.UNCHANGED);
        assertThat(sink.delete(RecordKind.CLIENT, "C-1")).isFalse();
        sink.saveCursor("clients", "x");
        sink.skipped(RecordKind.CLIENT, "C-2", "row 3, column 'Name': empty");
        sink.progress("clients: valid", 1, 2);

        assertThat(calls).containsExactly("skipped", "progress");
    }

    @Test
    void aRealImportPassesEverythingThrough() {
        ImportSink sink = new ImportSink(recording(), false);

        assertThat(sink.upsert(client())).isEqualTo(UpsertOutcome.CREATED);
        assertThat(sink.delete(RecordKind.CLIENT, "C-1")).isTrue();
        sink.saveCursor("clients", "x");
        assertThat(sink.cancelled()).isTrue();

        assertThat(calls).containsExactly("upsert", "delete", "saveCursor", "cancelled");
    }

    @Test
    void remembersTheLatestProgressOfEveryStageInOrder() {
        ImportSink sink = new ImportSink(recording(), true);
        sink.progress("clients", 10, -1);
        sink.progress("clients", 12, 12);
        sink.progress("clients: valid", 11, 12);
        sink.progress("clients: invalid", 1, 12);

        assertThat(sink.stages()).containsExactly(
                java.util.Map.entry("clients", new SyncProgress("clients", 12, 12)),
                java.util.Map.entry("clients: valid", new SyncProgress("clients: valid", 11, 12)),
                java.util.Map.entry("clients: invalid", new SyncProgress("clients: invalid", 1, 12)));
    }

    @Test
    void stagesAreBoundedSoAStagePerRowCannotGrowMemory() {
        ImportSink sink = new ImportSink(recording(), false);
        for (int i = 0; i < 1000; i++) {
            sink.progress("row " + i, i, -1);
        }
        assertThat(sink.stages()).hasSize(ImportSink.MAX_STAGES);
    }
}
