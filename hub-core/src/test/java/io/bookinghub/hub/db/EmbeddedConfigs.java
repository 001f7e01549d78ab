package io.bookinghub.hub.db;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;

final class EmbeddedConfigs {
    private EmbeddedConfigs() {
    }

    static DatabaseConfig withDataDirectory(Path dir) {
        return new ObjectMapper().findAndRegisterModules().convertValue(
                Map.of("embedded", Map.of("dataDirectory", dir.toString())), DatabaseConfig.class);
    }
}
