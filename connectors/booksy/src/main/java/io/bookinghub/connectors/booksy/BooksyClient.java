package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.spi.ConnectorAudit;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.http.OutboundRequest;
import io.bookinghub.spi.http.OutboundResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Booksy REST client: authentication (bearer token or API key), rate limiting, retries with full-jitter
 * exponential backoff for idempotent requests, error mapping to {@link ErrorCode}s, an audit row per
 * attempt and, in debug mode, request/response logging with secrets redacted.
 *
 * <p>Retries happen only for GET, and only after an I/O failure or timeout, or on 429, 502, 503 and 504;
 * a {@code Retry-After} longer than the backoff is honoured and pauses every caller of the connection.
 * A 401 in OAuth mode refreshes the token once and retries once. Redirects are never followed. Requests go
 * through the hub's transport ({@link ConnectorContext#http()}); a destination its policy refuses is audited and
 * fails at once, unretried.
 */
public final class BooksyClient {
    private static final Logger LOG = LoggerFactory.getLogger(BooksyClient.class);
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** Safety net against a provider that reports an absurd page count. */
    private static final int MAX_PAGES = 100_000;

    private final ConnectorContext context;
    private final BooksyConfig config;
    private final BooksyTokenManager tokens;
    private final BooksyRateLimiter limiter;
    private final Sleeper sleeper;
    private final ObjectMapper json = new ObjectMapper();
    private final BooksyRedactor redactor;

    /**
     * @param tokens the token manager in OAuth mode; null in API-key mode
     */
    public BooksyClient(ConnectorContext context, BooksyConfig config, BooksyTokenManager tokens,
            BooksyRateLimiter limiter, Sleeper sleeper) {
        this.context = requireNonNull(context, "context is null");
        this.config = requireNonNull(config, "config is null");
        this.limiter = requireNonNull(limiter, "limiter is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        if (config.authMode() == BooksyConfig.AuthMode.OAUTH) {
            this.tokens = requireNonNull(tokens, "tokens is null in oauth mode");
        } else {
            this.tokens = null;
        }
        this.redactor = new BooksyRedactor(config.apiKeyHeader());
    }

    /** One page of a list endpoint. {@code totalPages} is -1 when Booksy did not say. */
    public record Page(int number, int totalPages, List<JsonNode> items) {
        public Page {
            items = List.copyOf(requireNonNull(items, "items is null"));
        }
    }

    /** GETs a JSON document (retried when transient). */
    public JsonNode get(String path, Map<String, String> query) {
        return execute("GET", path, query, null, Map.of());
    }

    /** POSTs a JSON body. Never retried: Booksy gives no idempotency guarantee for writes. */
    public JsonNode post(String path, JsonNode body) {
        return write("POST", path, body, Map.of());
    }

    /**
     * Sends a write once with the given extra headers (an idempotency key, If-Match). Never retried after a
     * failure: whether it took effect is for the caller to find out (a 401 in OAuth mode is sent once more with a
     * fresh token, since the provider refused it unread).
     */
    public JsonNode write(String method, String path, JsonNode body, Map<String, String> headers) {
        return execute(method, path, Map.of(), requireNonNull(body, "body is null").toString(),
                requireNonNull(headers, "headers is null"));
    }

    /**
     * The pages of a list endpoint, fetched lazily one at a time as the iteration advances, so a large
     * resource is never held in memory at once.
     */
    public Iterable<Page> pages(String path, Map<String, String> query) {
        requireNonNull(path, "path is null");
        Map<String, String> base = new LinkedHashMap<>(requireNonNull(query, "query is null"));
        return () -> new Iterator<>() {
            private int next = 1;
            private boolean done;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public Page next() {
                if (done) {
                    throw new NoSuchElementException();
                }
                Page page = page(path, base, next);
                done = lastPage(page);
                next++;
                return page;
            }
        };
    }

    /** Page {@code number} (from 1) of a list endpoint, {@code per_page} as configured. Thread-safe. */
    public Page page(String path, Map<String, String> query, int number) {
        requireNonNull(path, "path is null");
        Map<String, String> q = new LinkedHashMap<>(requireNonNull(query, "query is null"));
        q.put("page", Integer.toString(number));
        q.put("per_page", Integer.toString(config.pageSize()));
        return parsePage(path, number, get(path, q));
    }

    /**
     * Whether no page follows {@code page}: Booksy's {@code total_pages} says so, or (without it) the page was not
     * full; an empty page and the safety limit end a list too.
     */
    public boolean lastPage(Page page) {
        boolean more = page.totalPages() >= 0 ? page.number() < page.totalPages()
                : page.items().size() >= config.pageSize();
        return !more || page.items().isEmpty() || page.number() >= MAX_PAGES;
    }

    /**
     * How many pages of the list are known to exist after {@code page}: up to its {@code total_pages} (capped by
     * the safety limit), else the next one if this one was full. What a concurrent reader may fetch already.
     */
    public int knownPagesUpTo(Page page) {
        if (lastPage(page)) {
            return page.number();
        }
        return page.totalPages() >= 0 ? Math.min(page.totalPages(), MAX_PAGES) : page.number() + 1;
    }

    private Page parsePage(String path, int number, JsonNode body) {
        JsonNode data = body.get("data");
        if (data == null || !data.isArray()) {
            throw new ConnectorException(ErrorCode.PROVIDER_ERROR,
                    "Booksy GET " + path + " page " + number + ": response has no data array");
        }
        List<JsonNode> items = new ArrayList<>(data.size());
        data.forEach(items::add);
        JsonNode totalPages = body.path("pagination").path("total_pages");
        return new Page(number, totalPages.canConvertToInt() ? totalPages.asInt() : -1, items);
    }

    private JsonNode execute(String method, String path, Map<String, String> query, String body,
            Map<String, String> extraHeaders) {
        boolean idempotent = "GET".equals(method);
        URI uri = URI.create(config.url(path) + queryString(query));
        int maxAttempts = config.maxAttempts();
        boolean refreshedAfter401 = false;
        for (int attempt = 1; ; attempt++) {
            limiter.acquire();
            String token = tokens == null ? null : tokens.accessToken();
            OutboundRequest request = buildRequest(method, uri, body, token, extraHeaders);
            List<String> secrets = token != null ? List.of(token) : List.of(config.apiKey());
            debugRequest(request, body, secrets);
            Instant started = context.clock().instant();
            OutboundResponse response;
            try {
                response = context.http().send(request);
            } catch (ConnectorException refused) {
                audit(method, path, 0, started, attempt, refused.getMessage());
                throw refused;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    audit(method, path, 0, started, attempt, "interrupted");
                    throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE,
                            "Booksy " + method + " " + path + " interrupted");
                }
                String error = e.getClass().getSimpleName();
                audit(method, path, 0, started, attempt, error);
                if (idempotent && attempt < maxAttempts) {
                    sleep(backoff(attempt));
                    continue;
                }
                throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE,
                        "Booksy " + method + " " + path + " failed after " + attempt + " attempt(s): " + error);
            }
            int status = response.status();
            debugResponse(method, path, response, secrets);
            if (status >= 200 && status < 300) {
                JsonNode parsed = parseJson(response);
                if (parsed == null) {
                    String error = "malformed JSON body";
                    audit(method, path, status, started, attempt, error);
                    throw new ConnectorException(ErrorCode.PROVIDER_ERROR,
                            "Booksy " + method + " " + path + " returned HTTP " + status + " with a " + error);
                }
                audit(method, path, status, started, attempt, null);
                return parsed;
            }
            String errorCode = providerErrorCode(response);
            ConnectorException failure = mapError(method, path, status, errorCode);
            audit(method, path, status, started, attempt, failure.getMessage());

            if (status == 401 && token != null && !refreshedAfter401) {
                refreshedAfter401 = true;
                tokens.forceRefresh(token);
                continue;
            }
            Optional<Duration> retryAfter = status == 429 || status == 503
                    ? BooksyRateLimiter.parseRetryAfter(response.firstHeader("Retry-After").orElse(null),
                            context.clock())
                    : Optional.empty();
            retryAfter.ifPresent(limiter::pauseFor);
            if (idempotent && attempt < maxAttempts && isRetryable(status)) {
                Duration wait = backoff(attempt);
                if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
                    wait = retryAfter.get();
                }
                sleep(wait);
                continue;
            }
            throw failure;
        }
    }

    private OutboundRequest buildRequest(String method, URI uri, String body, String token,
            Map<String, String> extraHeaders) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Accept", List.of("application/json"));
        extraHeaders.forEach((name, value) -> headers.put(name, List.of(value)));
        if (token != null) {
            headers.put("Authorization", List.of("Bearer " + token));
        } else {
            headers.put(config.apiKeyHeader(), List.of(config.apiKey()));
        }
        byte[] bytes = new byte[0];
        if (body != null) {
            headers.put("Content-Type", List.of("application/json"));
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        return new OutboundRequest(method, uri, headers, bytes, config.connectTimeout(), config.requestTimeout());
    }

    private static boolean isRetryable(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))). */
    Duration backoff(int attempt) {
        long base = config.backoffBase().toNanos();
        long cap = config.backoffCap().toNanos();
        double ceiling = Math.min((double) cap, base * Math.pow(2, attempt - 1));
        return Duration.ofNanos((long) (context.random().nextDouble() * ceiling));
    }

    private void sleep(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "Interrupted while backing off from Booksy");
        }
    }

    private JsonNode parseJson(OutboundResponse response) {
        String text = response.bodyText();
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(text);
            return node == null || node.isMissingNode() || !node.isContainerNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    private String providerErrorCode(OutboundResponse response) {
        JsonNode node = parseJson(response);
        if (node == null) {
            return null;
        }
        JsonNode code = node.path("error").isObject() ? node.path("error").path("code") : node.path("error");
        return code.isTextual() && ERROR_CODE.matcher(code.asText()).matches() ? code.asText() : null;
    }

    static ConnectorException mapError(String method, String path, int status, String providerCode) {
        ErrorCode code;
        String what;
        if (status >= 300 && status < 400) {
            code = ErrorCode.PROVIDER_ERROR;
            what = "an unexpected redirect";
        } else {
            what = "an error";
            switch (status) {
                case 401, 403 -> code = ErrorCode.AUTH_REQUIRED;
                case 404 -> code = ErrorCode.NOT_FOUND;
                case 409 -> code = "slot_unavailable".equals(providerCode) ? ErrorCode.SLOT_UNAVAILABLE
                        : ErrorCode.CONFLICT;
                case 412 -> code = ErrorCode.VERSION_MISMATCH;
                case 400, 422 -> code = ErrorCode.INVALID_INPUT;
                case 429 -> code = ErrorCode.RATE_LIMITED;
                case 502, 503, 504 -> code = ErrorCode.PROVIDER_UNAVAILABLE;
                default -> code = ErrorCode.PROVIDER_ERROR;
            }
        }
        return new ConnectorException(code, "Booksy " + method + " " + path + " returned " + what + ": HTTP " + status
                + (providerCode == null ? "" : " (" + providerCode + ")"));
    }

    private void audit(String method, String path, int status, Instant started, int attempt, String error) {
        Duration latency = Duration.between(started, context.clock().instant());
        context.audit().apiCall(new ConnectorAudit.ApiCall(method, path, status,
                latency.isNegative() ? Duration.ZERO : latency, attempt, error, started));
    }

    private void debugRequest(OutboundRequest request, String body, List<String> secrets) {
        if (config.debug()) {
            LOG.info("Booksy request {} {}{} headers={} body={}", request.method(), request.uri().getPath(),
                    request.uri().getRawQuery() == null ? "" : "?" + redactor.form(request.uri().getRawQuery()),
                    redactor.headers(request.headers()), redactor.body(body, secrets));
        }
    }

    private void debugResponse(String method, String path, OutboundResponse response, List<String> secrets) {
        if (config.debug()) {
            LOG.info("Booksy response {} {} -> {} headers={} body={}", method, path, response.status(),
                    redactor.headers(response.headers()), redactor.body(response.bodyText(), secrets));
        }
    }

    private static String queryString(Map<String, String> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        query.forEach((k, v) -> {
            if (v != null) {
                out.append(out.length() == 0 ? '?' : '&').append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return out.toString();
    }
}
