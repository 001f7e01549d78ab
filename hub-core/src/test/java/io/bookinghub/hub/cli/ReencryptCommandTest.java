package io.bookinghub.hub.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.hub.HubApplication;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.appwebhooks.EndpointSecrets;
import io.bookinghub.hub.connections.ConnectionSecrets;
import io.bookinghub.hub.connections.JdbiCredentialStore;
import io.bookinghub.hub.crypto.EncryptionKey;
import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.oauth.OAuthStates;
import io.bookinghub.hub.oauth.Pkce;
import io.bookinghub.hub.testing.TestDatabase;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReencryptCommandTest {
    /** Fingerprint of the endpoint settings the credentials are stored under. */
    private static final String BINDING = "endpoint-settings-1";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-05-01T12:00:00Z"), ZoneOffset.UTC);
    private static final Map<String, String> CREDENTIALS = Map.of("access_token", "at-rotate-me-123",
            "refresh_token", "rt-rotate-me-456");
    private static final Map<String, String> SECRETS = Map.of("apiKey", "provider-key-789");

    private final String keyA = newKey();
    private final String keyB = newKey();
    private final EncryptionKey a = EncryptionKey.fromBase64(keyA);
    private final EncryptionKey b = EncryptionKey.fromBase64(keyB);
    private TestDatabase db;
    private Jdbi jdbi;

    private static String newKey() {
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        return Base64.getEncoder().encodeToString(material);
    }

    private static SecretBox box(EncryptionKey current, EncryptionKey... previous) {
        return new SecretBox(current, List.of(previous), RANDOM);
    }

    @BeforeEach
    void setUp() {
        db = TestDatabase.createMigrated();
        jdbi = db.jdbi();
    }

    private UUID connection(String connectorId) {
        UUID business = UUID.randomUUID();
        UUID connection = UUID.randomUUID();
        Instant at = CLOCK.instant();
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO businesses (id, name, time_zone, created_at, updated_at) VALUES (?, 'B', 'UTC', ?, ?)",
                    business, at, at);
            h.execute("INSERT INTO connections (id, business_id, connector_id, enabled, status, created_at, updated_at) "
                    + "VALUES (?, ?, ?, true, 'ACTIVE', ?, ?)", connection, business, connectorId, at, at);
        });
        return connection;
    }

    /** A connection with credentials, secret configuration and a pending OAuth state, all under {@code key}. */
    private record Sealed(UUID connection, OAuthStates.Started state) {
    }

    private Sealed sealAll(EncryptionKey key) {
        UUID connection = connection("c" + UUID.randomUUID().toString().substring(0, 8));
        SecretBox box = box(key);
        new JdbiCredentialStore(jdbi, new ConnectionSecrets(box), CLOCK, connection, BINDING).save(CREDENTIALS);
        SecretBox.Sealed secrets = new ConnectionSecrets(box).seal(SECRETS, ConnectionSecrets.configContext(connection));
        jdbi.useHandle(h -> h.execute("UPDATE connections SET secret_config = ?, secret_key_id = ? WHERE id = ?",
                secrets.ciphertext(), secrets.keyId(), connection));
        OAuthStates.Started state = new OAuthStates(jdbi, box, CLOCK, RANDOM, Duration.ofMinutes(10)).create(connection, null);
        return new Sealed(connection, state);
    }

    private List<String> keyIds() {
        return jdbi.withHandle(h -> h.createQuery("SELECT key_id FROM credentials UNION ALL "
                + "SELECT secret_key_id FROM connections WHERE secret_config IS NOT NULL UNION ALL "
                + "SELECT key_id FROM oauth_states").mapTo(String.class).list());
    }

    private Map<String, String> storedSecrets(SecretBox box, UUID connection) {
        Map<String, Object> row = jdbi.withHandle(h -> h.createQuery("SELECT secret_key_id, secret_config FROM "
                + "connections WHERE id = :id").bind("id", connection).mapToMap().one());
        return new ConnectionSecrets(box).open((String) row.get("secret_key_id"), (byte[]) row.get("secret_config"),
                ConnectionSecrets.configContext(connection));
    }

    @Test
    void afterRotationOldRowsStillOpenAndReencryptMovesEverythingToTheNewKey() {
        Sealed old = sealAll(a);
        Sealed fresh = sealAll(b);
        assertThat(keyIds()).containsOnly(a.id(), b.id());

        // Key B is current, A is listed as previous: data sealed under A still decrypts.
        SecretBox rotated = box(b, a);
        assertThat(new JdbiCredentialStore(jdbi, new ConnectionSecrets(rotated), CLOCK, old.connection(), BINDING).load())
                .isEqualTo(CREDENTIALS);
        assertThat(storedSecrets(rotated, old.connection())).isEqualTo(SECRETS);

        ReencryptCommand.Counts counts = ReencryptCommand.reencrypt(jdbi, rotated);
        assertThat(counts).isEqualTo(new ReencryptCommand.Counts(1, 1, 0, 1, 0));
        assertThat(keyIds()).hasSize(6).containsOnly(b.id());

        // A can now be dropped: everything opens with B alone.
        SecretBox onlyB = box(b);
        for (Sealed s : List.of(old, fresh)) {
            assertThat(new JdbiCredentialStore(jdbi, new ConnectionSecrets(onlyB), CLOCK, s.connection(), BINDING).load())
                    .isEqualTo(CREDENTIALS);
            assertThat(storedSecrets(onlyB, s.connection())).isEqualTo(SECRETS);
            OAuthStates.Pending pending = new OAuthStates(jdbi, onlyB, CLOCK, RANDOM, Duration.ofMinutes(10))
                    .consume(s.state().state(), s.state().browserBinding());
            assertThat(Pkce.challenge(pending.codeVerifier())).isEqualTo(s.state().codeChallenge());
        }
        // Without A, data still under A would not have opened.
        assertThat(ReencryptCommand.reencrypt(jdbi, onlyB)).isEqualTo(new ReencryptCommand.Counts(0, 0, 0, 0, 0));
    }

    @Test
    void appWebhookSigningSecretsMoveToTheNewKeyWithTheirPreviousOne() {
        UUID owner = UUID.randomUUID();
        UUID endpoint = UUID.randomUUID();
        String context = EndpointSecrets.context(endpoint);
        SecretBox underA = box(a);
        SecretBox.Sealed secret = underA.seal("whsec_current", context);
        SecretBox.Sealed previous = underA.seal("whsec_previous", context);
        Instant at = CLOCK.instant();
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO api_keys (id, name, key_hash, role, scopes, created_at) VALUES (?, 'app', ?, 'app', "
                    + "ARRAY['write'], ?)", owner, owner.toString().getBytes(StandardCharsets.UTF_8), at);
            h.execute("INSERT INTO app_webhook_endpoints (id, owner_key_id, url, event_types, business_ids, "
                    + "secret_key_id, secret, previous_secret_key_id, previous_secret, previous_secret_until, status, "
                    + "created_at, updated_at) VALUES (?, ?, 'https://app.example/hook', ARRAY['appointment.created'], "
                    + "ARRAY[gen_random_uuid()], ?, ?, ?, ?, ?, 'active', ?, ?)", endpoint, owner, secret.keyId(),
                    secret.ciphertext(), previous.keyId(), previous.ciphertext(), at.plus(Duration.ofDays(1)), at, at);
        });

        assertThat(ReencryptCommand.reencrypt(jdbi, box(b, a))).isEqualTo(new ReencryptCommand.Counts(0, 0, 0, 0, 2));
        Map<String, Object> row = jdbi.withHandle(h -> h.createQuery("SELECT secret_key_id, secret, "
                + "previous_secret_key_id, previous_secret FROM app_webhook_endpoints WHERE id = :id")
                .bind("id", endpoint).mapToMap().one());
        SecretBox onlyB = box(b);
        assertThat(new String(onlyB.open(new SecretBox.Sealed((String) row.get("secret_key_id"),
                (byte[]) row.get("secret")), context), StandardCharsets.UTF_8)).isEqualTo("whsec_current");
        assertThat(new String(onlyB.open(new SecretBox.Sealed((String) row.get("previous_secret_key_id"),
                (byte[]) row.get("previous_secret")), context), StandardCharsets.UTF_8)).isEqualTo("whsec_previous");
        assertThat(ReencryptCommand.reencrypt(jdbi, onlyB).total()).isZero();
    }

    @Test
    void aRowUnderAnUnknownKeyFailsNamingTheKeyIdAndLeavesThatTableUnchanged() {
        EncryptionKey unknown = EncryptionKey.fromBase64(newKey());
        Sealed underA = sealAll(a);
        Sealed lost = sealAll(unknown);

        assertThatThrownBy(() -> ReencryptCommand.reencrypt(jdbi, box(b, a)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(unknown.id())
                .hasMessageContaining("credentials of connection " + lost.connection())
                .hasMessageNotContaining(keyA).hasMessageNotContaining(keyB);
        // The credentials transaction rolled back: the row under A was not re-sealed either.
        String credentialsKey = jdbi.withHandle(h -> h.createQuery("SELECT key_id FROM credentials WHERE "
                + "connection_id = :c").bind("c", underA.connection()).mapTo(String.class).one());
        assertThat(credentialsKey).isEqualTo(a.id());
    }

    @Test
    void theDbReencryptCommandRunsFromTheCommandLineAndPrintsOnlyCounts() throws Exception {
        Sealed old = sealAll(a);
        Path config = Files.createTempFile("hub", ".yml");
        Files.writeString(config, """
                logging:
                  level: WARN
                database:
                  url: %s
                security:
                  encryptionKey: %s
                  previousEncryptionKeys: %s
                  keyFile: %s
                """.formatted(db.jdbcUrl(), keyB, keyA, config.resolveSibling("unused.key")));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Optional<Throwable> failure = runCli(out, err, "db", "reencrypt", config.toString());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(failure).as(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(printed).contains("1 credential row(s), 1 connection secret(s), 0 integration secret(s), 1 pending OAuth state(s)")
                .contains(b.id()).doesNotContain(keyA).doesNotContain(keyB).doesNotContain("rotate-me");
        assertThat(keyIds()).containsOnly(b.id());
        assertThat(new JdbiCredentialStore(jdbi, new ConnectionSecrets(box(b)), CLOCK, old.connection(), BINDING).load())
                .isEqualTo(CREDENTIALS);
    }

    @Test
    void theCommandRefusesToRunWithoutAConfiguredKey() throws Exception {
        Path config = Files.createTempFile("hub", ".yml");
        Path missingKeyFile = config.resolveSibling("missing-" + UUID.randomUUID() + ".key");
        Files.writeString(config, """
                logging:
                  level: WARN
                database:
                  url: %s
                security:
                  keyFile: %s
                """.formatted(db.jdbcUrl(), missingKeyFile));
        Optional<Throwable> failure = runCli(new ByteArrayOutputStream(), new ByteArrayOutputStream(), "db",
                "reencrypt", config.toString());
        assertThat(failure).get().extracting(Throwable::getMessage).asString().contains("No current encryption key");
        assertThat(missingKeyFile).doesNotExist();
    }

    private static Optional<Throwable> runCli(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args)
            throws Exception {
        HubApplication app = new HubApplication(CLOCK, name -> null);
        Bootstrap<HubConfiguration> bootstrap = new Bootstrap<>(app);
        app.initialize(bootstrap);
        PrintStream stdout = System.out;
        // The command prints to System.out.
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            return new Cli(new JarLocation(HubApplication.class), bootstrap, capture,
                    new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        } finally {
            System.setOut(stdout);
        }
    }
}
