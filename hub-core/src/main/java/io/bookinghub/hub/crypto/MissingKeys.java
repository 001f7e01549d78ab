package io.bookinghub.hub.crypto;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, names the key ids that sealed stored secrets but are not in this hub's key ring, so a hub
 * started with the wrong key says so once instead of failing on every event and request that needs one.
 */
public final class MissingKeys {
    private static final Logger LOG = LoggerFactory.getLogger(MissingKeys.class);
    // Every column that names the key a stored secret was sealed with; DISTINCT over each is cheap.
    private static final String KEY_IDS = "SELECT secret_key_id FROM connections WHERE secret_key_id IS NOT NULL "
            + "UNION SELECT key_id FROM credentials "
            + "UNION SELECT secret_key_id FROM integration_settings WHERE secret_key_id IS NOT NULL";

    private MissingKeys() {
    }

    /** The key ids stored secrets were sealed with that {@code box} cannot open, sorted. */
    public static SortedSet<String> find(Jdbi jdbi, SecretBox box) {
        List<String> used = jdbi.withHandle(h -> h.createQuery(KEY_IDS).mapTo(String.class).list());
        SortedSet<String> missing = new TreeSet<>();
        used.stream().filter(id -> !box.hasKey(id)).forEach(missing::add);
        return missing;
    }

    /** Logs a WARN listing the missing key ids, if any; a database that cannot answer yet is not an error here. */
    public static void warnAtStart(Jdbi jdbi, SecretBox box) {
        SortedSet<String> missing;
        try {
            missing = find(jdbi, box);
        } catch (RuntimeException e) {
            LOG.info("Could not check stored secrets' encryption keys at start: {}", e.getClass().getSimpleName());
            return;
        }
        if (!missing.isEmpty()) {
            LOG.warn("Stored secrets were sealed with encryption key(s) {} which this hub is not configured with "
                    + "(current key {}): connections using them cannot work until the key is added to "
                    + "HUB_ENCRYPTION_KEY_PREVIOUS", missing, box.currentKeyId());
        }
    }
}
