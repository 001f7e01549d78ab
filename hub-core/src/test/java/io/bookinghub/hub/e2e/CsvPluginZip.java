package io.bookinghub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CSV import plugin zip the reactor packaged before hub-core (connectors/csv-import copies it there). */
final class CsvPluginZip {
    private CsvPluginZip() {
    }

    /** A fresh plugins directory holding the packaged zip. */
    static Path copy() {
        try {
            Path built = Path.of(System.getProperty("hub.plugins.dir", "../plugins"));
            Path target = Files.createTempDirectory("plugins");
            if (Files.isDirectory(built)) {
                try (DirectoryStream<Path> zips = Files.newDirectoryStream(built, "csv-import-connector-*.zip")) {
                    for (Path zip : zips) {
                        Files.copy(zip, target.resolve(zip.getFileName()));
                    }
                }
            }
            try (DirectoryStream<Path> copied = Files.newDirectoryStream(target)) {
                assertThat(copied.iterator().hasNext()).as("the CSV import plugin zip in " + built.toAbsolutePath()
                        + " (build it in the same reactor: ./mvnw verify -pl connectors/csv-import,hub-core -am)")
                        .isTrue();
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
