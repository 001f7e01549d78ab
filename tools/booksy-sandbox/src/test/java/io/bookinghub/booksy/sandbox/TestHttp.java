package io.bookinghub.booksy.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A tiny client for the sandbox, written independently of the sandbox code it checks. */
final class TestHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String REDIRECT = "http://localhost:8080/connectors/booksy/oauth/callback";
    static final String CLIENT_ID = "hub-client";
    static final String CLIENT_SECRET = "s3cret:with/odd&chars";

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;

    TestHttp(BooksySandbox sandbox) {
        this.base = sandbox.baseUrl();
    }

    static BooksySandbox.Builder baseBuilder(MutableClock clock) {
        return BooksySandbox.builder().clock(clock).clientId(CLIENT_ID).clientSecret(CLIENT_SECRET)
                .redirectUris(REDIRECT);
    }

    HttpResponse<String> get(String pathAndQuery, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    /** A JSON write with a bearer token and extra headers (name, value, name, value, ...). */
    HttpResponse<String> write(String method, String path, String bearer, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type",
                "application/json").header("Authorization", "Bearer " + bearer)
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    HttpResponse<String> getWithHeader(String pathAndQuery, String header, String value) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).header(header, value).GET().build());
    }

    /** POSTs a form; basicAuth true sends client credentials in the Authorization header, else in the form. */
    HttpResponse<String> postForm(String path, Map<String, String> fields, boolean basicAuth) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (basicAuth) {
            String creds = enc(CLIENT_ID) + ":" + enc(CLIENT_SECRET);
            b.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(creds.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.putIfAbsent("client_id", CLIENT_ID);
            form.putIfAbsent("client_secret", CLIENT_SECRET);
        }
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> authorize(String redirectUri, String challenge, String state) {
        return get("/oauth/authorize?response_type=code&client_id=" + enc(CLIENT_ID) + "&redirect_uri="
                + enc(redirectUri) + "&scope=" + enc("appointments:read") + "&state=" + enc(state)
                + "&code_challenge=" + enc(challenge) + "&code_challenge_method=S256", null);
    }

    /** Runs the authorize leg and returns the code from the redirect. */
    String authorizeCode(String verifier) {
        HttpResponse<String> r = authorize(REDIRECT, challenge(verifier), "xyz");
        if (r.statusCode() != 302) {
            throw new AssertionError("authorize answered " + r.statusCode() + ": " + r.body());
        }
        return queryParam(r.headers().firstValue("Location").orElseThrow(), "code");
    }

    HttpResponse<String> exchange(String code, String verifier, String redirectUri, boolean basicAuth) {
        return postForm("/oauth/token", Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", redirectUri, "code_verifier", verifier), basicAuth);
    }

    HttpResponse<String> refresh(String refreshToken) {
        return postForm("/oauth/token", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken), true);
    }

    /** Reads every page and returns the data items in order. */
    List<JsonNode> readAll(String resourcePathAndQuery, String bearer, int perPage) {
        List<JsonNode> out = new ArrayList<>();
        String sep = resourcePathAndQuery.contains("?") ? "&" : "?";
        int page = 1;
        int totalPages;
        do {
            HttpResponse<String> r = get(resourcePathAndQuery + sep + "page=" + page + "&per_page=" + perPage, bearer);
            if (r.statusCode() != 200) {
                throw new AssertionError("page " + page + " answered " + r.statusCode() + ": " + r.body());
            }
            JsonNode root = json(r);
            root.get("data").forEach(out::add);
            totalPages = root.get("pagination").get("total_pages").asInt();
            page++;
        } while (page <= totalPages);
        return out;
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 7636 S256, computed here independently of the sandbox. */
    static String challenge(String verifier) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String queryParam(String url, String name) {
        String query = URI.create(url).getRawQuery();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
