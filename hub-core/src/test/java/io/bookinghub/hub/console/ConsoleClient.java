package io.bookinghub.hub.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser stand-in for server-side console tests: one cookie jar, redirects not followed, forms posted as HTML. */
final class ConsoleClient {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final String base;
    private String session;

    ConsoleClient(int port) {
        this.base = "http://localhost:" + port;
    }

    /** Signs in with an API key; returns the sign-in answer (303 on success). */
    HttpResponse<String> signIn(String apiKey) {
        HttpResponse<String> answer = post("/console/login", Map.of("apiKey", apiKey, "next", "/console"));
        answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(Pages.COOKIE + "="))
                .findFirst().ifPresent(c -> session = c.substring(Pages.COOKIE.length() + 1, c.indexOf(';')));
        return answer;
    }

    String sessionCookie() {
        return session;
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    /** A form post with the CSRF token of the page at {@code formPage}. */
    HttpResponse<String> submit(String formPage, String action, Map<String, String> fields) {
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        withToken.put("csrf", csrf(get(formPage).body()));
        return post(action, withToken);
    }

    HttpResponse<String> post(String path, Map<String, String> fields) {
        String form = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    static String csrf(String page) {
        Matcher m = CSRF.matcher(page);
        if (!m.find()) {
            throw new AssertionError("no CSRF token on the page:\n" + page);
        }
        return m.group(1);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
        if (session != null) {
            builder.header("Cookie", Pages.COOKIE + "=" + session);
        }
        return builder;
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
