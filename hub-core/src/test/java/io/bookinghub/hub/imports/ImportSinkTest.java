package io.bookinghub.hub.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.model.BatchingRecordSink;
import io.bookinghub.hub.sync.SyncProgress;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.fileimport.RowIssue;
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

    /** A classifier that answers CREATED for every record and remembers the batches it was given. */
    private final List<List<Object>> batches = new ArrayList<>();

    private List<UpsertOutcome> classify(List<Object> records) {
        batches.add(records);
        return records.stream().map(r -> r instanceof Client c && c.name().equals("Old") ? UpsertOutcome.STALE
                : UpsertOutcome.CREATED).toList();
    }

    @Test
    void aDryRunWritesNothingWhateverTheConnectorDoes() {
        ImportSink sink = ImportSink.dryRun(recording(), this::classify);

        assertThat(sink.upsert(client())).isEqualTo(UpsertOutcome.PENDING);
        assertThat(sink.delete(RecordKind.CLIENT, "C-1")).isFalse();
        sink.saveCursor("clients", "x");
        sink.skipped(RecordKind.CLIENT, "C-2", "row 3, column 'Name': empty");
        sink.progress("clients: valid", 1, 2);

        assertThat(calls).containsExactly("skipped", "progress");
    }

    @Test
    void aDryRunClassifiesUpsertsInBatchesAtPageBoundariesAndCountsThemPerKind() {
        ImportSink sink = ImportSink.dryRun(recording(), this::classify);
        for (int i = 0; i < BatchingRecordSink.MAX_BATCH + 2; i++) {
            sink.upsert(client());
        }
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).hasSize(BatchingRecordSink.MAX_BATCH);
        sink.progress("clients", 502, -1);
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).hasSize(2);
        sink.upsert(new Client(new ExternalRef("csv-import", "C-9"), "Old", null, null, ProviderVersion.UNKNOWN,
                "{}"));
        sink.finishDryRun();
        sink.finishDryRun();

        assertThat(batches).hasSize(3);
        assertThat(sink.dryRunCounts()).containsExactly(java.util.Map.entry(RecordKind.CLIENT,
                new DryRunCounts(BatchingRecordSink.MAX_BATCH + 2, 0, 1)));
    }

    @Test
    void rowIssuesAreKeptTypedAndLoggedWithTheRun() {
        ImportSink sink = ImportSink.of(recording());
        for (int i = 0; i < ImportSink.MAX_ROW_ISSUES + 5; i++) {
            sink.rowIssue(new RowIssue(i % 2 == 0 ? RowIssue.Level.SKIPPED : RowIssue.Level.WARNING,
                    RecordKind.CLIENT, null, i + 2, i == 0 ? "Name" : null, "empty"));
        }
        assertThat(sink.rowIssues()).hasSize(ImportSink.MAX_ROW_ISSUES);
        assertThat(sink.rowIssueCount()).isEqualTo(ImportSink.MAX_ROW_ISSUES + 5);
        assertThat(sink.rowIssues().get(0).message()).isEqualTo("row 2, column 'Name': empty");
        assertThat(calls).hasSize(ImportSink.MAX_ROW_ISSUES + 5);
        assertThat(calls.subList(0, 2)).containsExactly("skipped", "warning");
    }

    @Test
    void aRealImportPassesEverythingThrough() {
        ImportSink sink = ImportSink.of(recording());

        assertThat(sink.upsert(client())).isEqualTo(UpsertOutcome.CREATED);
        assertThat(sink.delete(RecordKind.CLIENT, "C-1")).isTrue();
        sink.saveCursor("clients", "x");
        assertThat(sink.cancelled()).isTrue();

        assertThat(calls).containsExactly("upsert", "delete", "saveCursor", "cancelled");
    }

    @Test
    void remembersTheLatestProgressOfEveryStageInOrder() {
        ImportSink sink = ImportSink.dryRun(recording(), this::classify);
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
        ImportSink sink = ImportSink.of(recording());
        for (int i = 0; i < 1000; i++) {
            sink.progress("row " + i, i, -1);
        }
        assertThat(sink.stages()).hasSize(ImportSink.MAX_STAGES);
    }
}
