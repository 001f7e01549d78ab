package io.bookinghub.hub.testing;

import io.bookinghub.hub.HubApplication;
import io.bookinghub.hub.HubConfiguration;
import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Starts the whole hub on a fresh embedded database, with a controllable environment. */
public final class HubTestApp {
    public static final String ADMIN_TOKEN = "test-hub-admin-token-0123456789abcdef";

    private HubTestApp() {
    }

    public static DropwizardAppExtension<HubConfiguration> extension(TestDatabase db, Path pluginsDir, Path varDir,
            Map<String, String> env, ConfigOverride... extra) {
        return extension(ResourceHelpers.resourceFilePath("test-config.yml"), db, pluginsDir, varDir, env, extra);
    }

    /** As above, from another configuration file (e.g. the shipped {@code config.yml}, its ports overridden). */
    public static DropwizardAppExtension<HubConfiguration> extension(String configPath, TestDatabase db,
            Path pluginsDir, Path varDir, Map<String, String> env, ConfigOverride... extra) {
        return extension(configPath, db, pluginsDir, varDir, env, null, extra);
    }

    /** A hub whose spans go to {@code openTelemetry} (an SDK with an in-memory exporter, say). */
    public static DropwizardAppExtension<HubConfiguration> traced(TestDatabase db, Path pluginsDir, Path varDir,
            Map<String, String> env, OpenTelemetry openTelemetry, ConfigOverride... extra) {
        return extension(ResourceHelpers.resourceFilePath("test-config.yml"), db, pluginsDir, varDir, env,
                openTelemetry, extra);
    }

    private static DropwizardAppExtension<HubConfiguration> extension(String configPath, TestDatabase db,
            Path pluginsDir, Path varDir, Map<String, String> env, OpenTelemetry openTelemetry,
            ConfigOverride... extra) {
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("database.url", db.jdbcUrl()),
                ConfigOverride.config("plugins.directory", pluginsDir.toString()),
                ConfigOverride.config("security.keyFile", varDir.resolve("encryption.key").toString())));
        overrides.addAll(List.of(extra));
        DropwizardTestSupport<HubConfiguration> support = new DropwizardTestSupport<>(HubApplication.class,
                configPath, overrides.toArray(new ConfigOverride[0])) {
            @Override
            public Application<HubConfiguration> newApplication() {
                return new HubApplication(Clock.systemUTC(), env::get, openTelemetry);
            }
        };
        return new DropwizardAppExtension<>(support);
    }

    /** A hub on {@code db} with no plugins, a fresh data directory and an empty environment. */
    public static DropwizardAppExtension<HubConfiguration> extension(TestDatabase db) {
        try {
            return extension(db, Files.createTempDirectory("plugins"), varDirectory(), environment());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh directory for what the hub generates (its encryption key file). */
    public static Path varDirectory() {
        try {
            return Files.createTempDirectory("var");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, String> environment() {
        return new ConcurrentHashMap<>();
    }
}
