package io.bookinghub.toolkit.http;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.http.OutboundRequest;
import io.bookinghub.spi.http.OutboundResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's debug log of every attempt and answer, at INFO so an operator sees it without changing log levels
 * ({@code "<Provider> request GET /path?query headers={...} body=..."} and {@code "<Provider> response ..."}), with
 * secrets masked by a {@link Redactor}: credential headers (and any header carrying a credential value), secret-named
 * parameters, and the credential values wherever a body echoes them. Bodies are cut at 4,000 characters.
 */
public final class DebugLog implements HttpTrace {
    private static final Logger LOG = LoggerFactory.getLogger(DebugLog.class);

    private final String provider;
    private final Redactor redactor;

    /**
     * @param provider          the provider's name the lines start with
     * @param moreSecretHeaders header names to mask besides the usual credential headers
     */
    public DebugLog(String provider, Collection<String> moreSecretHeaders) {
        this.provider = requireNonNull(provider, "provider is null");
        this.redactor = new Redactor(requireNonNull(moreSecretHeaders, "moreSecretHeaders is null"));
    }

    @Override
    public void request(OutboundRequest request, Collection<String> secrets) {
        String query = request.uri().getRawQuery();
        LOG.info("{} request {} {}{} headers={} body={}", provider, request.method(), request.uri().getPath(),
                query == null ? "" : "?" + redactor.form(query), headers(request.headers(), secrets),
                redactor.body(new String(request.body(), StandardCharsets.UTF_8), secrets));
    }

    @Override
    public void response(ProviderRequest request, OutboundResponse response, Collection<String> secrets) {
        LOG.info("{} response {} {} -> {} headers={} body={}", provider, request.method(), request.path(),
                response.status(), headers(response.headers(), secrets), redactor.body(response.bodyText(), secrets));
    }

    /** Headers whose value carries a credential are masked whatever their name. */
    private String headers(Map<String, List<String>> headers, Collection<String> secrets) {
        return redactor.headers(headers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().stream().anyMatch(v -> secrets.stream().filter(s -> s.length() >= 4).anyMatch(v::contains))
                        ? List.of(Redactor.MASK) : e.getValue(), (a, b) -> a, LinkedHashMap::new)));
    }
}
