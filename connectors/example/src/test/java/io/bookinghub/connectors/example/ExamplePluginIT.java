package io.bookinghub.connectors.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.testkit.PluginZip;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the packaged zip as the hub does; failsafe keeps the connector's classes off the class path. */
class ExamplePluginIT {
    private static final String FACTORY = "io.bookinghub.connectors.example.ExampleConnectorFactory";

    @Test
    void theZipLoadsAsTheHubLoadsIt(@TempDir Path plugins) throws Exception {
        Path zip = PluginZip.fromSystemProperty("plugin.zip");
        PluginZip.assertLayout(zip, "example", FACTORY, System.getProperty("plugin.version"));
        try (PluginZip.Deployed plugin = PluginZip.deploy(zip, plugins, "example", FACTORY)) {
            assertThat(plugin.factory().descriptor().id()).isEqualTo("example");
        }
    }
}
