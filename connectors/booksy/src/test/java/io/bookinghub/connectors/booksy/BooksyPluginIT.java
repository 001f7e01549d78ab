package io.bookinghub.connectors.booksy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.testkit.PluginZip;
import io.bookinghub.testkit.TestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the packaged zip (built in the package phase) with a real PF4J plugin manager. Failsafe runs this
 * without the connector's classes on the classpath (see the pom), so nothing here may touch them directly.
 */
class BooksyPluginIT {
    private static final String FACTORY = "io.bookinghub.connectors.booksy.BooksyConnectorFactory";

    @TempDir
    Path pluginsDir;

    @Test
    void zipHasThePf4jLayout() throws Exception {
        Path zip = PluginZip.fromSystemProperty("booksy.plugin.zip");
        List<String> names = PluginZip.assertLayout(zip, "booksy", FACTORY);
        assertThat(names).anyMatch(n -> n.matches("lib/scribejava-core-.*\\.jar"))
                .anyMatch(n -> n.matches("lib/jackson-databind-.*\\.jar"));
        try (ZipFile file = new ZipFile(zip.toFile())) {
            assertThat(new String(file.getInputStream(file.getEntry("plugin.properties")).readAllBytes(),
                    StandardCharsets.UTF_8)).contains("plugin.provider=Booking Hub");
        }
    }

    @Test
    void pf4jFindsTheBooksyFactoryInTheZip() throws Exception {
        try (PluginZip.Deployed plugin = PluginZip.deploy(PluginZip.fromSystemProperty("booksy.plugin.zip"),
                pluginsDir, "booksy", FACTORY)) {
            BookingConnectorFactory factory = plugin.factory();
            // The zip's own ScribeJava, not the host's.
            assertThat(plugin.classLoader().loadClass("com.github.scribejava.core.oauth.OAuth20Service")
                    .getClassLoader()).isSameAs(plugin.classLoader());

            // Creating a connector builds the bursty rate limiter reflectively inside the plugin loader.
            TestContext context = TestContext.of(factory, BooksyContexts.apiKeyValues("http://localhost:1"));
            try (BookingConnector connector = factory.create(context)) {
                assertThat(connector.descriptor().id()).isEqualTo("booksy");
            }
        }
    }
}
