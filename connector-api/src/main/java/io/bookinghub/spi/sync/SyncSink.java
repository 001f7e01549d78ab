package io.bookinghub.spi.sync;

import io.bookinghub.model.RecordKind;
import java.util.Optional;

/**
 * The sink for one sync run: upserts are counted against the run and marked as seen (so a complete
 * full sync can soft-delete what the provider no longer has), and the connector reports progress,
 * skipped records and its incremental cursors.
 */
public interface SyncSink extends RecordSink {

    /**
     * A provider record that could not be mapped; it is recorded with the run and the sync goes on.
     *
     * @param kind       what kind of record
     * @param externalId provider id if known, else null
     * @param reason     why it was skipped (no secrets, no full payload)
     */
    void skipped(RecordKind kind, String externalId, String reason);

    /**
     * A record that was written but with something the admin should know, e.g. a local time that a
     * daylight-saving change skips, imported an hour later. Unlike {@link #skipped} it does not count the record
     * as skipped. The hub keeps it in the run's log; a sink that keeps no log may ignore it.
     *
     * @param kind       what kind of record
     * @param externalId the record's id if known, else null
     * @param message    what happened (no secrets, no full payload)
     */
    default void warning(RecordKind kind, String externalId, String message) {
    }

    /** Progress for long runs, e.g. ("appointments", 12, 40) after page 12 of 40; total may be -1. */
    void progress(String stage, long done, long total);

    /** The cursor saved by the last run that stored one for this resource (e.g. an updated-since watermark). */
    Optional<String> cursor(String resource);

    /**
     * Persists a resource's cursor immediately, so a crashed run resumes from here. Call it only after
     * everything the cursor covers has been written.
     */
    void saveCursor(String resource, String cursor);

    /** True when an admin or shutdown asked the run to stop; connectors check it between pages. */
    boolean cancelled();
}
