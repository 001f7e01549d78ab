package io.bookinghub.hub.db;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;

final class EmbeddedConfigs {
    private EmbeddedConfigs() {
    }

    static DatabaseConfig withDataDirectory(Path dir) {
        return withDataDirectory(dir, true);
    }

    static DatabaseConfig withDataDirectory(Path dir, boolean stopWithHub) {
        return new ObjectMapper().findAndRegisterModules().convertValue(
                Map.of("embedded", Map.of("dataDirectory", dir.toString(), "stopWithHub", stopWithHub)),
                DatabaseConfig.class);
    }
}
