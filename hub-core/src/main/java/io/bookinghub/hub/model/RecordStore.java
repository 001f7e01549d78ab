package io.bookinghub.hub.model;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.sync.UpsertOutcome;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The shared model's one writer: every path that stores provider records (sync runs, file imports, webhook
 * workers) gets its sink here, so all of them share the same idempotent, stale-safe upserts.
 */
public final class RecordStore {
    private final Jdbi jdbi;
    private final Clock clock;

    public RecordStore(Jdbi jdbi, Clock clock) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * A sink for records of one business and connector that arrive outside a sync run (webhooks); it tells
     * afterwards whether everything it was given was stale.
     */
    public JdbiRecordSink sink(UUID businessId, String connectorId) {
        return new JdbiRecordSink(jdbi, clock, businessId, connectorId, null);
    }

    /**
     * As {@link #sink}, writing in the caller's open transaction on {@code handle} (see
     * {@link JdbiRecordSink#inTransaction}).
     */
    public JdbiRecordSink sinkInTransaction(Handle handle, UUID businessId, String connectorId) {
        return JdbiRecordSink.inTransaction(handle, clock, businessId, connectorId);
    }

    /**
     * A sink for one run: it writes upserts in batches ({@link BatchingRecordSink#flush()}), and every row it
     * writes or confirms is stamped as seen by {@code runId}, which the soft delete after a complete FULL run
     * relies on.
     *
     * @param written called with each record's outcome once its batch is written
     */
    public BatchingRecordSink sinkForRun(UUID businessId, String connectorId, UUID runId,
            Consumer<UpsertOutcome> written) {
        return new BatchingRecordSink(new JdbiRecordSink(jdbi, clock, businessId, connectorId,
                requireNonNull(runId, "runId is null")), written);
    }
}
