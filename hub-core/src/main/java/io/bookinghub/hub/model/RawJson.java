package io.bookinghub.hub.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.hub.api.Text;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Turns a provider's raw payload into text PostgreSQL accepts as jsonb. Valid JSON is kept as is;
 * anything else (truncated bodies, XML, text PostgreSQL's jsonb refuses) is stored as a JSON string
 * value, because a bad raw payload must never make an otherwise good record fail to store.
 */
final class RawJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    /** PostgreSQL numeric limits: digits before and after the decimal point. */
    private static final int MAX_INTEGER_DIGITS = 131_072;
    private static final int MAX_FRACTION_DIGITS = 16_383;

    private RawJson() {
    }

    /** The jsonb text to store for {@code raw}; null stays null. */
    static String forJsonb(String raw) {
        if (raw == null) {
            return null;
        }
        return storableJson(raw) ? raw : asJsonString(raw);
    }

    /** {@code raw} as a JSON string value, with NUL characters (which PostgreSQL text cannot hold) replaced. */
    static String asJsonString(String raw) {
        try {
            return MAPPER.writeValueAsString(sanitize(raw));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising a plain string cannot fail", e);
        }
    }

    static boolean storableJson(String raw) {
        if (raw.isBlank()) {
            return false;
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            return false;
        }
        return tree != null && !tree.isMissingNode() && acceptedByPostgres(tree);
    }

    /** jsonb rejects \u0000, unpaired surrogates and numbers beyond numeric's range, all of which Jackson accepts. */
    private static boolean acceptedByPostgres(JsonNode node) {
        if (node.isTextual()) {
            return validText(node.textValue());
        }
        if (node.isNumber()) {
            BigDecimal d = node.decimalValue();
            return d.precision() - d.scale() <= MAX_INTEGER_DIGITS && d.scale() <= MAX_FRACTION_DIGITS;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!validText(f.getKey()) || !acceptedByPostgres(f.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (node.isArray()) {
            for (JsonNode child : node) {
                if (!acceptedByPostgres(child)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean validText(String s) {
        return Text.problem(s) == null;
    }

    private static String sanitize(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\u0000') {
                sb.append('\uFFFD');
            } else if (Character.isHighSurrogate(c) && i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
                sb.append(c).append(raw.charAt(i + 1));
                i++;
            } else if (Character.isSurrogate(c)) {
                sb.append('\uFFFD');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
