package io.bookinghub.toolkit.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncSink;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpdatedSinceCursorTest {
    private static final Instant T = Instant.parse("2026-03-20T08:00:00Z");
    private final Map<String, String> cursors = new HashMap<>();
    private int saves;

    /** A sink that only keeps cursors: the helper must not touch anything else. */
    private final SyncSink sink = (SyncSink) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {SyncSink.class}, (proxy, method, args) -> switch (method.getName()) {
                case "cursor" -> Optional.ofNullable(cursors.get((String) args[0]));
                case "saveCursor" -> {
                    saves++;
                    yield cursors.put((String) args[0], (String) args[1]);
                }
                default -> throw new AssertionError("unexpected " + method.getName());
            });

    @Test
    void theFirstRunReadsEverythingAndSavesTheProvidersLatestUpdatedAt() {
        UpdatedSinceCursor cursor = UpdatedSinceCursor.of(sink, "bookings", SyncMode.INCREMENTAL);
        assertThat(cursor.since()).isEmpty();

        cursor.seen(T.plusSeconds(30));
        cursor.seen(T.plusSeconds(90));
        cursor.seen(T);
        cursor.save();

        assertThat(cursors).containsEntry("bookings", "2026-03-20T08:01:30Z");
    }

    @Test
    void theNextRunReadsFromTheCursorMinusTheOverlap() {
        cursors.put("bookings", "2026-03-20T08:00:00Z");

        assertThat(UpdatedSinceCursor.of(sink, "bookings", SyncMode.INCREMENTAL).since())
                .contains(T.minus(UpdatedSinceCursor.DEFAULT_OVERLAP));
        assertThat(UpdatedSinceCursor.of(sink, "bookings", SyncMode.INCREMENTAL, Duration.ofSeconds(10)).since())
                .contains(T.minusSeconds(10));
        assertThat(UpdatedSinceCursor.of(sink, "bookings", SyncMode.FULL).since()).as("a full run reads all")
                .isEmpty();
        assertThat(UpdatedSinceCursor.of(sink, "staff", SyncMode.INCREMENTAL).since()).isEmpty();
    }

    @Test
    void theCursorNeverMovesBackAndARunThatSawNothingSavesNothing() {
        cursors.put("bookings", "2026-03-20T08:00:00Z");

        UpdatedSinceCursor nothing = UpdatedSinceCursor.of(sink, "bookings", SyncMode.INCREMENTAL);
        nothing.save();
        UpdatedSinceCursor overlapOnly = UpdatedSinceCursor.of(sink, "bookings", SyncMode.INCREMENTAL);
        overlapOnly.seen(T.minusSeconds(60));
        overlapOnly.save();
        assertThat(saves).isZero();

        UpdatedSinceCursor full = UpdatedSinceCursor.of(sink, "bookings", SyncMode.FULL);
        full.seen(T.plusSeconds(1));
        full.save();
        assertThat(cursors).containsEntry("bookings", "2026-03-20T08:00:01Z");
    }

    @Test
    void aCursorThatIsNotAnInstantCountsAsNone() {
        cursors.put("bookings", "page-7");
        assertThat(UpdatedSinceCursor.of(sink, "bookings", SyncMode.INCREMENTAL).since()).isEmpty();
    }
}
