package io.bookinghub.hub.sync;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.connections.ConnectionDao;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.sync.SyncMode;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the syncs of connections whose {@code next_sync_at} has come. Several hub processes may run
 * a scheduler on one database: a due connection is claimed by moving its {@code next_sync_at} one
 * interval ahead in the same statement that selects it ({@code FOR UPDATE SKIP LOCKED}), so exactly
 * one process starts it per interval. The next time is counted from the claim, not from the previous
 * due time, so a hub that was down does not fire a burst of catch-up runs, and a failing connection
 * is retried once per interval, never in a loop.
 */
public final class SyncScheduler implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);
    static final String TRIGGER = "schedule";

    private final Jdbi jdbi;
    private final Clock clock;
    private final SyncConfig config;
    private final SyncService service;
    private ScheduledExecutorService timer;

    public SyncScheduler(Jdbi jdbi, Clock clock, SyncConfig config, SyncService service) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.config = requireNonNull(config, "config is null");
        this.service = requireNonNull(service, "service is null");
    }

    /**
     * One scheduler pass: reaps abandoned runs, claims due connections and starts their syncs.
     *
     * @return the runs started
     */
    public List<SyncRun> pollOnce() {
        service.ledger().reapStale();
        List<UUID> claimed = claimDue(clock.instant());
        List<SyncRun> started = new ArrayList<>();
        for (UUID connectionId : claimed) {
            ConnectionRow row = jdbi.onDemand(ConnectionDao.class).findById(connectionId).orElse(null);
            if (row == null) {
                continue;
            }
            try {
                SyncMode mode = service.defaultMode(row);
                started.add(service.start(row, mode, TRIGGER));
            } catch (ConnectorException e) {
                if (e.code() == ErrorCode.CONFLICT) {
                    LOG.debug("Scheduled sync of connection {} skipped: {}", connectionId, e.getMessage());
                } else {
                    LOG.warn("Scheduled sync of connection {} ({}) not started: {}", connectionId, row.connectorId(),
                            e.toString());
                }
            } catch (RuntimeException e) {
                LOG.warn("Scheduled sync of connection {} ({}) not started: {}", connectionId, row.connectorId(),
                        e.toString());
            }
        }
        return started;
    }

    /** Moves every due connection's next_sync_at one interval past {@code now}; returns their ids. */
    List<UUID> claimDue(Instant now) {
        return jdbi.inTransaction(h -> h.createQuery("WITH due AS (SELECT id FROM connections WHERE enabled"
                        // Until someone (re)authorizes, every run would fail the same way.
                        + " AND status = 'ACTIVE'"
                        + " AND sync_interval IS NOT NULL AND next_sync_at <= CAST(:now AS timestamptz)"
                        + " ORDER BY next_sync_at FOR UPDATE SKIP LOCKED LIMIT :batch)"
                        + " UPDATE connections c SET next_sync_at = CAST(:now AS timestamptz)"
                        + " + CAST(c.sync_interval AS interval) FROM due WHERE c.id = due.id RETURNING c.id")
                .bind("now", now).bind("batch", config.getClaimBatch())
                .mapTo(UUID.class).list());
    }

    @Override
    public synchronized void start() {
        if (!config.isSchedulerEnabled() || timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sync-scheduler");
            t.setDaemon(true);
            return t;
        });
        long every = config.getPollInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                // A scheduled task that throws is never run again: keep polling whatever happened.
                LOG.warn("Sync scheduler pass failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
            timer = null;
        }
    }
}
