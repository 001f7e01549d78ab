package io.bookinghub.hub.outbound;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.metrics.HubMetrics;
import io.bookinghub.hub.tracing.HubTracing;
import io.bookinghub.spi.http.OutboundHttp;
import io.dropwizard.core.setup.Environment;

/**
 * The one outbound-call policy of the hub: every connector's network calls go through the {@link OutboundHttp}
 * made here ({@code ConnectorContext.http()}), and operator settings can be checked against the same
 * {@link OutboundPolicy} before anything is sent.
 */
public record OutboundFeature(OutboundPolicy policy, ProviderCalls http) {

    public OutboundFeature {
        requireNonNull(policy, "policy is null");
        requireNonNull(http, "http is null");
    }

    /** Builds the shared client; it is closed when the hub stops. */
    public static OutboundFeature register(Environment environment, OutboundConfig config, HubMetrics metrics,
            HubTracing tracing) {
        OutboundPolicy policy = new OutboundPolicy(config.allowRules(), NameLookup.SYSTEM);
        HubOutboundHttp http = new HubOutboundHttp(policy, config.getMaxResponseBytes(),
                config.getMaxConnectTimeout(), config.getMaxRequestTimeout());
        environment.lifecycle().manage(http);
        return new OutboundFeature(policy, new ProviderCalls(http, metrics, tracing));
    }
}
