package io.bookinghub.hub.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.testing.TestPlugins;
import io.bookinghub.spi.SpiVersion;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins load from packaged zips in deployment mode; broken ones are reported, not fatal. */
class ConnectorPluginsTest {
    private static void build(Path dir, String pluginId, String connectorId, String requires) {
        String pkg = "com.example." + connectorId;
        TestPlugins.buildZip(dir, pluginId, pkg, TestPlugins.connectorSource(pkg, connectorId,
                TestPlugins.standardDescriptor(connectorId)), requires);
    }

    @Test
    void loadsAZipBuiltAtTestTime(@TempDir Path dir) {
        TestPlugins.buildZip(dir, "alpha", "com.example.alpha",
                TestPlugins.connectorSource("com.example.alpha", "alpha", TestPlugins.standardDescriptor("alpha")));
        ConnectorPlugins plugins = new ConnectorPlugins(dir, SpiVersion.CURRENT);
        plugins.load();
        try {
            assertThat(plugins.find("alpha")).isPresent();
            InstalledConnector alpha = plugins.find("alpha").get();
            assertThat(alpha.pluginId()).isEqualTo("alpha");
            assertThat(alpha.pluginVersion()).isEqualTo("1.2.3");
            // Loaded by the plugin's own class loader, not from the hub's class path.
            assertThat(alpha.factory().getClass().getClassLoader())
                    .isNotSameAs(ConnectorPluginsTest.class.getClassLoader());
            assertThat(plugins.problems()).isEmpty();
        } finally {
            plugins.stop();
        }
    }

    @Test
    void aPluginWhoseIdIsNotItsConnectorsIdIsRefusedWithBothNames(@TempDir Path dir) {
        // Two plugins claiming connector 'same': only the one whose plugin.id is 'same' can be it.
        TestPlugins.buildZip(dir, "same", "com.example.first",
                TestPlugins.connectorSource("com.example.first", "same", TestPlugins.standardDescriptor("same")));
        TestPlugins.buildZip(dir, "second-plugin", "com.example.second",
                TestPlugins.connectorSource("com.example.second", "same", TestPlugins.standardDescriptor("same")));
        TestPlugins.buildZip(dir, "other", "com.example.other",
                TestPlugins.connectorSource("com.example.other", "other", TestPlugins.standardDescriptor("other")));
        ConnectorPlugins plugins = new ConnectorPlugins(dir, SpiVersion.CURRENT);
        plugins.load();
        try {
            assertThat(plugins.find("same")).get().extracting(InstalledConnector::pluginId).isEqualTo("same");
            assertThat(plugins.find("other")).isPresent();
            assertThat(plugins.problems()).containsExactly(new PluginProblem("second-plugin",
                    "plugin.id 'second-plugin' (plugin.properties) differs from the connector id 'same' of its "
                    + "descriptor; they must be equal; the plugin was not loaded"));
        } finally {
            plugins.stop();
        }
    }

    @Test
    void aPluginCompiledWithoutItsAnnotationProcessorIsRefusedNamingTheCause(@TempDir Path dir) {
        // What javac on JDK 23+ does to a build that relies on processor discovery: no extensions.idx.
        TestPlugins.buildZipWithoutExtensionIndex(dir, "quiet", "com.example.quiet",
                TestPlugins.connectorSource("com.example.quiet", "quiet", TestPlugins.standardDescriptor("quiet")));
        build(dir, "loud", "loud", "");
        ConnectorPlugins plugins = new ConnectorPlugins(dir, SpiVersion.CURRENT);
        plugins.load();
        try {
            assertThat(plugins.connectors()).extracting(c -> c.descriptor().id()).containsExactly("loud");
            assertThat(plugins.problems()).singleElement().satisfies(p -> {
                assertThat(p.plugin()).isEqualTo("quiet");
                assertThat(p.reason()).startsWith("plugin provides no BookingConnectorFactory extension")
                        .contains("extensions.idx", "annotationProcessorPaths");
            });
        } finally {
            plugins.stop();
        }
    }

    @Test
    void missingFolderMeansNoConnectorsNotACrash(@TempDir Path dir) {
        ConnectorPlugins plugins = new ConnectorPlugins(dir.resolve("absent"), SpiVersion.CURRENT);
        plugins.load();
        assertThat(plugins.connectors()).isEmpty();
        plugins.stop();
    }

    @Test
    void pluginsRequiringAnotherSpiMajorAreRefusedWithTheRangeAndTheHubVersion(@TempDir Path dir) {
        build(dir, "future", "future", "^2.0");
        build(dir, "current", "current", "^1.0");
        build(dir, "ranged", "ranged", ">=1.0.0 & <2.0.0");
        build(dir, "undeclared", "undeclared", "");
        ConnectorPlugins plugins = new ConnectorPlugins(dir, "1.4.0");
        plugins.load();
        try {
            assertThat(plugins.find("future")).isEmpty();
            assertThat(plugins.connectors()).extracting(c -> c.descriptor().id())
                    .containsExactly("current", "ranged", "undeclared");
            assertThat(plugins.problems()).containsExactly(new PluginProblem("future",
                    "requires SPI version '^2.0' (plugin.requires) but this hub provides SPI 1.4.0; "
                    + "the plugin was not loaded"));
        } finally {
            plugins.stop();
        }
    }

    @Test
    void aPluginWrittenForANewerMinorIsRefusedByAnOlderHub(@TempDir Path dir) {
        build(dir, "newer", "newer", "^1.5");
        ConnectorPlugins plugins = new ConnectorPlugins(dir, "1.4.0");
        plugins.load();
        try {
            assertThat(plugins.connectors()).isEmpty();
            assertThat(plugins.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                    .contains("'^1.5'", "SPI 1.4.0"));
        } finally {
            plugins.stop();
        }
    }

    @Test
    void anUnparseableRequirementIsNamedNotSilentlyAccepted(@TempDir Path dir) {
        build(dir, "odd", "odd", "version one please");
        ConnectorPlugins plugins = new ConnectorPlugins(dir, SpiVersion.CURRENT);
        plugins.load();
        try {
            assertThat(plugins.connectors()).isEmpty();
            assertThat(plugins.problems()).singleElement().satisfies(p -> {
                assertThat(p.plugin()).isEqualTo("odd");
                assertThat(p.reason()).startsWith("plugin.requires 'version one please' is not a SemVer range");
            });
        } finally {
            plugins.stop();
        }
    }
}
