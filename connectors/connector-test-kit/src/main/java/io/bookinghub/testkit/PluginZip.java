package io.bookinghub.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.SpiVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.RuntimeMode;

/**
 * The packaged plugin zip, for the integration test every connector module should have: run it from
 * failsafe (after {@code package}) without the connector's own classes on the class path, so the only copy
 * PF4J can find is the zip's — exactly what the hub will load.
 */
public final class PluginZip {
    private PluginZip() {
    }

    /** The zip whose path the build passes in {@code property} (e.g. failsafe's systemPropertyVariables). */
    public static Path fromSystemProperty(String property) {
        String location = System.getProperty(property);
        assertThat(location).as(property + " system property (set by failsafe)").isNotNull();
        Path zip = Path.of(location);
        assertThat(zip).exists();
        return zip;
    }

    /**
     * Checks the PF4J layout: {@code plugin.properties} naming the plugin, the factory class and the
     * extension index under {@code classes/}, bundled libraries under {@code lib/} — but never the SPI,
     * pf4j or test libraries, which the hub provides or which do not belong in production.
     *
     * <p>{@code plugin.properties} is checked as the hub reads it: {@code plugin.id} exactly {@code pluginId} (the
     * hub refuses a plugin whose id differs from its connector's), {@code plugin.version} filtered by the build (no
     * {@code ${...}} left), {@code plugin.requires} declared. The extension index must name the factory: an
     * empty or missing one is what a build without pf4j's annotation processor produces, and the hub refuses it.
     *
     * @return the zip's entry names, for further module-specific checks
     */
    public static List<String> assertLayout(Path zip, String pluginId, String factoryClass) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            List<String> names = Collections.list(file.entries()).stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("plugin.properties", "classes/" + factoryClass.replace('.', '/') + ".class");
            assertThat(names).as("classes/META-INF/extensions.idx, written by pf4j's annotation processor "
                    + "(declare it in maven-compiler-plugin's annotationProcessorPaths)")
                    .contains("classes/META-INF/extensions.idx");
            assertThat(names).noneMatch(n -> n.startsWith("lib/connector-api") || n.startsWith("lib/pf4j")
                    || n.startsWith("lib/slf4j-api") || n.startsWith("lib/connector-test-kit")
                    || n.startsWith("lib/junit") || n.startsWith("lib/assertj") || n.startsWith("lib/wiremock"));
            Properties properties = pluginProperties(file);
            assertThat(properties.getProperty("plugin.id")).as("plugin.id: must equal the connector id")
                    .isEqualTo(pluginId);
            assertThat(properties.getProperty("plugin.version"))
                    .as("plugin.version: filtered from the project version").isNotBlank().doesNotContain("${");
            assertThat(properties.getProperty("plugin.requires"))
                    .as("plugin.requires: the SPI versions the plugin works with, e.g. ^2.0").isNotBlank();
            String index = new String(file.getInputStream(file.getEntry("classes/META-INF/extensions.idx"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(index.lines().map(String::trim)).as("classes/META-INF/extensions.idx").contains(factoryClass);
            return names;
        }
    }

    /**
     * {@link #assertLayout(Path, String, String)}, and {@code plugin.version} is exactly {@code version} (pass the
     * project version through failsafe's systemPropertyVariables: the check that the filter ran on this build).
     */
    public static List<String> assertLayout(Path zip, String pluginId, String factoryClass, String version)
            throws IOException {
        List<String> names = assertLayout(zip, pluginId, factoryClass);
        try (ZipFile file = new ZipFile(zip.toFile())) {
            assertThat(pluginProperties(file).getProperty("plugin.version")).as("plugin.version").isEqualTo(version);
        }
        return names;
    }

    private static Properties pluginProperties(ZipFile file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = file.getInputStream(file.getEntry("plugin.properties"))) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }

    /**
     * Copies the zip into {@code pluginsDir}, loads it with a PF4J plugin manager in deployment mode that
     * checks {@code plugin.requires} against {@link SpiVersion#CURRENT} as the hub does, and checks what the
     * hub relies on: the plugin started (so this SPI satisfies its requirement), it provides exactly one factory, that factory comes
     * from the plugin's own class loader (not from the test's class path), and the SPI types come from the
     * host so the hub can call the factory through its own interfaces.
     */
    public static Deployed deploy(Path zip, Path pluginsDir, String pluginId, String factoryClass) throws IOException {
        Files.copy(zip, pluginsDir.resolve(zip.getFileName()));
        DefaultPluginManager manager = new DefaultPluginManager(pluginsDir) {
            @Override
            public RuntimeMode getRuntimeMode() {
                return RuntimeMode.DEPLOYMENT;
            }
        };
        manager.setSystemVersion(SpiVersion.CURRENT);
        Deployed deployed = new Deployed(manager, pluginId);
        try {
            manager.loadPlugins();
            manager.startPlugins();
            assertThat(manager.getPlugin(pluginId)).as("plugin " + pluginId).isNotNull();
            assertThat(manager.getPlugin(pluginId).getPluginState()).isEqualTo(PluginState.STARTED);
            List<BookingConnectorFactory> factories = manager.getExtensions(BookingConnectorFactory.class);
            assertThat(factories).singleElement().satisfies(f -> {
                assertThat(f.descriptor().id()).isEqualTo(pluginId);
                assertThat(f.getClass().getName()).isEqualTo(factoryClass);
            });
            assertThatThrownBy(() -> Class.forName(factoryClass))
                    .as("connector classes must not be on the host class path").isInstanceOf(ClassNotFoundException.class);
            ClassLoader loader = manager.getPluginClassLoader(pluginId);
            assertThat(factories.get(0).getClass().getClassLoader()).isSameAs(loader);
            try {
                assertThat(loader.loadClass(BookingConnectorFactory.class.getName()))
                        .isSameAs(BookingConnectorFactory.class);
            } catch (ClassNotFoundException e) {
                throw new AssertionError("the plugin cannot see the SPI", e);
            }
            deployed.factory = factories.get(0);
            return deployed;
        } catch (RuntimeException | AssertionError e) {
            deployed.close();
            throw e;
        }
    }

    /** A loaded plugin; closing unloads it. */
    public static final class Deployed implements AutoCloseable {
        private final PluginManager manager;
        private final String pluginId;
        private BookingConnectorFactory factory;

        private Deployed(PluginManager manager, String pluginId) {
            this.manager = manager;
            this.pluginId = pluginId;
        }

        public BookingConnectorFactory factory() {
            return factory;
        }

        public ClassLoader classLoader() {
            return manager.getPluginClassLoader(pluginId);
        }

        @Override
        public void close() {
            // By id: PF4J 3.15's stopPlugins() modifies the list it iterates over.
            if (manager.getPlugin(pluginId) != null) {
                manager.unloadPlugin(pluginId);
            }
        }
    }
}
