package io.bookinghub.hub.tracing;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Tracing is off unless the operator configures an exporter with OpenTelemetry's standard variables
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_TRACES_EXPORTER}, {@code OTEL_SERVICE_NAME}, ...): then the SDK
 * is built from them by OpenTelemetry's autoconfiguration and closed (flushing its spans) when the hub stops.
 * Off, the hub uses {@link OpenTelemetry#noop()}: spans cost a method call and nothing is sent.
 */
public final class TracingFeature {
    /** Any of these, set and not "none", turns tracing on. */
    private static final List<String> SWITCHES = List.of("OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_TRACES_EXPORTER");

    private static final List<String> PASSED = List.of("OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_PROTOCOL",
            "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_TRACES_SAMPLER",
            "OTEL_TRACES_SAMPLER_ARG", "OTEL_PROPAGATORS");

    private TracingFeature() {
    }

    /**
     * @param given       the OpenTelemetry to use (tests pass an SDK with an in-memory exporter), or null to
     *                    configure it from {@code environment}
     * @param environment the process environment (injected, so tests control it)
     */
    public static HubTracing register(Environment dropwizard, OpenTelemetry given,
            Function<String, String> environment) {
        if (given != null) {
            return new HubTracing(given);
        }
        if (!enabled(environment)) {
            return HubTracing.noop();
        }
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> otelProperties(environment))
                .addPropertiesCustomizer(config -> Map.of("otel.service.name",
                        config.getString("otel.service.name", "booking-hub"),
                        // Metrics and logs have their own channels (Prometheus, log files): export traces only.
                        "otel.metrics.exporter", "none", "otel.logs.exporter", "none"))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        dropwizard.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                sdk.close();
            }
        });
        return new HubTracing(sdk);
    }

    static boolean enabled(Function<String, String> environment) {
        if ("true".equalsIgnoreCase(environment.apply("OTEL_SDK_DISABLED"))) {
            return false;
        }
        return SWITCHES.stream().map(environment).anyMatch(v -> v != null && !v.isBlank() && !v.equals("none"));
    }

    /**
     * The usual variables, read through the injected environment, as the {@code otel.*} properties autoconfiguration
     * takes (it reads the process environment as well, so every other standard variable works too).
     */
    private static Map<String, String> otelProperties(Function<String, String> environment) {
        Map<String, String> properties = new HashMap<>();
        for (String name : PASSED) {
            String value = environment.apply(name);
            if (value != null) {
                properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        }
        return properties;
    }
}
