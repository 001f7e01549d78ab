package io.bookinghub.toolkit.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** The public vectors of {@code webhook-test-vectors.properties}. */
final class TestVectors {

    private static final Properties VECTORS = load();

    private TestVectors() {
    }

    static String get(String key) {
        String value = VECTORS.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("no test vector " + key);
        }
        return value;
    }

    static byte[] bytes(String key) {
        return get(key).getBytes(StandardCharsets.UTF_8);
    }

    static boolean has(String key) {
        return VECTORS.containsKey(key);
    }

    private static Properties load() {
        try (InputStream in = TestVectors.class.getResourceAsStream("/webhook-test-vectors.properties")) {
            if (in == null) {
                throw new IllegalStateException("webhook-test-vectors.properties is not on the test classpath");
            }
            Properties properties = new Properties();
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
