package io.bookinghub.connectors.booksy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.connector.BookingConnector;
import io.bookinghub.connector.BookingConnectorFactory;
import io.bookinghub.connector.ConnectorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginState;
import org.pf4j.RuntimeMode;

/**
 * Loads the packaged zip (built in the package phase) with a real PF4J plugin manager. Failsafe runs this
 * without the connector's classes on the classpath (see the pom), so nothing here may touch them directly.
 */
class BooksyPluginIT {
    private static final String FACTORY = "io.bookinghub.connectors.booksy.BooksyConnectorFactory";

    @TempDir
    Path pluginsDir;

    private static Path builtZip() {
        String location = System.getProperty("booksy.plugin.zip");
        assertThat(location).as("booksy.plugin.zip system property (set by failsafe)").isNotNull();
        Path zip = Path.of(location);
        assertThat(zip).exists();
        return zip;
    }

    @Test
    void zipHasThePf4jLayout() throws Exception {
        try (ZipFile zip = new ZipFile(builtZip().toFile())) {
            List<String> names = Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("plugin.properties", "classes/META-INF/extensions.idx",
                    "classes/" + FACTORY.replace('.', '/') + ".class");
            assertThat(names).anyMatch(n -> n.matches("lib/guava-[0-9.]+-jre\\.jar"))
                    .anyMatch(n -> n.matches("lib/scribejava-core-.*\\.jar"))
                    .anyMatch(n -> n.matches("lib/jackson-databind-.*\\.jar"));
            assertThat(names).noneMatch(n -> n.startsWith("lib/connector-api") || n.startsWith("lib/pf4j")
                    || n.startsWith("lib/slf4j-api") || n.startsWith("lib/wiremock") || n.startsWith("lib/junit"));
            String properties = new String(zip.getInputStream(zip.getEntry("plugin.properties")).readAllBytes());
            assertThat(properties).contains("plugin.id=booksy").contains("plugin.provider=Booking Hub")
                    .doesNotContain("${project.version}");
            String index = new String(zip.getInputStream(zip.getEntry("classes/META-INF/extensions.idx")).readAllBytes());
            assertThat(index).contains(FACTORY);
        }
    }

    @Test
    void pf4jFindsTheBooksyFactoryInTheZip() throws Exception {
        Path zip = builtZip();
        Files.copy(zip, pluginsDir.resolve(zip.getFileName()));
        DefaultPluginManager manager = new DefaultPluginManager(pluginsDir) {
            @Override
            public RuntimeMode getRuntimeMode() {
                return RuntimeMode.DEPLOYMENT;
            }
        };
        try {
            manager.loadPlugins();
            manager.startPlugins();

            assertThat(manager.getPlugin("booksy")).isNotNull();
            assertThat(manager.getPlugin("booksy").getPluginState()).isEqualTo(PluginState.STARTED);
            List<BookingConnectorFactory> factories = manager.getExtensions(BookingConnectorFactory.class);
            assertThat(factories).singleElement().satisfies(f -> {
                assertThat(f.descriptor().id()).isEqualTo("booksy");
                assertThat(f.getClass().getName()).isEqualTo(FACTORY);
            });
            assertThatThrownBy(() -> Class.forName(FACTORY)).as("connector classes must not be on the host classpath")
                    .isInstanceOf(ClassNotFoundException.class);

            BookingConnectorFactory factory = factories.get(0);
            ClassLoader pluginLoader = manager.getPluginClassLoader("booksy");
            // Loaded from the zip, not from this test's classpath, and with the zip's own Guava.
            assertThat(factory.getClass().getClassLoader()).isSameAs(pluginLoader);
            assertThat(pluginLoader.loadClass("com.google.common.util.concurrent.RateLimiter").getClassLoader())
                    .isSameAs(pluginLoader);
            // The SPI comes from the host, so the hub can call the factory through its own interface types.
            assertThat(pluginLoader.loadClass(BookingConnectorFactory.class.getName()))
                    .isSameAs(BookingConnectorFactory.class);

            // Creating a connector builds the bursty rate limiter reflectively inside the plugin loader.
            TestContext context = new TestContext(ConnectorConfig.validate(factory.descriptor().configProperties(),
                    TestContext.apiKeyValues("http://localhost:1"), env -> null));
            try (BookingConnector connector = factory.create(context)) {
                assertThat(connector.descriptor().id()).isEqualTo("booksy");
            }
        } finally {
            // stopPlugins() in PF4J 3.15 throws ConcurrentModificationException; stop the one plugin by id.
            if (manager.getPlugin("booksy") != null) {
                manager.unloadPlugin("booksy");
            }
        }
    }
}
