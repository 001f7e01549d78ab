package io.bookinghub.toolkit.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.bookinghub.toolkit.json.Json;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in what a connector's debug mode logs ({@link DebugLog}): credential headers, the values of
 * secret-named parameters in query strings, form bodies and JSON bodies, and any known secret value wherever it
 * appears.
 *
 * <p>JSON bodies are parsed and walked rather than matched with a regex: a regex that understands JSON
 * string escapes recurses once per character in java.util.regex, and a 5,000-character token overflowed
 * the stack of the thread that logged it.
 */
public final class Redactor {
    public static final String MASK = "[REDACTED]";
    private static final String SECRET_NAMES =
            "access_token|refresh_token|id_token|client_secret|code|code_verifier|token|api_key|apikey|password|secret";
    // "code" is left out for JSON: there it is usually the provider's error code, useful when debugging.
    private static final Set<String> JSON_SECRET_NAMES = jsonSecretNames();
    // For text that is not JSON as a whole (e.g. an error page quoting a JSON fragment). Only a simple
    // character class is repeated, which java.util.regex runs without recursion; an escaped quote inside
    // such a value ends the match early, so the fragment is masked up to there.
    private static final Pattern JSON_FRAGMENT_SECRET = Pattern.compile(
            "(\"(?:" + SECRET_NAMES.replace("|code|", "|") + ")\"\\s*:\\s*)(\"[^\"]*\"?|[^,}\\]\\s]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FORM_SECRET = Pattern.compile(
            "((?:^|[?&])(?:" + SECRET_NAMES + ")=)([^&#\\s]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final int MAX_BODY = 4000;
    private static final ObjectMapper JSON = Json.MAPPER;

    private final Set<String> secretHeaders = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    /**
     * @param moreSecretHeaders header names to mask besides Authorization, Proxy-Authorization, Cookie, Set-Cookie
     *                          and X-Api-Key (e.g. a provider's own API-key header)
     */
    public Redactor(Collection<String> moreSecretHeaders) {
        secretHeaders.addAll(List.of("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"));
        secretHeaders.addAll(moreSecretHeaders);
    }

    /** Headers with credential values masked. */
    public String headers(Map<String, List<String>> headers) {
        StringBuilder out = new StringBuilder("{");
        headers.forEach((name, values) -> {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(name).append('=').append(secretHeaders.contains(name) ? MASK : String.join(",", values));
        });
        return out.append('}').toString();
    }

    /** A query string or form body with secret parameter values masked. */
    public String form(String text) {
        return text == null ? "" : mask(FORM_SECRET, BEARER.matcher(text).replaceAll("$1" + MASK));
    }

    /** A (possibly non-JSON) body with secret values masked and length bounded. */
    public String body(String text) {
        return body(text, List.of());
    }

    /**
     * Like {@link #body(String)}, and also masks every occurrence of the given secret values wherever
     * they appear, e.g. a provider error message that echoes the token it rejected.
     */
    public String body(String text, Collection<String> knownSecrets) {
        if (text == null) {
            return "";
        }
        String known = text;
        for (String secret : knownSecrets) {
            if (secret != null && secret.length() >= 4) {
                known = known.replace(secret, MASK);
            }
        }
        String withoutKnown = known;
        String masked = redactJson(withoutKnown).orElseGet(() -> maskText(mask(JSON_FRAGMENT_SECRET, withoutKnown)));
        return masked.length() > MAX_BODY ? masked.substring(0, MAX_BODY) + "...(truncated)" : masked;
    }

    /** The body re-serialized with secret-named members masked, or empty if it is not a JSON object or array. */
    private static Optional<String> redactJson(String text) {
        String trimmed = text.stripLeading();
        if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(text);
            return Optional.of(JSON.writeValueAsString(redact(root)));
        } catch (JsonProcessingException e) {
            // Not JSON after all, or nested deeper than Jackson's limit: masked as text instead.
            return Optional.empty();
        }
    }

    private static JsonNode redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                field.setValue(JSON_SECRET_NAMES.contains(field.getKey().toLowerCase(Locale.ROOT))
                        ? TextNode.valueOf(MASK) : redact(field.getValue()));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, redact(array.get(i)));
            }
        } else if (node.isTextual()) {
            // A provider message may quote a header or a URL with a token in it.
            return TextNode.valueOf(maskText(node.textValue()));
        }
        return node;
    }

    private static String maskText(String text) {
        return mask(FORM_SECRET, BEARER.matcher(text).replaceAll("$1" + MASK));
    }

    private static Set<String> jsonSecretNames() {
        Set<String> names = new TreeSet<>(List.of(SECRET_NAMES.split("\\|")));
        names.remove("code");
        return Set.copyOf(names);
    }

    private static String mask(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + MASK));
        }
        m.appendTail(out);
        return out.toString();
    }
}
