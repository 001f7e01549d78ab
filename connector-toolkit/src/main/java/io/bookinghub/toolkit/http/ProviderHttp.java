package io.bookinghub.toolkit.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.spi.ConnectorAudit;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.RateBudget;
import io.bookinghub.spi.http.OutboundRequest;
import io.bookinghub.spi.http.OutboundResponse;
import io.bookinghub.toolkit.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A provider's REST API as a connector calls it: every attempt goes through the hub's outbound policy
 * ({@link ConnectorContext#http()}), takes its permits from the hub's shared {@link RateBudget} (through a
 * {@link RatePacer}), carries the credential of a {@link RequestAuth}, and is audited
 * ({@link ConnectorContext#audit()}: method, path without query, status, latency, attempt number, a short
 * secret-free error). Latency, waits and the deadline are measured on {@link ConnectorContext#clock()}: on a test's
 * frozen clock latency is zero, unless the test's {@link Sleeper} advances it. Failures are retried by the {@link RetryPolicy} and end as a {@link ConnectorException} whose
 * code comes from the one table in {@link StatusCodes}.
 *
 * <p>Error messages name the provider, method, path, status and the provider's own error code when its JSON body
 * has a short one ({@code error.code}, {@code error} or {@code code}); never the query string, a header or the body.
 *
 * <p>Build one per connection and share it: it is thread-safe.
 * <pre>{@code
 * ProviderHttp http = ProviderHttp.builder(context, "Example", config.string("baseUrl"))
 *         .auth(RequestAuth.header("X-Api-Key", config.string("apiKey")))
 *         .rateLimit(new RateBudget.Limit(5, 10), "account:" + accountId)
 *         .build();
 * JsonNode page = http.json(ProviderRequest.get("/bookings").list().query("page", "1"));
 * }</pre>
 */
public final class ProviderHttp {
    /** A provider's own error code is quoted only when it looks like one (not a sentence that may echo input). */
    private static final Pattern PROVIDER_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final ConnectorContext context;
    private final String provider;
    private final String baseUrl;
    private final RequestAuth auth;
    private final RetryPolicy retry;
    private final RatePacer pacer;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxResponseBytes;
    private final HttpTrace trace;
    private final ErrorRefiner refiner;

    private ProviderHttp(Builder b) {
        this.context = b.context;
        this.provider = b.provider;
        this.baseUrl = b.baseUrl.endsWith("/") ? b.baseUrl.substring(0, b.baseUrl.length() - 1) : b.baseUrl;
        this.auth = b.auth;
        this.retry = b.retry;
        this.pacer = b.pacer != null ? b.pacer : new RatePacer(context.rateBudget(), b.limit, b.keys, context.clock(),
                b.sleeper);
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.maxResponseBytes = b.maxResponseBytes;
        this.trace = b.trace;
        this.refiner = b.refiner;
    }

    /**
     * @param provider the provider's name for error messages, e.g. {@code "Booksy"}
     * @param baseUrl  the API's base URL (an operator's setting, never a tenant's: the credential is sent there)
     */
    public static Builder builder(ConnectorContext context, String provider, String baseUrl) {
        return new Builder(context, provider, baseUrl);
    }

    /** Narrows a code from the {@link StatusCodes} table with what the provider said. */
    @FunctionalInterface
    public interface ErrorRefiner {
        /**
         * @param providerCode the provider's error code from the body, or null
         * @return the code to report (return {@code mapped} to keep the table's)
         */
        ErrorCode refine(int status, String providerCode, ErrorCode mapped);
    }

    /** GETs one record as JSON (a 404 is NOT_FOUND). */
    public JsonNode get(String path, Map<String, String> query) {
        return json(ProviderRequest.get(path).query(query));
    }

    /**
     * Sends the request and parses its 2xx body as a JSON object or array.
     *
     * @throws ConnectorException PROVIDER_ERROR when the 2xx body is not JSON (an HTML maintenance page, a truncated
     *     document), else as {@link StatusCodes} says
     */
    public JsonNode json(ProviderRequest request) {
        return execute(request, true).json;
    }

    /** Sends the request and returns its 2xx response as it came (for bodies that are not JSON). */
    public OutboundResponse send(ProviderRequest request) {
        return execute(request, false).response;
    }

    /** The pacer of this client: share it with other clients of the same connection. */
    public RatePacer pacer() {
        return pacer;
    }

    /** The absolute URL of {@code path} (no query). */
    public String url(String path) {
        return baseUrl + path;
    }

    private record Result(OutboundResponse response, JsonNode json) {
    }

    private Result execute(ProviderRequest request, boolean json) {
        requireNonNull(request, "request is null");
        URI uri = URI.create(url(request.path()) + queryString(request.query()));
        String what = provider + " " + request.method() + " " + request.path();
        Instant deadline = context.clock().instant().plus(retry.deadline());
        boolean refreshed = false;
        for (int attempt = 1; ; attempt++) {
            pacer.acquire();
            Map<String, String> credential = auth.headers();
            Duration left = Duration.between(context.clock().instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, what + " gave up: its deadline of "
                        + retry.deadline() + " passed before attempt " + attempt);
            }
            OutboundRequest outbound = outbound(request, uri, credential, left);
            List<String> secrets = secrets(credential);
            trace.request(outbound, secrets);
            Instant started = context.clock().instant();
            OutboundResponse response;
            try {
                response = context.http().send(outbound);
            } catch (ConnectorException refused) {
                audit(request, 0, started, attempt, refused.getMessage());
                throw refused;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    audit(request, 0, started, attempt, "interrupted");
                    throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, what + " interrupted");
                }
                String error = e.getClass().getSimpleName();
                audit(request, 0, started, attempt, error);
                if (request.idempotent() && retryNow(attempt, retry.backoff(attempt, context.random()), deadline)) {
                    continue;
                }
                throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE,
                        what + " failed after " + attempt + " attempt(s): " + error);
            }
            trace.response(request, response, secrets);
            int status = response.status();
            if (status >= 200 && status < 300) {
                return success(request, response, json, what, started, attempt);
            }
            String providerCode = providerCode(response);
            ErrorCode code = refiner.refine(status, providerCode, StatusCodes.codeFor(status, request.listEndpoint()));
            String message = what + " answered HTTP " + status + (providerCode == null ? "" : " (" + providerCode + ")")
                    + (status >= 300 && status < 400 ? ", a redirect, which is not followed" : "");
            audit(request, status, started, attempt, message);
            if (status == 401 && !refreshed && auth.refresh(credential)) {
                refreshed = true;
                continue;
            }
            Optional<Duration> retryAfter = StatusCodes.retried(status)
                    ? RetryAfter.parse(response.firstHeader("Retry-After").orElse(null), context.clock(),
                            retry.maxRetryAfter())
                    : Optional.empty();
            retryAfter.ifPresent(pacer::pauseFor);
            if (request.idempotent() && StatusCodes.retried(status)) {
                Duration wait = retry.backoff(attempt, context.random());
                if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
                    wait = retryAfter.get();
                }
                if (retryNow(attempt, wait, deadline)) {
                    continue;
                }
            }
            throw new ConnectorException(code, message);
        }
    }

    /** Sleeps {@code wait} and returns true when another attempt is allowed and would start before the deadline. */
    private boolean retryNow(int attempt, Duration wait, Instant deadline) {
        if (attempt >= retry.maxAttempts() || !context.clock().instant().plus(wait).isBefore(deadline)) {
            return false;
        }
        pacer.sleep(wait);
        return true;
    }

    private Result success(ProviderRequest request, OutboundResponse response, boolean json, String what,
            Instant started, int attempt) {
        int status = response.status();
        String problem = null;
        JsonNode parsed = null;
        if (response.body().length > maxResponseBytes) {
            problem = "a body over " + maxResponseBytes + " bytes";
        } else if (json) {
            parsed = Json.parseContainer(response.bodyText()).orElse(null);
            if (parsed == null) {
                problem = "a body that is not JSON (Content-Type " + response.firstHeader("Content-Type")
                        .map(ProviderHttp::shortText).orElse("none") + ")";
            }
        }
        audit(request, status, started, attempt, problem);
        if (problem != null) {
            throw new ConnectorException(ErrorCode.PROVIDER_ERROR, what + " answered HTTP " + status + " with " + problem);
        }
        return new Result(response, parsed);
    }

    private OutboundRequest outbound(ProviderRequest request, URI uri, Map<String, String> credential,
            Duration left) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Accept", List.of("application/json"));
        request.headers().forEach((name, value) -> headers.put(name, List.of(value)));
        credential.forEach((name, value) -> headers.put(name, List.of(value)));
        Duration timeout = left.compareTo(requestTimeout) < 0 ? left : requestTimeout;
        return new OutboundRequest(request.method(), uri, headers, request.body(), connectTimeout, timeout);
    }

    /** The credential's values, and a bearer token also bare: a provider's error body may echo either. */
    private static List<String> secrets(Map<String, String> credential) {
        List<String> out = new ArrayList<>();
        credential.values().forEach(value -> {
            out.add(value);
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                out.add(value.substring(7));
            }
        });
        return out;
    }

    private static String providerCode(OutboundResponse response) {
        JsonNode body = Json.parseContainer(response.bodyText()).orElse(null);
        if (body == null) {
            return null;
        }
        JsonNode error = body.path("error");
        JsonNode code = error.isObject() ? error.path("code") : error.isTextual() ? error : body.path("code");
        return code.isTextual() && PROVIDER_CODE.matcher(code.asText()).matches() ? code.asText() : null;
    }

    private static String shortText(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private void audit(ProviderRequest request, int status, Instant started, int attempt, String error) {
        Duration latency = Duration.between(started, context.clock().instant());
        context.audit().apiCall(new ConnectorAudit.ApiCall(request.method(), request.path(), status,
                latency.isNegative() ? Duration.ZERO : latency, attempt, error, started));
    }

    private static String queryString(Map<String, String> query) {
        StringBuilder out = new StringBuilder();
        query.forEach((k, v) -> out.append(out.length() == 0 ? '?' : '&')
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    /** Settings of a {@link ProviderHttp}; every one has a default but the context, provider name and base URL. */
    public static final class Builder {
        private final ConnectorContext context;
        private final String provider;
        private final String baseUrl;
        private RequestAuth auth = RequestAuth.none();
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private RateBudget.Limit limit = new RateBudget.Limit(1, 1);
        private List<String> keys = List.of();
        private RatePacer pacer;
        private Sleeper sleeper = Sleeper.SYSTEM;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxResponseBytes = 16 * 1024 * 1024;
        private HttpTrace trace = HttpTrace.NONE;
        private ErrorRefiner refiner = (status, providerCode, mapped) -> mapped;

        private Builder(ConnectorContext context, String provider, String baseUrl) {
            this.context = requireNonNull(context, "context is null");
            this.provider = requireNonNull(provider, "provider is null");
            this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        }

        public Builder auth(RequestAuth requestAuth) {
            this.auth = requireNonNull(requestAuth, "auth is null");
            return this;
        }

        public Builder retry(RetryPolicy policy) {
            this.retry = requireNonNull(policy, "retry is null");
            return this;
        }

        /**
         * Every attempt takes a permit from each named budget of the hub's {@link RateBudget} (e.g. the provider
         * app's and the provider account's). Without this, calls are paced only by {@code Retry-After}.
         */
        public Builder rateLimit(RateBudget.Limit rate, String... budgetKeys) {
            this.limit = requireNonNull(rate, "rate is null");
            this.keys = List.of(budgetKeys);
            return this;
        }

        /** Shares a pacer (budgets and {@code Retry-After} pauses) with another client; overrides rateLimit. */
        public Builder pacer(RatePacer shared) {
            this.pacer = requireNonNull(shared, "pacer is null");
            return this;
        }

        /**
         * How waits (backoff, Retry-After, rate permits) happen; tests pass one that advances their clock. Default
         * {@link Sleeper#SYSTEM}. With a shared {@link #pacer}, that pacer's sleeper waits instead.
         */
        public Builder sleeper(Sleeper waits) {
            this.sleeper = requireNonNull(waits, "sleeper is null");
            return this;
        }

        /** Per attempt; the hub caps both, and an attempt never runs past the request's deadline. */
        public Builder timeouts(Duration connect, Duration request) {
            this.connectTimeout = requireNonNull(connect, "connect is null");
            this.requestTimeout = requireNonNull(request, "request is null");
            return this;
        }

        /** A 2xx body longer than this is PROVIDER_ERROR (default 16 MiB; the hub has its own cap too). */
        public Builder maxResponseBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxResponseBytes must be positive");
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        public Builder trace(HttpTrace tracer) {
            this.trace = requireNonNull(tracer, "trace is null");
            return this;
        }

        public Builder refineErrors(ErrorRefiner errorRefiner) {
            this.refiner = requireNonNull(errorRefiner, "refiner is null");
            return this;
        }

        public ProviderHttp build() {
            return new ProviderHttp(this);
        }
    }
}
