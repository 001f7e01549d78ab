package io.bookinghub.hub.metrics;

import static java.util.Objects.requireNonNull;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The one way the hub records metrics: each feature asks this for its counters, histograms and gauges (named
 * {@code hub_<feature>_<what>}) and keeps them. Labels are bounded sets only (connector id, status, outcome,
 * reason, route template), never a tenant or connection id: per-connection detail belongs in the admin API, and a
 * label per tenant would grow the series without bound.
 *
 * <p>Asking twice for the same name returns the same metric, so two worker pools in one process (tests, and the
 * demo) share their counters instead of failing to register.
 */
public final class HubMetrics {
    /** The label every per-provider metric carries. */
    public static final String CONNECTOR = "connector";

    private static final Pattern NAME = Pattern.compile("hub_[a-z][a-z0-9_]*");
    /** Latency buckets in seconds: from a fast local database write to a provider call at its 60 s cap. */
    private static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final PrometheusRegistry registry;
    private final Map<String, Object> metrics = new ConcurrentHashMap<>();
    private final Counter failedReads;

    public HubMetrics(PrometheusRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
        this.failedReads = counter("hub_metrics_failed_reads", "Gauge reads that failed during a scrape (the gauge "
                + "was left out of it), by metric", "metric");
    }

    /** A hub with its own registry (tests, and each hub in one JVM, stay apart). */
    public static HubMetrics create() {
        return new HubMetrics(new PrometheusRegistry());
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** A counter; Prometheus shows it as {@code <name>_total}. */
    public Counter counter(String name, String help, String... labels) {
        return get(name, Counter.class, () -> Counter.builder().name(checked(name)).help(help).labelNames(labels)
                .register(registry));
    }

    /** A histogram of seconds with the hub's latency buckets ({@link #seconds(Duration)} converts). */
    public Histogram seconds(String name, String help, String... labels) {
        return get(name, Histogram.class, () -> Histogram.builder().name(checked(name)).help(help)
                .labelNames(labels).classicOnly().classicUpperBounds(SECONDS).register(registry));
    }

    /** A histogram of counts (records per page, rows per import) with the given upper bounds. */
    public Histogram sizes(String name, String help, double[] bounds, String... labels) {
        return get(name, Histogram.class, () -> Histogram.builder().name(checked(name)).help(help)
                .labelNames(labels).classicOnly().classicUpperBounds(bounds).register(registry));
    }

    /** A gauge the code sets or moves (e.g. runs in progress on this node). */
    public Gauge gauge(String name, String help, String... labels) {
        return get(name, Gauge.class, () -> Gauge.builder().name(checked(name)).help(help).labelNames(labels)
                .register(registry));
    }

    /**
     * A gauge read on each scrape (e.g. counts from the shared database): {@code read} calls
     * {@code callback.call(value, labelValues...)} once per series. Registered once per name; a second
     * registration of the same name keeps the first reader.
     */
    public void gauge(String name, String help, Consumer<GaugeWithCallback.Callback> read, String... labels) {
        get(name, GaugeWithCallback.class, () -> GaugeWithCallback.builder().name(checked(name)).help(help)
                .labelNames(labels).callback(callback -> {
                    try {
                        read.accept(callback);
                    } catch (RuntimeException e) {
                        // The database is down, say: this gauge has no series in this scrape, and every other
                        // metric (those that show the outage, too) is still served.
                        failedReads.labelValues(name).inc();
                    }
                }).register(registry));
    }

    /** Seconds as a double, the unit of every duration the hub exposes. */
    public static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private <T> T get(String name, Class<T> type, Supplier<T> create) {
        Object metric = metrics.computeIfAbsent(name, n -> create.get());
        if (!type.isInstance(metric)) {
            throw new IllegalStateException(name + " is already a " + metric.getClass().getSimpleName());
        }
        return type.cast(metric);
    }

    private static String checked(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric names are hub_<feature>_<what> in snake case: " + name);
        }
        return name;
    }
}
