package io.bookinghub.hub.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real plugin zips the reactor packaged before hub-core (each connector module copies its zip to
 * {@code hub.plugins.dir}), for end-to-end tests that load them as the hub would.
 */
public final class BuiltPlugins {
    private BuiltPlugins() {
    }

    /**
     * A fresh plugins directory holding the packaged zips of the given connectors.
     *
     * @param artifactIds the connector modules' artifact ids, e.g. {@code booksy-connector}
     */
    public static Path copy(String... artifactIds) {
        try {
            Path built = Path.of(System.getProperty("hub.plugins.dir", "../plugins"));
            Path target = Files.createTempDirectory("plugins");
            for (String artifactId : artifactIds) {
                int copied = 0;
                if (Files.isDirectory(built)) {
                    try (DirectoryStream<Path> zips = Files.newDirectoryStream(built, artifactId + "-*.zip")) {
                        for (Path zip : zips) {
                            Files.copy(zip, target.resolve(zip.getFileName()));
                            copied++;
                        }
                    }
                }
                assertThat(copied).as("the " + artifactId + " plugin zip in " + built.toAbsolutePath()
                        + " (build it in the same reactor: ./mvnw verify)").isPositive();
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
