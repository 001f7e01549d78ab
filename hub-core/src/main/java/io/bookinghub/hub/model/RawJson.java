package io.bookinghub.hub.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.hub.api.Text;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Turns a provider's raw payload into text PostgreSQL accepts as jsonb. Valid JSON is kept as is;
 * anything else (truncated bodies, XML, text PostgreSQL's jsonb refuses) is stored as a JSON string
 * value, because a bad raw payload must never make an otherwise good record fail to store.
 */
final class RawJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
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

    /**
     * Whether {@code raw} is one JSON value PostgreSQL's jsonb accepts: jsonb rejects NUL (U+0000), unpaired
     * surrogates and numbers beyond numeric's range, all of which Jackson reads. It streams the tokens instead of
     * building a tree: the check runs for every stored record and webhook (docs/benchmarks.md section 15).
     */
    static boolean storableJson(String raw) {
        if (raw.isBlank()) {
            return false;
        }
        try (JsonParser parser = MAPPER.createParser(raw)) {
            int depth = 0;
            JsonToken token = parser.nextToken();
            while (token != null) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME, VALUE_STRING -> {
                        if (!validText(parser.getText())) {
                            return false;
                        }
                    }
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                        if (!withinNumericRange(parser.getDecimalValue())) {
                            return false;
                        }
                    }
                    default -> {
                        // true, false, null (and embedded objects, which text never holds)
                    }
                }
                if (depth == 0) {
                    // One value only: anything after it makes the whole text something jsonb refuses.
                    return parser.nextToken() == null;
                }
                token = parser.nextToken();
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** jsonb's numeric holds at most this many digits before and after the decimal point; Jackson reads more. */
    private static boolean withinNumericRange(BigDecimal d) {
        return d.precision() - d.scale() <= MAX_INTEGER_DIGITS && d.scale() <= MAX_FRACTION_DIGITS;
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
