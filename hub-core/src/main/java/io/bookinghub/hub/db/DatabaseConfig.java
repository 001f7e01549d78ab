package io.bookinghub.hub.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/**
 * Where the hub keeps its data. With no {@code url}, the hub runs an embedded PostgreSQL whose data
 * directory survives restarts; with a url it uses that server.
 */
public class DatabaseConfig {
    /** jdbc:postgresql://… or postgres://user:pass@host:port/db; empty means embedded. */
    @JsonProperty
    private String url;

    @JsonProperty
    private String user;

    @JsonProperty
    private String password;

    @Valid
    @NotNull
    @JsonProperty
    private EmbeddedConfig embedded = new EmbeddedConfig();

    @JsonProperty
    private boolean migrateOnStart = true;

    @Min(1)
    @Max(200)
    @JsonProperty
    private int maxPoolSize = 16;

    public static class EmbeddedConfig {
        @NotNull
        @JsonProperty
        private Path dataDirectory = Path.of("var", "postgres");

        /** 0 picks a free port at every start. */
        @Min(0)
        @Max(65535)
        @JsonProperty
        private int port = 0;

        /**
         * Stop the embedded server when the hub process dies without stopping it (kill -9, the OOM killer),
         * through a small watchdog process; a server left running is stopped at the next start either way.
         */
        @JsonProperty
        private boolean stopWithHub = true;

        public boolean isStopWithHub() {
            return stopWithHub;
        }

        public Path getDataDirectory() {
            return dataDirectory;
        }

        public int getPort() {
            return port;
        }
    }

    public boolean isEmbedded() {
        return url == null || url.isBlank();
    }

    @ValidationMethod(message = "database.url must start with jdbc:postgresql:// or postgres(ql)://")
    public boolean isUrlSupported() {
        return isEmbedded() || JdbcUrls.isSupported(url);
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    public String getPassword() {
        return password;
    }

    public EmbeddedConfig getEmbedded() {
        return embedded;
    }

    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    public int getMaxPoolSize() {
        return maxPoolSize;
    }
}
