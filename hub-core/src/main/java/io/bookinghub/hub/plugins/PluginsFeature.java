package io.bookinghub.hub.plugins;

import io.bookinghub.spi.SpiVersion;
import io.dropwizard.core.setup.Environment;

/** Connector plugins: loading the zips, the {@code /admin/connectors} listing and the plugins health check. */
public final class PluginsFeature {
    private PluginsFeature() {
    }

    /** Loads the plugins (a broken one is reported, not fatal) and registers the listing and health check. */
    public static ConnectorPlugins register(Environment environment, PluginsConfig config) {
        ConnectorPlugins plugins = new ConnectorPlugins(config.getDirectory(), SpiVersion.CURRENT);
        plugins.load();
        environment.lifecycle().manage(plugins);
        environment.jersey().register(new ConnectorResource(plugins));
        environment.healthChecks().register("plugins", new PluginsHealthCheck(plugins));
        return plugins;
    }
}
