package io.bookinghub.hub.plugins;

import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.ConnectorDescriptor;

/** A connector factory that loaded cleanly, with the plugin it came from. */
public record InstalledConnector(String pluginId, String pluginVersion, ConnectorDescriptor descriptor,
        BookingConnectorFactory factory) {
}
