package io.bookinghub.connectors.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM has no parent (so importing it imports nothing of the hub's own versions) and this module copies no
 * parent either, so their versions are written out: they must be the hub's, or a connector would compile against
 * an SPI or a pf4j the hub does not run.
 */
class ConnectorBomTest {
    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    @Test
    void theBomAndTheExampleUseTheHubsVersions() throws IOException {
        String hub = Files.readString(ROOT.resolve("pom.xml"));
        String bom = Files.readString(ROOT.resolve("connector-bom/pom.xml"));
        String example = Files.readString(ROOT.resolve("connectors/example/pom.xml"));
        String version = tag(hub, "version");
        assertThat(tag(bom, "version")).as("connector-bom's version").isEqualTo(version);
        assertThat(tag(bom, "pf4j.version")).as("connector-bom's pf4j.version").isEqualTo(tag(hub, "pf4j.version"));
        assertThat(tag(example, "version")).as("the example's version").isEqualTo(version);
        assertThat(tag(example, "connector-bom.version")).as("the BOM the example imports").isEqualTo(version);
    }

    /** The first element {@code name} outside comments after the (parent-less) pom's artifactId. */
    private static String tag(String pom, String name) {
        String xml = pom.replaceAll("(?s)<!--.*?-->", "");
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(xml);
        assertThat(m.find(xml.indexOf("<artifactId>"))).as(name).isTrue();
        return m.group(1).trim();
    }
}
