package io.bookinghub.connectors.booksy;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in what debug mode logs: credential headers, and the values of secret-named
 * parameters in query strings, form bodies and JSON bodies.
 */
public final class BooksyRedactor {
    static final String MASK = "[REDACTED]";
    private static final String SECRET_NAMES =
            "access_token|refresh_token|id_token|client_secret|code|code_verifier|token|api_key|apikey|password|secret";
    // "code" is left out for JSON: there it is Booksy's error code, useful when debugging.
    private static final Pattern JSON_SECRET = Pattern.compile(
            "(\"(?:" + SECRET_NAMES.replace("|code|", "|") + ")\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}\\]\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern FORM_SECRET = Pattern.compile(
            "((?:^|[?&])(?:" + SECRET_NAMES + ")=)([^&#\\s]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final int MAX_BODY = 4000;

    private final Set<String> secretHeaders = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    public BooksyRedactor(String apiKeyHeader) {
        secretHeaders.addAll(List.of("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"));
        if (apiKeyHeader != null) {
            secretHeaders.add(apiKeyHeader.toLowerCase(Locale.ROOT));
        }
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
        String masked = text;
        for (String secret : knownSecrets) {
            if (secret != null && secret.length() >= 4) {
                masked = masked.replace(secret, MASK);
            }
        }
        masked = mask(FORM_SECRET, mask(JSON_SECRET, BEARER.matcher(masked).replaceAll("$1" + MASK)));
        return masked.length() > MAX_BODY ? masked.substring(0, MAX_BODY) + "...(truncated)" : masked;
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
