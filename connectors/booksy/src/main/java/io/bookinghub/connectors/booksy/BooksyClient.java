package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.toolkit.http.DebugLog;
import io.bookinghub.toolkit.http.HttpTrace;
import io.bookinghub.toolkit.http.ProviderHttp;
import io.bookinghub.toolkit.http.ProviderRequest;
import io.bookinghub.toolkit.http.RatePacer;
import io.bookinghub.toolkit.http.RequestAuth;
import io.bookinghub.toolkit.http.RetryPolicy;
import io.bookinghub.toolkit.paging.JsonPages;
import io.bookinghub.toolkit.paging.Page;
import io.bookinghub.toolkit.paging.Pages;
import java.util.List;
import java.util.Map;

/**
 * Booksy's REST API on the toolkit's {@link ProviderHttp} (audit per attempt, retries of idempotent requests, the
 * toolkit's status table): what is Booksy's own is the credential (a bearer token refreshed once after a 401 in OAuth
 * mode, else the API key header), the budgets it is paced by (the connection's {@link RatePacer}), the retry settings
 * of the connection, a 409 {@code slot_unavailable} as SLOT_UNAVAILABLE, the {@code debug} log, and its
 * paging ({@code page}/{@code per_page} with {@code pagination.total_pages}).
 */
public final class BooksyClient {
    private final BooksyConfig config;
    private final ProviderHttp http;

    /**
     * @param tokens the token manager in OAuth mode; null in API-key mode
     * @param pacer  the connection's budgets and pauses; its sleeper does every wait
     */
    public BooksyClient(ConnectorContext context, BooksyConfig config, BooksyTokenManager tokens, RatePacer pacer) {
        this.config = requireNonNull(config, "config is null");
        RequestAuth auth = config.authMode() == BooksyConfig.AuthMode.OAUTH
                ? RequestAuth.bearer(requireNonNull(tokens, "tokens is null in oauth mode")::accessToken,
                        tokens::forceRefresh)
                : RequestAuth.header(config.apiKeyHeader(), config.apiKey());
        this.http = ProviderHttp.builder(context, "Booksy", config.apiBaseUrl().toString()).auth(auth).pacer(pacer)
                .retry(RetryPolicy.DEFAULT.withMaxAttempts(config.maxAttempts())
                        .withBackoff(config.backoffBase(), config.backoffCap()))
                .timeouts(config.connectTimeout(), config.requestTimeout())
                .refineErrors((status, code, mapped) -> status == 409 && "slot_unavailable".equals(code)
                        ? ErrorCode.SLOT_UNAVAILABLE : mapped)
                .trace(config.debug() ? new DebugLog("Booksy", List.of(config.apiKeyHeader())) : HttpTrace.NONE)
                .build();
    }

    /** GETs a JSON document (retried when transient). */
    public JsonNode get(String path, Map<String, String> query) {
        return http.get(path, query);
    }

    /**
     * Sends a write once with the given extra headers (an idempotency key, If-Match). Never retried after a
     * failure: whether it took effect is for the caller to find out (a 401 in OAuth mode is sent once more with a
     * fresh token, since the provider refused it unread).
     */
    public JsonNode write(String method, String path, JsonNode body, Map<String, String> headers) {
        ProviderRequest request = ProviderRequest.of(method, path).json(requireNonNull(body, "body is null"))
                .idempotent(false);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            request = request.header(header.getKey(), header.getValue());
        }
        return http.json(request);
    }

    /** The pages of a list endpoint, fetched lazily one at a time, so a large resource is never in memory at once. */
    public Iterable<Page<JsonNode, Integer>> pages(String path, Map<String, String> query) {
        return Pages.iterable(1, number -> page(path, query, number));
    }

    /**
     * Page {@code number} (from 1) of a list endpoint, {@code per_page} as configured. The next page exists when
     * Booksy's {@code total_pages} says so, or (without it) when this page was full. Thread-safe.
     */
    public Page<JsonNode, Integer> page(String path, Map<String, String> query, int number) {
        JsonNode body = http.json(ProviderRequest.get(path).list().query(query)
                .query("page", Integer.toString(number)).query("per_page", Integer.toString(config.pageSize())));
        List<JsonNode> items = JsonPages.items(body, "data");
        JsonNode total = body.path("pagination").path("total_pages");
        long totalPages = total.canConvertToInt() ? total.asInt() : -1;
        return new Page<>(number, items, Pages.nextNumber(number, items.size(), config.pageSize(), totalPages),
                totalPages);
    }
}
