package io.bookinghub.hub.cli;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.appwebhooks.EndpointSecrets;
import io.bookinghub.hub.connections.ConnectionSecrets;
import io.bookinghub.hub.connections.CredentialDao;
import io.bookinghub.hub.connections.CredentialRow;
import io.bookinghub.hub.crypto.KeyRingLoader;
import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.db.HubDatabase;
import io.bookinghub.hub.integrations.IntegrationDao;
import io.bookinghub.hub.oauth.OAuthStates;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import net.sourceforge.argparse4j.inf.Namespace;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * {@code db reencrypt config.yml}: after a key rotation (new HUB_ENCRYPTION_KEY, the old one moved to
 * HUB_ENCRYPTION_KEY_PREVIOUS), re-seals under the current key every stored secret still sealed under
 * another key: credentials, connection secrets and pending OAuth verifiers. Afterwards the previous
 * key can be removed. Each table is rewritten in one transaction holding its rows' locks, so a hub
 * that is running at the same time waits instead of overwriting; running it again is harmless.
 * Only counts are printed.
 */
public final class ReencryptCommand extends ConfiguredCommand<HubConfiguration> {

    /** How many rows of each kind were re-sealed. */
    public record Counts(int credentials, int connectionSecrets, int integrationSecrets, int oauthStates,
            int appWebhookSecrets) {
        public int total() {
            return credentials + connectionSecrets + integrationSecrets + oauthStates + appWebhookSecrets;
        }
    }

    public ReencryptCommand() {
        super("reencrypt", "Re-encrypt stored secrets under the current encryption key and exit");
    }

    @Override
    protected void run(Bootstrap<HubConfiguration> bootstrap, Namespace namespace, HubConfiguration configuration)
            throws Exception {
        var security = configuration.getSecurity();
        // Without a configured key the loader would generate one; re-sealing under a key nobody chose is wrong.
        if (security.getEncryptionKey() == null && !Files.exists(security.getKeyFile())) {
            throw new IllegalStateException("No current encryption key: set HUB_ENCRYPTION_KEY (security.encryptionKey)"
                    + " or point security.keyFile at the existing key file");
        }
        SecretBox box = KeyRingLoader.load(security, new SecureRandom());
        HubDatabase database = HubDatabase.open(configuration.getDatabase());
        try {
            Properties credentials = new Properties();
            // The URL may carry the user itself; Jdbi.create(url, user, password) refuses nulls.
            if (database.user() != null) {
                credentials.setProperty("user", database.user());
            }
            if (database.password() != null) {
                credentials.setProperty("password", database.password());
            }
            Jdbi jdbi = Jdbi.create(database.jdbcUrl(), credentials);
            jdbi.installPlugin(new SqlObjectPlugin());
            jdbi.installPlugin(new PostgresPlugin());
            Counts counts = reencrypt(jdbi, box);
            System.out.printf("Re-encrypted under key %s: %d credential row(s), %d connection secret(s), "
                    + "%d integration secret(s), %d pending OAuth state(s), %d app webhook secret(s)%n",
                    box.currentKeyId(), counts.credentials(), counts.connectionSecrets(), counts.integrationSecrets(),
                    counts.oauthStates(), counts.appWebhookSecrets());
        } finally {
            database.stop();
        }
    }

    /**
     * Re-seals everything not under {@code box}'s current key.
     *
     * @throws IllegalStateException naming the row and the key id when a row's key is not configured
     *                               or its ciphertext does not authenticate; that table is left as it was
     */
    public static Counts reencrypt(Jdbi jdbi, SecretBox box) {
        requireNonNull(jdbi, "jdbi is null");
        requireNonNull(box, "box is null");
        String current = box.currentKeyId();
        int credentials = jdbi.inTransaction(h -> {
            CredentialDao dao = h.attach(CredentialDao.class);
            List<CredentialRow> rows = dao.findNotUnderKey(current);
            for (CredentialRow row : rows) {
                String context = ConnectionSecrets.credentialsContext(row.connectionId());
                byte[] plain = open(box, row.keyId(), row.ciphertext(), context,
                        "credentials of connection " + row.connectionId());
                SecretBox.Sealed sealed = box.seal(plain, context);
                dao.reseal(row.connectionId(), sealed.keyId(), sealed.ciphertext());
            }
            return rows.size();
        });
        int secrets = jdbi.inTransaction(h -> {
            record Row(UUID id, String keyId, byte[] ciphertext) {
            }
            List<Row> rows = h.createQuery("SELECT id, secret_key_id, secret_config FROM connections "
                    + "WHERE secret_config IS NOT NULL AND secret_key_id IS DISTINCT FROM :current FOR UPDATE")
                    .bind("current", current)
                    .map((rs, ctx) -> new Row(rs.getObject("id", UUID.class), rs.getString("secret_key_id"),
                            rs.getBytes("secret_config")))
                    .list();
            for (Row row : rows) {
                String context = ConnectionSecrets.configContext(row.id());
                byte[] plain = open(box, row.keyId(), row.ciphertext(), context,
                        "secret configuration of connection " + row.id());
                SecretBox.Sealed sealed = box.seal(plain, context);
                update(h, "UPDATE connections SET secret_config = :ct, secret_key_id = :key WHERE id = :id",
                        row.id(), sealed);
            }
            return rows.size();
        });
        int integrations = jdbi.inTransaction(h -> {
            IntegrationDao dao = h.attach(IntegrationDao.class);
            List<IntegrationDao.Row> rows = dao.findNotUnderKey(current);
            for (IntegrationDao.Row row : rows) {
                String context = IntegrationDao.secretsContext(row.connectorId());
                byte[] plain = open(box, row.secretKeyId(), row.secretConfig(), context,
                        "secret integration settings of connector " + row.connectorId());
                SecretBox.Sealed sealed = box.seal(plain, context);
                dao.reseal(row.connectorId(), sealed.ciphertext(), sealed.keyId());
            }
            return rows.size();
        });
        int states = jdbi.inTransaction(h -> {
            record Row(byte[] hash, UUID connectionId, String keyId, byte[] ciphertext) {
            }
            List<Row> rows = h.createQuery("SELECT state_hash, connection_id, key_id, verifier FROM oauth_states "
                    + "WHERE key_id <> :current FOR UPDATE")
                    .bind("current", current)
                    .map((rs, ctx) -> new Row(rs.getBytes("state_hash"), rs.getObject("connection_id", UUID.class),
                            rs.getString("key_id"), rs.getBytes("verifier")))
                    .list();
            for (Row row : rows) {
                String context = OAuthStates.associatedData(row.hash(), row.connectionId());
                byte[] plain = open(box, row.keyId(), row.ciphertext(), context,
                        "pending OAuth state of connection " + row.connectionId());
                SecretBox.Sealed sealed = box.seal(plain, context);
                h.createUpdate("UPDATE oauth_states SET verifier = :ct, key_id = :key WHERE state_hash = :hash")
                        .bind("ct", sealed.ciphertext()).bind("key", sealed.keyId()).bind("hash", row.hash())
                        .execute();
            }
            return rows.size();
        });
        int endpoints = jdbi.inTransaction(h -> {
            record Row(UUID id, String keyId, byte[] secret, String previousKeyId, byte[] previous) {
            }
            // An endpoint's signing secret, and during a rotation the previous one that still signs.
            List<Row> rows = h.createQuery("SELECT id, secret_key_id, secret, previous_secret_key_id, previous_secret "
                    + "FROM app_webhook_endpoints WHERE secret_key_id <> :current OR (previous_secret IS NOT NULL "
                    + "AND previous_secret_key_id IS DISTINCT FROM :current) FOR UPDATE")
                    .bind("current", current)
                    .map((rs, ctx) -> new Row(rs.getObject("id", UUID.class), rs.getString("secret_key_id"),
                            rs.getBytes("secret"), rs.getString("previous_secret_key_id"),
                            rs.getBytes("previous_secret")))
                    .list();
            int resealed = 0;
            for (Row row : rows) {
                String context = EndpointSecrets.context(row.id());
                SecretBox.Sealed secret = box.seal(open(box, row.keyId(), row.secret(), context,
                        "signing secret of app webhook endpoint " + row.id()), context);
                SecretBox.Sealed previous = row.previous() == null ? null : box.seal(open(box, row.previousKeyId(),
                        row.previous(), context, "previous signing secret of app webhook endpoint " + row.id()),
                        context);
                h.createUpdate("UPDATE app_webhook_endpoints SET secret = :ct, secret_key_id = :key, "
                        + "previous_secret = :previous, previous_secret_key_id = :previousKey WHERE id = :id")
                        .bind("ct", secret.ciphertext()).bind("key", secret.keyId())
                        .bind("previous", previous == null ? null : previous.ciphertext())
                        .bind("previousKey", previous == null ? null : previous.keyId())
                        .bind("id", row.id()).execute();
                resealed += previous == null ? 1 : 2;
            }
            return resealed;
        });
        return new Counts(credentials, secrets, integrations, states, endpoints);
    }

    private static byte[] open(SecretBox box, String keyId, byte[] ciphertext, String context, String what) {
        if (keyId == null) {
            throw new IllegalStateException("Cannot re-encrypt the " + what + ": the row names no key id");
        }
        try {
            return box.open(new SecretBox.Sealed(keyId, ciphertext), context);
        } catch (IllegalStateException e) {
            // SecretBox messages name the key id, never key material or plaintext.
            throw new IllegalStateException("Cannot re-encrypt the " + what + " (key " + keyId + "): "
                    + e.getMessage(), e);
        }
    }

    private static void update(Handle h, String sql, UUID id, SecretBox.Sealed sealed) {
        h.createUpdate(sql).bind("ct", sealed.ciphertext()).bind("key", sealed.keyId()).bind("id", id).execute();
    }
}
