package io.bookinghub.hub.plugins;

import com.codahale.metrics.health.HealthCheck;
import java.util.stream.Collectors;

/** Unhealthy while any plugin in the folder failed to load. */
public final class PluginsHealthCheck extends HealthCheck {
    private final ConnectorPlugins plugins;

    public PluginsHealthCheck(ConnectorPlugins plugins) {
        this.plugins = plugins;
    }

    @Override
    protected Result check() {
        if (plugins.problems().isEmpty()) {
            return Result.healthy(plugins.connectors().size() + " connector(s) loaded");
        }
        return Result.unhealthy(plugins.problems().stream().map(p -> p.plugin() + ": " + p.reason())
                .collect(Collectors.joining("; ")));
    }
}
