package io.bookinghub.hub.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.testing.TestPlugins;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins load from packaged zips in deployment mode; broken ones are reported, not fatal. */
class ConnectorPluginsTest {
    @Test
    void loadsAZipBuiltAtTestTime(@TempDir Path dir) {
        TestPlugins.buildZip(dir, "alpha-plugin", "com.example.alpha",
                TestPlugins.connectorSource("com.example.alpha", "alpha", TestPlugins.standardDescriptor("alpha")));
        ConnectorPlugins plugins = new ConnectorPlugins(dir);
        plugins.load();
        try {
            assertThat(plugins.find("alpha")).isPresent();
            InstalledConnector alpha = plugins.find("alpha").get();
            assertThat(alpha.pluginId()).isEqualTo("alpha-plugin");
            // Loaded by the plugin's own class loader, not from the hub's class path.
            assertThat(alpha.factory().getClass().getClassLoader())
                    .isNotSameAs(ConnectorPluginsTest.class.getClassLoader());
            assertThat(plugins.problems()).isEmpty();
        } finally {
            plugins.stop();
        }
    }

    @Test
    void twoPluginsWithTheSameConnectorIdAreBothRefusedWithAClearError(@TempDir Path dir) {
        TestPlugins.buildZip(dir, "first-plugin", "com.example.first",
                TestPlugins.connectorSource("com.example.first", "same", TestPlugins.standardDescriptor("same")));
        TestPlugins.buildZip(dir, "second-plugin", "com.example.second",
                TestPlugins.connectorSource("com.example.second", "same", TestPlugins.standardDescriptor("same")));
        TestPlugins.buildZip(dir, "other-plugin", "com.example.other",
                TestPlugins.connectorSource("com.example.other", "other", TestPlugins.standardDescriptor("other")));
        ConnectorPlugins plugins = new ConnectorPlugins(dir);
        plugins.load();
        try {
            assertThat(plugins.find("same")).isEmpty();
            assertThat(plugins.find("other")).isPresent();
            assertThat(plugins.problems()).extracting(PluginProblem::plugin)
                    .containsExactlyInAnyOrder("first-plugin", "second-plugin");
            assertThat(plugins.problems()).allSatisfy(p -> assertThat(p.reason())
                    .contains("connector id 'same' is provided by several plugins"));
        } finally {
            plugins.stop();
        }
    }

    @Test
    void missingFolderMeansNoConnectorsNotACrash(@TempDir Path dir) {
        ConnectorPlugins plugins = new ConnectorPlugins(dir.resolve("absent"));
        plugins.load();
        assertThat(plugins.connectors()).isEmpty();
        plugins.stop();
    }
}
