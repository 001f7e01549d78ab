package io.bookinghub.toolkit.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.toolkit.json.Json;
import io.bookinghub.toolkit.paging.Page;
import io.bookinghub.toolkit.paging.PageSource;
import io.bookinghub.toolkit.paging.Pages;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SyncPagesTest {
    private final Map<String, String> cursors = new HashMap<>();
    private final List<String> skipped = new ArrayList<>();
    private final List<String> progress = new ArrayList<>();
    private final List<Integer> fetched = new ArrayList<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<String> written = new ArrayList<>();

    private final SyncSink sink = (SyncSink) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {SyncSink.class}, (proxy, method, args) -> switch (method.getName()) {
                case "cursor" -> Optional.ofNullable(cursors.get((String) args[0]));
                case "saveCursor" -> cursors.put((String) args[0], (String) args[1]);
                case "skipped" -> skipped.add(args[0] + " " + args[1] + ": " + args[2]);
                case "progress" -> progress.add(args[0] + " " + args[1] + "/" + args[2]);
                case "cancelled" -> cancelled.get();
                default -> throw new AssertionError("unexpected " + method.getName());
            });

    /** Three pages of two bookings; b-3 has a bad start, b-4 no updated_at. */
    private Stream<Page<JsonNode, Integer>> pages() {
        PageSource<JsonNode, Integer> source = n -> {
            fetched.add(n);
            List<JsonNode> items = new ArrayList<>();
            for (int i = 2 * n - 1; i <= 2 * n; i++) {
                String start = i == 3 ? "tomorrow" : "2026-03-28T10:00:00+01:00";
                String updated = i == 4 ? "" : ",\"updated_at\":\"2026-03-20T08:0" + i + ":00Z\"";
                items.add(Json.object("{\"id\":\"b-" + i + "\",\"start\":\"" + start + "\"" + updated + "}"));
            }
            return new Page<>(n, items, n < 3 ? Optional.of(n + 1) : Optional.empty(), 3);
        };
        return Pages.stream(1, source);
    }

    private void write(JsonNode item) {
        Json.instant(item, "start");
        written.add(Json.text(item, "id"));
    }

    @Test
    void writesEveryPageSkipsUnmappableItemsAndReportsProgress() {
        assertThat(SyncPages.write(pages(), sink, RecordKind.APPOINTMENT, "bookings", this::write)).isTrue();

        assertThat(written).containsExactly("b-1", "b-2", "b-4", "b-5", "b-6");
        assertThat(skipped).containsExactly("APPOINTMENT b-3: start: not an ISO-8601 date-time with an offset: "
                + "'tomorrow'");
        assertThat(progress).containsExactly("bookings 1/3", "bookings 2/3", "bookings 3/3");
        assertThat(cursors).isEmpty();
    }

    @Test
    void movesAndSavesTheCursorOnceTheListWasRead() {
        UpdatedSinceCursor cursor = UpdatedSinceCursor.of(sink, "bookings", SyncMode.INCREMENTAL);

        assertThat(SyncPages.write(pages(), sink, RecordKind.APPOINTMENT, "bookings", cursor, "updated_at",
                this::write)).isTrue();

        assertThat(written).containsExactly("b-1", "b-2", "b-5", "b-6");
        assertThat(skipped).hasSize(2).anySatisfy(s -> assertThat(s).isEqualTo("APPOINTMENT b-4: updated_at: missing"));
        assertThat(cursors).containsEntry("bookings", "2026-03-20T08:06:00Z");
    }

    @Test
    void aCancelledRunStopsBetweenPagesAndSavesNoCursor() {
        UpdatedSinceCursor cursor = UpdatedSinceCursor.of(sink, "bookings", SyncMode.INCREMENTAL);
        SyncPages.ItemWriter cancelAfterB2 = item -> {
            write(item);
            cancelled.set(written.contains("b-2"));
        };

        assertThat(SyncPages.write(pages(), sink, RecordKind.APPOINTMENT, "bookings", cursor, "updated_at",
                cancelAfterB2)).isFalse();

        assertThat(fetched).containsExactly(1);
        assertThat(written).containsExactly("b-1", "b-2");
        assertThat(cursors).isEmpty();
    }

    @Test
    void anyOtherFailureEndsTheRun() {
        SyncPages.ItemWriter failing = item -> {
            throw new ConnectorException(ErrorCode.INTERNAL, "sink down");
        };
        assertThatThrownBy(() -> SyncPages.write(pages(), sink, RecordKind.APPOINTMENT, "bookings", failing))
                .hasMessage("sink down");
        assertThat(progress).isEmpty();
    }
}
