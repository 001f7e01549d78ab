package io.bookinghub.hub.retention;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.ratebudget.SharedRateBudgets;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes audit and history rows past their retention ({@link RetentionConfig}) and expired rate-budget buckets.
 * Every node schedules it; a PostgreSQL advisory lock, held by one session for the length of a run, lets one
 * node at a time do the work (a node that dies releases it with its session). Rows go in batches, each batch
 * its own short transaction, so a large backlog never holds locks or a transaction for long.
 */
public final class RetentionJob implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    /** One kind of row: how to delete a batch older than the cutoff. */
    @FunctionalInterface
    private interface BatchDelete {
        int delete(RetentionDao dao, Instant cutoff, int batch);
    }

    private record Rule(String name, Duration keep, BatchDelete delete) {
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final RetentionConfig config;
    private final SharedRateBudgets rateBudgets;
    private ScheduledExecutorService scheduler;

    public RetentionJob(Jdbi jdbi, Clock clock, RetentionConfig config, SharedRateBudgets rateBudgets) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.config = requireNonNull(config, "config is null");
        this.rateBudgets = requireNonNull(rateBudgets, "rateBudgets is null");
    }

    /**
     * Runs the job once, unless another node is running it.
     *
     * @return rows deleted per kind, or empty when another node holds the lock
     */
    public Optional<Map<String, Integer>> runOnce() {
        try (Handle handle = jdbi.open()) {
            RetentionDao dao = handle.attach(RetentionDao.class);
            if (!dao.tryLock()) {
                return Optional.empty();
            }
            try {
                Map<String, Integer> deleted = new LinkedHashMap<>();
                Instant now = clock.instant();
                for (Rule rule : rules()) {
                    deleted.put(rule.name(), deleteAll(dao, rule, now.minus(rule.keep())));
                }
                deleted.put("rate_budget_buckets", purgeBuckets());
                return Optional.of(deleted);
            } finally {
                dao.unlock();
            }
        }
    }

    private Rule[] rules() {
        return new Rule[] {
            new Rule("api_call_log", config.getApiCalls(), RetentionDao::deleteApiCalls),
            new Rule("sync_logs", config.getSyncRuns(), RetentionDao::deleteSyncLogs),
            new Rule("sync_runs", config.getSyncRuns(), RetentionDao::deleteSyncRuns),
            new Rule("connection_events", config.getConnectionEvents(), RetentionDao::deleteConnectionEvents),
            new Rule("webhook_inbox", config.getWebhookInbox(), RetentionDao::deleteWebhookInbox),
            new Rule("webhook_log", config.getWebhookAudit(), RetentionDao::deleteWebhookAudit),
            new Rule("webhook_log_refused", config.getRefusedWebhookAudit(), RetentionDao::deleteRefusedWebhookAudit),
            new Rule("booking_commands", config.getBookingCommands(), RetentionDao::deleteBookingCommands),
            new Rule("model_changes", config.getChangeFeed(), RetentionDao::deleteChanges),
            new Rule("app_webhook_deliveries", config.getAppWebhookDeliveries(), RetentionDao::deleteAppWebhookDeliveries),
            // Console rows carry their own expiry (a session's idle and absolute limits, an upload's hour): gone once
            // it has passed, whether or not anyone signs in or uploads again.
            new Rule("console_sessions", Duration.ZERO, RetentionDao::deleteConsoleSessions),
            new Rule("console_uploads", Duration.ZERO, RetentionDao::deleteConsoleUploads),
        };
    }

    /** Batches until one comes back short; the handle is in auto-commit, so each batch commits by itself. */
    private int deleteAll(RetentionDao dao, Rule rule, Instant cutoff) {
        int total = 0;
        while (true) {
            int batch = rule.delete().delete(dao, cutoff, config.getBatchSize());
            total += batch;
            if (batch < config.getBatchSize()) {
                return total;
            }
        }
    }

    private int purgeBuckets() {
        int total = 0;
        while (true) {
            int batch = rateBudgets.purgeExpired(config.getBatchSize());
            total += batch;
            if (batch < config.getBatchSize()) {
                return total;
            }
        }
    }

    @Override
    public void start() {
        if (!config.isEnabled()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retention");
            t.setDaemon(true);
            return t;
        });
        long every = config.getInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::runLogged, every, every, TimeUnit.MILLISECONDS);
    }

    private void runLogged() {
        try {
            runOnce().ifPresent(deleted -> {
                if (deleted.values().stream().anyMatch(n -> n > 0)) {
                    LOG.info("Retention deleted {}", deleted);
                }
            });
        } catch (RuntimeException e) {
            // Retried at the next interval; the exception's message carries no bound values (see HubDatabase).
            LOG.warn("Retention run failed: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
