package io.bookinghub.connectors.booksy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Recorded-style Booksy payloads from src/test/resources/payloads. */
final class Payloads {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {
    }

    static String text(String name) {
        return resource("/payloads/" + name);
    }

    /** A recorded-style webhook body from src/test/resources/webhooks. */
    static String webhook(String name) {
        return resource("/webhooks/" + name);
    }

    private static String resource(String name) {
        try (InputStream in = Payloads.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no payload " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> items(String name) {
        try {
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(text(name)).path("data").forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
