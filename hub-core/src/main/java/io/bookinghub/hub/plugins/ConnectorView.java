package io.bookinghub.hub.plugins;

import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigProperty;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** An installed connector as listed by GET /admin/connectors. */
public record ConnectorView(String id, String displayName, String version, String description,
        Set<Capability> capabilities, List<ConfigProperty> configProperties, String pluginId, String pluginVersion,
        String status) {
    public static ConnectorView of(InstalledConnector c) {
        var d = c.descriptor();
        return new ConnectorView(d.id(), d.displayName(), d.version(), d.description(),
                new TreeSet<>(d.capabilities()), d.configProperties(), c.pluginId(), c.pluginVersion(),
                "LOADED");
    }
}
