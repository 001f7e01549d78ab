package io.bookinghub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/hub}, the README's run command, on the hub jar the reactor packaged before this module: the first run
 * writes the class-data-sharing archive as the JVM exits, and the next run can use it. {@code -Xshare:on} makes the
 * JVM refuse to start when the archive it was given cannot be used, so the second run passing proves the archive
 * is valid for this jar and this JDK, not merely present.
 */
class HubLauncherTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theFirstRunWritesAnArchiveTheNextRunUses(@TempDir Path data) throws Exception {
        Path archive = data.resolve("cds/booking-hub.jsa");

        Run first = hub(data, "");
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("Configuration is OK");
        assertThat(archive).as("written when the first run's JVM exited").isNotEmptyFile();

        Run second = hub(data, "-Xshare:on");
        assertThat(second.exitCode()).as("with -Xshare:on an unusable archive stops the JVM:%n%s", second.output())
                .isZero();
        assertThat(second.output()).contains("Configuration is OK");
    }

    private record Run(int exitCode, String output) {
    }

    /** {@code bin/hub check config.yml}: parses and validates the configuration, then exits. */
    private static Run hub(Path data, String javaOpts) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", ROOT.resolve("bin/hub").toString(), "check",
                ROOT.resolve("config.yml").toString())).directory(data.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("HUB_DATA_DIR", data.toString());
        env.put("HUB_JAVA_OPTS", javaOpts);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("bin/hub check ends").isTrue();
        return new Run(process.exitValue(), output);
    }
}
