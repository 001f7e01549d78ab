package io.bookinghub.hub.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real PF4J plugin zips at test time: compiles connector source against the SPI with the JDK
 * compiler (pf4j's annotation processor writes the extension index), then zips classes/ and
 * plugin.properties the way the connectors' Maven build does.
 */
public final class TestPlugins {
    private TestPlugins() {
    }

    /** Source of a small connector factory; {@code descriptorExpression} may be replaced to break it. */
    public static String connectorSource(String packageName, String connectorId, String descriptorExpression) {
        return """
                package %1$s;

                import io.bookinghub.spi.*;
                import io.bookinghub.spi.sync.*;
                import java.util.*;

                @org.pf4j.Extension
                public class TestConnectorFactory implements BookingConnectorFactory {
                    static final ConnectorDescriptor DESCRIPTOR = %3$s;

                    @Override
                    public ConnectorDescriptor descriptor() {
                        return DESCRIPTOR;
                    }

                    @Override
                    public BookingConnector create(ConnectorContext context) {
                        if (context.config().get("mode").orElse("").equals("broken")) {
                            throw new ConnectorException(ErrorCode.INVALID_INPUT, "mode: 'broken' cannot be used with this greeting");
                        }
                        return new BookingConnector() {
                            @Override
                            public ConnectorDescriptor descriptor() {
                                return DESCRIPTOR;
                            }
                        };
                    }
                }
                """.formatted(packageName, connectorId, descriptorExpression);
    }

    public static String standardDescriptor(String connectorId) {
        return """
                new ConnectorDescriptor("%s", "Test connector %s", "1.2.3", "A connector built at test time",
                        EnumSet.of(Capability.FULL_SYNC, Capability.API_KEY_AUTH),
                        List.of(
                            ConfigProperty.builder("greeting", ConfigType.STRING).perConnection().required().description("Said first").build(),
                            ConfigProperty.builder("apiKey", ConfigType.STRING).perConnection().secret().description("Provider key").build(),
                            ConfigProperty.builder("pageSize", ConfigType.INTEGER).perConnection().defaultValue("100").description("Page size").build(),
                            ConfigProperty.builder("mode", ConfigType.ENUM).perConnection().allowedValues("fast", "safe", "broken").defaultValue("safe").description("Mode").build(),
                            ConfigProperty.builder("region", ConfigType.STRING).env("TEST_CONNECTOR_REGION").description("Region").build()))
                """.formatted(connectorId, connectorId);
    }

    /** Zips already built in this JVM, by plugin id, package and source: several test classes use the same. */
    private static final Map<List<String>, Path> BUILT = new ConcurrentHashMap<>();

    /**
     * A fresh plugins directory with two standard test connectors, {@code echo} and {@code other}: what a
     * hub needs to answer every connector route.
     */
    public static Path echoAndOther() {
        try {
            Path plugins = Files.createTempDirectory("plugins");
            buildZip(plugins, "echo", "com.example.echo",
                    connectorSource("com.example.echo", "echo", standardDescriptor("echo")));
            buildZip(plugins, "other", "com.example.other",
                    connectorSource("com.example.other", "other", standardDescriptor("other")));
            return plugins;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles {@code source} and writes {@code <dir>/<pluginId>.zip}, declaring no {@code plugin.requires}. */
    public static Path buildZip(Path dir, String pluginId, String packageName, String source) {
        return buildZip(dir, pluginId, packageName, source, "");
    }

    /**
     * Compiles {@code source} and writes {@code <dir>/<pluginId>.zip} whose {@code plugin.requires} is
     * {@code requires} (the SPI versions it accepts; empty: the entry is left out).
     */
    public static Path buildZip(Path dir, String pluginId, String packageName, String source, String requires) {
        try {
            List<String> key = List.of(pluginId, packageName, source, requires);
            Path built = BUILT.get(key);
            if (built != null) {
                Files.createDirectories(dir);
                return Files.copy(built, dir.resolve(pluginId + ".zip"), StandardCopyOption.REPLACE_EXISTING);
            }
            Path zip = compileAndZip(dir, pluginId, packageName, source, requires);
            Path kept = Files.createTempDirectory("plugin-zip").resolve(pluginId + ".zip");
            BUILT.put(key, Files.copy(zip, kept));
            return zip;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Like {@link #buildZip(Path, String, String, String)} but compiled with {@code -proc:none}, as javac on JDK 23+
     * compiles a build that only has pf4j on the class path: the classes are there, the extension index is not.
     */
    public static Path buildZipWithoutExtensionIndex(Path dir, String pluginId, String packageName, String source) {
        return compileAndZip(dir, pluginId, packageName, source, "", "-proc:none");
    }

    private static Path compileAndZip(Path dir, String pluginId, String packageName, String source,
            String requires) {
        return compileAndZip(dir, pluginId, packageName, source, requires, "-proc:full");
    }

    private static Path compileAndZip(Path dir, String pluginId, String packageName, String source,
            String requires, String processing) {
        try {
            Path work = Files.createTempDirectory("plugin-src");
            Path src = work.resolve("src").resolve(packageName.replace('.', '/'));
            Files.createDirectories(src);
            Files.writeString(src.resolve("TestConnectorFactory.java"), source);
            Path classes = Files.createDirectories(work.resolve("classes"));
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            int result = compiler.run(null, null, null, "-d", classes.toString(), "-classpath",
                    System.getProperty("java.class.path"), "--release", "17", processing,
                    src.resolve("TestConnectorFactory.java").toString());
            if (result != 0) {
                throw new IllegalStateException("test plugin did not compile");
            }
            String properties = "plugin.id=" + pluginId + "\nplugin.version=1.2.3\nplugin.provider=tests\n"
                    + (requires.isEmpty() ? "" : "plugin.requires=" + requires + "\n");
            return zip(dir.resolve(pluginId + ".zip"), properties, classes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path zip(Path target, String pluginProperties, Path classes) throws IOException {
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(out)) {
            if (pluginProperties != null) {
                zip.putNextEntry(new ZipEntry("plugin.properties"));
                zip.write(pluginProperties.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            if (classes != null) {
                List<Path> files = new ArrayList<>();
                try (Stream<Path> walk = Files.walk(classes)) {
                    walk.filter(Files::isRegularFile).forEach(files::add);
                }
                for (Path file : files) {
                    zip.putNextEntry(new ZipEntry("classes/" + classes.relativize(file).toString().replace('\\', '/')));
                    zip.write(Files.readAllBytes(file));
                    zip.closeEntry();
                }
            }
        }
        return target;
    }
}
