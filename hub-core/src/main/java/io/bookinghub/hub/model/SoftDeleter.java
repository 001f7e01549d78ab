package io.bookinghub.hub.model;

import static io.bookinghub.hub.model.SqlArgs.text;
import static io.bookinghub.hub.model.SqlArgs.timestamp;
import static io.bookinghub.hub.model.SqlArgs.uuid;
import static java.util.Objects.requireNonNull;

import io.bookinghub.model.RecordKind;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Soft-deletes the records a complete FULL sync did not see: the provider no longer has them. Only call
 * it after a run whose connector reported {@code SyncResult.complete()}, and only for the kinds that run
 * actually read; otherwise records that merely were not fetched would disappear.
 */
public final class SoftDeleter {
    private final Jdbi jdbi;
    private final Clock clock;

    public SoftDeleter(Jdbi jdbi, Clock clock) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Marks deleted every live row of the business and connector, of the given kinds, whose
     * {@code last_seen_run} is not {@code runId}. All kinds are handled in one transaction.
     *
     * @return the number of rows deleted per requested kind (0 included)
     */
    public Map<RecordKind, Integer> softDeleteUnseen(UUID businessId, String connectorId, UUID runId,
            Set<RecordKind> kinds) {
        return softDeleteUnseen(businessId, connectorId, runId, kinds, null);
    }

    /**
     * Like {@link #softDeleteUnseen(UUID, String, UUID, Set)}, but keeps rows the hub changed at or after
     * {@code changedBefore} (typically the run's start): a webhook may have created a record while the
     * full sync was already past the page that would have contained it.
     *
     * @param changedBefore null to ignore {@code updated_at}
     */
    public Map<RecordKind, Integer> softDeleteUnseen(UUID businessId, String connectorId, UUID runId,
            Set<RecordKind> kinds, Instant changedBefore) {
        requireNonNull(businessId, "businessId is null");
        requireNonNull(connectorId, "connectorId is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(kinds, "kinds is null");
        Instant now = clock.instant();
        Map<RecordKind, Integer> counts = new EnumMap<>(RecordKind.class);
        jdbi.useTransaction(h -> {
            for (RecordKind kind : kinds) {
                var update = h.createUpdate("UPDATE " + RecordTables.of(kind) + " SET deleted_at = :now, updated_at = :now"
                                + " WHERE business_id = :business_id AND connector_id = :connector_id"
                                + " AND deleted_at IS NULL AND last_seen_run IS DISTINCT FROM :run"
                                + (changedBefore == null ? "" : " AND updated_at < :changed_before"))
                        .bind("now", timestamp(now))
                        .bind("business_id", uuid(businessId))
                        .bind("connector_id", text(connectorId))
                        .bind("run", uuid(runId));
                if (changedBefore != null) {
                    update.bind("changed_before", timestamp(changedBefore));
                }
                int n = update.execute();
                counts.put(kind, n);
            }
        });
        return Collections.unmodifiableMap(counts);
    }

    /**
     * Stamps rows the provider still has but the run skipped as malformed as seen by {@code runId}, on the
     * caller's handle (inside the transaction that then soft-deletes), so the soft delete keeps them.
     */
    public void markSeen(Handle h, RecordKind kind, UUID businessId, String connectorId,
            Collection<String> externalIds, UUID runId) {
        if (externalIds.isEmpty()) {
            return;
        }
        h.createUpdate("UPDATE " + RecordTables.of(kind) + " SET last_seen_run = :run WHERE business_id = :b"
                        + " AND connector_id = :cid AND external_id = ANY(:ids)")
                .bind("run", runId).bind("b", businessId).bind("cid", connectorId)
                .bindArray("ids", String.class, externalIds).execute();
    }
}
