package io.bookinghub.toolkit.sync;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.toolkit.json.Json;
import io.bookinghub.toolkit.json.JsonFieldException;
import io.bookinghub.toolkit.paging.Page;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * The loop every sync writes around a provider's pages: write each item, skip (not fail) one that cannot be mapped,
 * report progress after each page, stop between pages when the run is cancelled, and save the incremental cursor
 * only once the whole list was read.
 *
 * <pre>{@code
 * UpdatedSinceCursor cursor = UpdatedSinceCursor.of(sink, "bookings", request.mode());
 * boolean complete = SyncPages.write(JsonPages.numbered(http, ProviderRequest.get("/bookings")
 *                 .query("updated_after", cursor.since().map(Instant::toString).orElse(null)),
 *                 "page", "per_page", 100, "data", "next_page"),
 *         sink, RecordKind.APPOINTMENT, "bookings", cursor, "updated_at", item -> sink.upsert(map(item)));
 * return complete ? SyncResult.completed() : SyncResult.partial("cancelled");
 * }</pre>
 */
public final class SyncPages {
    private SyncPages() {
    }

    /** Writes one provider record; throws {@link JsonFieldException} or {@link IllegalArgumentException} to skip it. */
    @FunctionalInterface
    public interface ItemWriter {
        void write(JsonNode item);
    }

    /**
     * Writes every item of every page. An item whose writer throws {@link JsonFieldException} or
     * {@link IllegalArgumentException} (a model record's validation) is reported with {@link SyncSink#skipped}
     * (its {@code id} field as the external id, when it has a usable one) and the run goes on; any other failure
     * ends the run. After each page: {@code sink.progress(stage, pagesRead, totalPages or -1)}. Before each page
     * {@link SyncSink#cancelled()} is checked, and a cancelled run stops without reading further pages.
     *
     * @return true when the last page was written; false when the run was cancelled first
     */
    public static boolean write(Stream<? extends Page<JsonNode, ?>> pages, SyncSink sink, RecordKind kind,
            String stage, ItemWriter writer) {
        return write(pages, sink, kind, stage, null, null, writer);
    }

    /**
     * Like {@link #write(Stream, SyncSink, RecordKind, String, ItemWriter)}, and every written item's
     * {@code updatedAtField} (an ISO-8601 instant from the provider) moves {@code cursor}, which is saved when the
     * last page was written (never after a cancelled run). An item without a readable {@code updatedAtField} is
     * skipped before it is written; an item the writer skips still moves the cursor (re-reading it would fail the
     * same way until the provider changes it, which gives it a newer {@code updated_at}).
     */
    public static boolean write(Stream<? extends Page<JsonNode, ?>> pages, SyncSink sink, RecordKind kind,
            String stage, UpdatedSinceCursor cursor, String updatedAtField, ItemWriter writer) {
        requireNonNull(sink, "sink is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(writer, "writer is null");
        if (cursor != null) {
            requireNonNull(updatedAtField, "updatedAtField is null");
        }
        try (Stream<? extends Page<JsonNode, ?>> closing = pages) {
            Iterator<? extends Page<JsonNode, ?>> it = closing.iterator();
            long read = 0;
            // Cancellation is checked before hasNext(): a stream's iterator fetches the next page in hasNext().
            while (true) {
                if (sink.cancelled()) {
                    return false;
                }
                if (!it.hasNext()) {
                    break;
                }
                Page<JsonNode, ?> page = it.next();
                for (JsonNode item : page.items()) {
                    try {
                        if (cursor != null) {
                            cursor.seen(Json.instant(item, updatedAtField));
                        }
                        writer.write(item);
                    } catch (JsonFieldException | IllegalArgumentException e) {
                        sink.skipped(kind, externalId(item), e.getMessage());
                    }
                }
                sink.progress(stage, ++read, page.totalPages());
            }
        }
        if (cursor != null) {
            cursor.save();
        }
        return true;
    }

    private static String externalId(JsonNode item) {
        JsonNode id = item == null ? null : item.get("id");
        boolean usable = id != null && (id.isTextual() || id.isIntegralNumber()) && !id.asText().isBlank()
                && id.asText().length() <= 255;
        return usable ? id.asText() : null;
    }
}
