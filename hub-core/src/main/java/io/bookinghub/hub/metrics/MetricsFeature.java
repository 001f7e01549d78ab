package io.bookinghub.hub.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import java.util.Map;

/**
 * Prometheus's text format on the admin port, {@code /metrics/prometheus}, next to Dropwizard's JSON at
 * {@code /metrics}: the hub's own metrics ({@link HubMetrics}) and, through Prometheus's Dropwizard bridge, every
 * Dropwizard metric (JVM, Jetty, request timers, the database pool, webhook intake counters) in one scrape.
 */
public final class MetricsFeature {
    public static final String PATH = "/metrics/prometheus";
    /** Dropwizard's pooled data source registers its gauges as {@code <PREFIX><pool name>.<gauge>}. */
    private static final String POOL_PREFIX = "io.dropwizard.db.ManagedPooledDataSource.";

    private MetricsFeature() {
    }

    /** Makes the hub's metrics, serves them on the admin port and returns them for the features to record. */
    public static HubMetrics register(Environment environment) {
        HubMetrics metrics = HubMetrics.create();
        MetricRegistry dropwizard = environment.metrics();
        DropwizardExports.builder().dropwizardRegistry(dropwizard).register(metrics.registry());
        poolGauges(metrics, dropwizard);
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(metrics.registry()))
                .addMapping(PATH);
        return metrics;
    }

    /**
     * The database pool's connections in use and threads waiting for one, under names an alert can use (the
     * bridged Dropwizard gauges carry them too, under the pool class's long name).
     */
    private static void poolGauges(HubMetrics metrics, MetricRegistry dropwizard) {
        metrics.gauge("hub_db_pool_active_connections", "Database connections in use, by pool",
                callback -> pool(dropwizard, "active", callback::call), "pool");
        metrics.gauge("hub_db_pool_waiting_threads", "Threads waiting for a database connection, by pool",
                callback -> pool(dropwizard, "waiting", callback::call), "pool");
    }

    private interface Reading {
        void call(double value, String... labels);
    }

    @SuppressWarnings("rawtypes")
    private static void pool(MetricRegistry dropwizard, String gauge, Reading reading) {
        for (Map.Entry<String, Gauge> e : dropwizard.getGauges((name, m) -> name.startsWith(POOL_PREFIX)
                && name.endsWith("." + gauge)).entrySet()) {
            String name = e.getKey();
            String pool = name.substring(POOL_PREFIX.length(), name.length() - gauge.length() - 1);
            if (e.getValue().getValue() instanceof Number n) {
                reading.call(n.doubleValue(), pool);
            }
        }
    }
}
