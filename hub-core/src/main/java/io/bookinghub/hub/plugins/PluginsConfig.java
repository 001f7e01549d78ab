package io.bookinghub.hub.plugins;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/** Where connector plugins (PF4J zips or jars) are loaded from at start. */
public class PluginsConfig {
    @NotNull
    @JsonProperty
    private Path directory = Path.of("plugins");

    public Path getDirectory() {
        return directory;
    }

    public void setDirectory(Path directory) {
        this.directory = directory;
    }
}
