package io.bookinghub.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Map;

/**
 * What text the hub refuses at its edge: PostgreSQL cannot store a NUL character (text refuses it, jsonb its
 * {@code \u0000} escape) and turns an unpaired UTF-16 surrogate into "?", so both are refused where they enter
 * (JSON bodies, query and path parameters, webhook events) instead of failing or changing later.
 */
public final class Text {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Text() {
    }

    /** Why {@code s} cannot be stored as given, or null when it can. */
    public static String problem(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                return "must not contain a NUL character";
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must not contain an unpaired UTF-16 surrogate";
            }
        }
        return null;
    }

    /** As {@link #problem}, also refusing CR and LF: for values that end up on one log line (parameters). */
    public static String lineProblem(String s) {
        if (s != null && (s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0)) {
            return "must not contain a line break";
        }
        return problem(s);
    }

    /**
     * As {@link #problem} for every key and string of a JSON document (where a NUL arrives as the escape
     * {@code \u0000}); text that is not JSON is checked as it is.
     */
    public static String jsonProblem(String json) {
        if (json == null) {
            return null;
        }
        // A parsed key or string can only hold a NUL or a lone surrogate if the text holds one itself or a
        // backslash-u escape (which could spell one): without such an escape the text alone decides, and
        // webhook intake checks every event this way without parsing it again.
        if (json.indexOf("\\u") < 0) {
            return problem(json);
        }
        try {
            return problem(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            return problem(json);
        }
    }

    private static String problem(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return problem(node.textValue());
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String problem = problem(field.getKey());
                problem = problem != null ? problem : problem(field.getValue());
                if (problem != null) {
                    return problem;
                }
            }
        }
        if (node.isArray()) {
            for (JsonNode child : node) {
                String problem = problem(child);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }
}
