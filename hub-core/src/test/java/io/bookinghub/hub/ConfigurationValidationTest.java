package io.bookinghub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.hub.db.JdbcUrls;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration stops start-up with a message that names the field. */
class ConfigurationValidationTest {
    private static HubConfiguration load(Path file) throws Exception {
        // The same factory Dropwizard uses at start-up (it also refuses unknown fields).
        return new DefaultConfigurationFactoryFactory<HubConfiguration>().create(HubConfiguration.class,
                Validators.newValidator(), Jackson.newObjectMapper(), "dw").build(new SubstitutingSourceProvider(
                        new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)),
                file.toString());
    }

    private static Path write(Path dir, String yaml) throws Exception {
        return Files.writeString(dir.resolve("config.yml"), yaml);
    }

    @Test
    void shippedConfigLoadsWithDefaults() throws Exception {
        HubConfiguration config = load(Path.of("..", "config.yml"));
        assertThat(config.getDatabase().isEmbedded()).isTrue();
        assertThat(config.getPlugins().getDirectory().toString()).isEqualTo("plugins");
    }

    @Test
    void unsupportedDatabaseUrlIsNamed(@TempDir Path dir) throws Exception {
        Path file = write(dir, "database:\n  url: mysql://localhost/hub\n");
        assertThatThrownBy(() -> load(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("database.url");
    }

    @Test
    void badEncryptionKeyIsNamedWithoutEchoingIt(@TempDir Path dir) throws Exception {
        Path file = write(dir, "security:\n  encryptionKey: c2hvcnQta2V5LXNlY3JldA==\n");
        assertThatThrownBy(() -> load(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("security.encryptionKey")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("c2hvcnQta2V5LXNlY3JldA"));
    }

    @Test
    void outOfRangeValuesAndUnknownFieldsAreNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> load(write(dir, "database:\n  maxPoolSize: 0\n")))
                .hasMessageContaining("database.maxPoolSize");
        assertThatThrownBy(() -> load(write(dir, "databse:\n  url: x\n"))).hasMessageContaining("databse");
        assertThatThrownBy(() -> load(write(dir, "security:\n  adminToken: short\n")))
                .hasMessageContaining("security.adminToken");
    }

    @Test
    void bookingSettingsAreValidated(@TempDir Path dir) throws Exception {
        HubConfiguration shipped = load(Path.of("..", "config.yml"));
        assertThat(shipped.getBookings().getLease()).hasMinutes(2);
        assertThat(shipped.getRetention().getBookingCommands()).hasDays(7);
        assertThatThrownBy(() -> load(write(dir, "bookings:\n  requestWait: PT5M\n")))
                .hasMessageContaining("bookings").hasMessageContaining("requestWait");
        assertThatThrownBy(() -> load(write(dir, "bookings:\n  workerThreads: -1\n")))
                .hasMessageContaining("bookings.workerThreads");
        assertThatThrownBy(() -> load(write(dir, "retention:\n  bookingCommands: PT1H\n")))
                .hasMessageContaining("retention").hasMessageContaining("bookingCommands");
    }

    @Test
    void connectLinkSettingsAreValidated(@TempDir Path dir) throws Exception {
        HubConfiguration shipped = load(Path.of("..", "config.yml"));
        assertThat(shipped.getOauth().getLinkTtl()).hasMinutes(15);
        // HUB_PUBLIC_URL unset: links are relative.
        assertThat(shipped.getOauth().publicBaseUrl()).isEmpty();
        assertThat(load(write(dir, "oauth:\n  publicBaseUrl: https://hub.example.com/\n")).getOauth().publicBaseUrl())
                .contains("https://hub.example.com");
        assertThatThrownBy(() -> load(write(dir, "oauth:\n  linkTtl: PT2H\n"))).hasMessageContaining("oauth.linkTtl");
        for (String bad : new String[] {"hub.example.com", "ftp://hub.example.com", "https://hub.example.com/?x=1",
            "https://user@hub.example.com"}) {
            assertThatThrownBy(() -> load(write(dir, "oauth:\n  publicBaseUrl: '" + bad + "'\n"))).as(bad)
                    .hasMessageContaining("oauth.publicBaseUrl");
        }
    }

    @Test
    void postgresUrlsWithCredentialsAreAccepted() {
        JdbcUrls.Parsed parsed = JdbcUrls.parse("postgres://hub:p%40ss@db.internal:5433/bookings?sslmode=require");
        assertThat(parsed.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/bookings?sslmode=require");
        assertThat(parsed.user()).contains("hub");
        assertThat(parsed.password()).contains("p@ss");
    }
}
