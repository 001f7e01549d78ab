package io.bookinghub.hub.plugins;

import io.bookinghub.spi.SpiVersion;
import io.dropwizard.core.setup.Environment;

/** Connector plugins: loading the zips, the {@code /admin/connectors} listing and the plugins health check. */
public final class PluginsFeature {
    private PluginsFeature() {
    }

    /**
     * Loads the plugins (a broken one is reported, not fatal). Separate from {@link #register} so that start-up can
     * load them while the embedded database starts.
     */
    public static ConnectorPlugins load(PluginsConfig config) {
        ConnectorPlugins plugins = new ConnectorPlugins(config.getDirectory(), SpiVersion.CURRENT);
        plugins.load();
        return plugins;
    }

    /** Registers loaded plugins' lifecycle, the listing and the health check. */
    public static void register(Environment environment, ConnectorPlugins plugins) {
        environment.lifecycle().manage(plugins);
        environment.jersey().register(new ConnectorResource(plugins));
        environment.healthChecks().register("plugins", new PluginsHealthCheck(plugins));
    }
}
