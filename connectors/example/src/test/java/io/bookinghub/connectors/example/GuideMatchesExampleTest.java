package io.bookinghub.connectors.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The guide shows this module file by file; CI builds and tests the module, so the guide's example is what
 * CI built. Every fenced block tagged {@code file=<path>} must equal that file here, and every file of the
 * module's build and main code must be shown: the guide and the example cannot drift apart.
 */
class GuideMatchesExampleTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path GUIDE = MODULE.resolve("../../docs/writing-a-connector.md").normalize();
    private static final Pattern BLOCK = Pattern.compile("(?ms)^```\\w+ file=(\\S+)\\n(.*?)^```$");

    @Test
    void everyFileBlockOfTheGuideIsTheModulesFile() throws IOException {
        Map<String, String> blocks = blocks();
        assertThat(blocks).as("file blocks in " + GUIDE).isNotEmpty();
        blocks.forEach((path, text) -> assertThat(text).as("the guide's " + path)
                .isEqualTo(read(MODULE.resolve(path))));
    }

    @Test
    void theGuideShowsTheWholeExample() throws IOException {
        List<String> files;
        try (Stream<Path> walk = Stream.of("src/main", "src/plugin", "src/assembly").map(MODULE::resolve)
                .flatMap(GuideMatchesExampleTest::walk)) {
            files = Stream.concat(Stream.of("pom.xml"), walk.filter(Files::isRegularFile)
                    .map(p -> MODULE.relativize(p).toString().replace('\\', '/'))).toList();
        }
        assertThat(blocks().keySet()).containsAll(files);
    }

    private static Map<String, String> blocks() throws IOException {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(read(GUIDE));
        while (m.find()) {
            assertThat(blocks.put(m.group(1), m.group(2))).as("the guide shows " + m.group(1) + " twice").isNull();
        }
        return blocks;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir);
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir, e);
        }
    }
}
