package io.bookinghub.hub.webhooks;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.bookinghub.hub.businesses.BusinessDao;
import io.bookinghub.hub.metrics.HubMetrics;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.hub.tracing.HubTracing;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The webhook feature assembled: intake (with its group-commit writer), inbox workers and the admin
 * view. {@link #register} is all HubApplication needs to call.
 */
public final class WebhooksFeature {
    private static final long MAX_CACHED_ACCOUNTS = 100_000;

    private final Jdbi jdbi;
    private final Clock clock;
    private final WebhooksConfig config;
    private final WebhookConnectors connectors;
    private final RecordStore records;
    private final WebhookStore store;
    private final AccountRoutes routes;
    private final InboxWriter writer;
    private final RefusedAuditLimiter limiter;
    private final WebhookIntake intake;
    private final MetricRegistry metrics;
    private final WebhookMetrics hubMetrics;
    private final HubTracing tracing;

    public WebhooksFeature(Jdbi jdbi, Clock clock, WebhooksConfig config, WebhookConnectors connectors,
            RecordStore records, MetricRegistry metrics, HubMetrics hubMetrics, HubTracing tracing) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.config = requireNonNull(config, "config is null");
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.records = requireNonNull(records, "records is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.store = new WebhookStore(jdbi);
        this.hubMetrics = new WebhookMetrics(hubMetrics, store, clock);
        this.tracing = requireNonNull(tracing, "tracing is null");
        this.routes = new AccountRoutes(store, config.getRoutingCacheTtl().toJavaDuration(), MAX_CACHED_ACCOUNTS,
                Ticker.systemTicker());
        this.writer = new InboxWriter(jdbi, clock, store, config.getWriterBatchSize(), config.getWriterQueueCapacity(),
                config.getWriterThreads());
        this.limiter = new RefusedAuditLimiter(clock, config.getRefusedAuditPerMinute());
        this.intake = new WebhookIntake(clock, connectors, store, routes, writer, limiter,
                new IntakeLimiter(clock, config.getIntakePerConnectionPerSecond(), config.getIntakeBurstPerConnection()),
                config.getMaxBodyBytes(), config.getAckTimeout().toJavaDuration(), metrics, this.hubMetrics);
    }

    /** Registers the routes and manages the writer and one worker pool with the Dropwizard lifecycle. */
    public static WebhooksFeature register(Environment environment, Jdbi jdbi, Clock clock, WebhooksConfig config,
            WebhookConnectors connectors, RecordStore records, HubMetrics metrics, HubTracing tracing) {
        WebhooksFeature webhooks = new WebhooksFeature(jdbi, clock, config, connectors, records, environment.metrics(),
                metrics, tracing);
        environment.lifecycle().manage(webhooks.writer);
        environment.lifecycle().manage(webhooks.newWorkers("webhook-worker"));
        environment.jersey().register(new WebhookResource(webhooks.intake));
        environment.jersey().register(new BusinessWebhookResource(webhooks.store, jdbi.onDemand(BusinessDao.class)));
        environment.jersey().register(new WebhookAdminResource(webhooks.store, webhooks.limiter, clock));
        return webhooks;
    }

    /** Drops cached routing; call it when this process changes a connection. */
    public void connectionsChanged() {
        routes.invalidateAll();
    }

    public WebhookIntake intake() {
        return intake;
    }

    /** Starts the group-commit writer (register() leaves this to the lifecycle). */
    public void startWriter() {
        writer.start();
    }

    public void stopWriter() throws InterruptedException {
        writer.stop();
    }

    /**
     * A worker pool as configured; each call makes an independent pool with its own node id, as another
     * process would have. The id only has to be unique among live nodes, so a random UUID will do.
     */
    public WebhookWorkers newWorkers(String name) {
        return new WebhookWorkers(clock, store, connectors, records, new WebhookWorkers.Settings(
                config.getWorkerThreads(), config.getPollInterval().toJavaDuration(), config.getClaimBatchSize(),
                config.getClaimPerConnection(), config.getMaxWorkersPerConnection(),
                config.getApplyTimeout().toJavaDuration(), config.getMaxAttempts(),
                config.getInitialBackoff().toJavaDuration(), config.getMaxBackoff().toJavaDuration(),
                config.getLease().toJavaDuration(), config.getNodeHeartbeatInterval().toJavaDuration(),
                config.getNodeStaleAfter().toJavaDuration(), config.getRetention().toJavaDuration()),
                name, name + "-" + UUID.randomUUID(), metrics, hubMetrics, tracing);
    }

    WebhookStore store() {
        return store;
    }

    RefusedAuditLimiter limiter() {
        return limiter;
    }

    Jdbi jdbi() {
        return jdbi;
    }
}
