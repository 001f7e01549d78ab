package io.bookinghub.hubtesting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubProcessTest {
    @TempDir
    Path root;

    @Test
    void runsTheNamedMainClassWithTheGeneratedConfigAndReportsItsExitWithTheLog() throws Exception {
        Path zips = Files.createDirectories(root.resolve("built"));
        Files.writeString(zips.resolve("booksy-connector-1.zip"), "zip");
        HubProcess.Builder builder = HubProcess.builder(PrintConfigAndExit.class.getName(),
                        System.getProperty("java.class.path"), root.resolve("hub-a"))
                .jvmOptions(List.of("-Xmx64m"))
                .pluginZips(zips, "booksy-connector-*.zip")
                .externalDatabase("jdbc:postgresql://127.0.0.1:5/db", "hub_two")
                .maxPoolSize(4)
                .webhook("workerThreads", 3)
                .webhook("lease", "3s")
                .outboundAllow("127.0.0.1:*")
                .outboundAllow("localhost:8089")
                .keyFile(root.resolve("shared.key"));

        assertThatThrownBy(builder::start).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("hub-a exited with 3")
                .hasMessageContaining("args: server " + root.resolve("hub-a").resolve("config.yml"))
                .hasMessageContaining("token set: true")
                .hasMessageContaining("  url: jdbc:postgresql://127.0.0.1:5/db\n  user: hub_two\n")
                .hasMessageContaining("  maxPoolSize: 4\n")
                .hasMessageContaining("webhooks:\n  workerThreads: 3\n  lease: 3s\n")
                .hasMessageContaining("outbound:\n  allow: \"127.0.0.1:*,localhost:8089\"\n")
                .hasMessageContaining("  schedulerEnabled: false\n")
                .hasMessageContaining("  keyFile: " + root.resolve("shared.key"))
                .hasMessageContaining("bindHost: 127.0.0.1");
        assertThat(root.resolve("hub-a/plugins/booksy-connector-1.zip")).hasContent("zip");
    }

    @Test
    void refusesToStartWithoutAPluginZip() {
        HubProcess.Builder builder = HubProcess.builder(PrintConfigAndExit.class.getName(),
                System.getProperty("java.class.path"), root.resolve("hub")).pluginZips(root, "booksy-connector-*.zip");

        assertThatThrownBy(builder::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no booksy-connector-*.zip in " + root);
    }
}
