package io.bookinghub.toolkit.sync;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncSink;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The incremental cursor of one resource of a sync run ("bookings updated after X"), with the contract every
 * connector should follow:
 * <ul>
 * <li><b>What it is.</b> The largest {@code updated_at} the <em>provider</em> reported among the records this and
 * earlier runs wrote, never the hub's clock: the two clocks differ, and a record the provider stamps a moment
 * before the hub's "now" but commits after the read would be missed for ever.</li>
 * <li><b>Overlap.</b> The next run asks for records updated after the cursor minus an overlap (default
 * {@link #DEFAULT_OVERLAP}, 5 minutes), so records committed late with an earlier stamp, or sharing the cursor's
 * timestamp, are read again. Re-reading is harmless: upserts carry a provider version, and an unchanged record is
 * an unchanged upsert.</li>
 * <li><b>First run.</b> With no saved cursor, and in every {@link SyncMode#FULL} run, {@link #since()} is empty:
 * the connector reads everything (and a full run still saves the cursor it saw, so the next incremental run starts
 * from there).</li>
 * <li><b>Saving.</b> {@link #save()} writes the cursor through {@link SyncSink#saveCursor} as an ISO-8601 instant.
 * Call it only after every page of the resource was written (never after a partial or failed read, or the records
 * not yet read would be skipped by the next run). It never moves the cursor backwards, and saves nothing when the
 * run saw no record.</li>
 * </ul>
 * <pre>{@code
 * UpdatedSinceCursor cursor = UpdatedSinceCursor.of(sink, "bookings", request.mode());
 * ProviderRequest list = ProviderRequest.get("/bookings").list()
 *         .query("updated_after", cursor.since().map(Instant::toString).orElse(null));
 * ... for each record written: cursor.seen(Json.instant(item, "updated_at"));
 * cursor.save();   // after the last page
 * }</pre>
 * Not thread-safe: one per resource and run, used by the thread that writes the records.
 */
public final class UpdatedSinceCursor {
    /** Enough for a provider's commits to settle and for small clock steps on its side. */
    public static final Duration DEFAULT_OVERLAP = Duration.ofMinutes(5);

    private final SyncSink sink;
    private final String resource;
    private final Optional<Instant> saved;
    private final Optional<Instant> since;
    private Instant maxSeen;

    private UpdatedSinceCursor(SyncSink sink, String resource, SyncMode mode, Duration overlap) {
        this.sink = requireNonNull(sink, "sink is null");
        this.resource = requireNonNull(resource, "resource is null");
        requireNonNull(mode, "mode is null");
        if (requireNonNull(overlap, "overlap is null").isNegative()) {
            throw new IllegalArgumentException("overlap must not be negative");
        }
        this.saved = sink.cursor(resource).flatMap(UpdatedSinceCursor::parse);
        this.since = mode == SyncMode.FULL ? Optional.empty() : saved.map(s -> s.minus(overlap));
    }

    /** With the {@link #DEFAULT_OVERLAP}. */
    public static UpdatedSinceCursor of(SyncSink sink, String resource, SyncMode mode) {
        return new UpdatedSinceCursor(sink, resource, mode, DEFAULT_OVERLAP);
    }

    public static UpdatedSinceCursor of(SyncSink sink, String resource, SyncMode mode, Duration overlap) {
        return new UpdatedSinceCursor(sink, resource, mode, overlap);
    }

    /** A saved cursor that is not an instant (written by an older connector version) counts as none: read all. */
    private static Optional<Instant> parse(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Where this run reads from: empty means everything (a full run, or no cursor saved yet). */
    public Optional<Instant> since() {
        return since;
    }

    /** A record the run wrote, with the provider's {@code updated_at}. */
    public void seen(Instant updatedAt) {
        requireNonNull(updatedAt, "updatedAt is null");
        if (maxSeen == null || updatedAt.isAfter(maxSeen)) {
            maxSeen = updatedAt;
        }
    }

    /** The largest {@code updated_at} seen by this run, if any. */
    public Optional<Instant> maxSeen() {
        return Optional.ofNullable(maxSeen);
    }

    /** Saves the cursor (see the class comment); call after the whole resource was written. */
    public void save() {
        if (maxSeen != null && (saved.isEmpty() || maxSeen.isAfter(saved.get()))) {
            sink.saveCursor(resource, maxSeen.toString());
        }
    }
}
