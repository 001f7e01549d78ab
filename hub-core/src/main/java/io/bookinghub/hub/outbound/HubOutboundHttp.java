package io.bookinghub.hub.outbound;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.http.OutboundHttp;
import io.bookinghub.spi.http.OutboundRequest;
import io.bookinghub.spi.http.OutboundResponse;
import io.dropwizard.lifecycle.Managed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The hub's {@link OutboundHttp}: one pooled Apache HttpClient shared by every connection, whose resolver
 * applies the {@link OutboundPolicy} to every new connection. No redirects are followed, no cookies or
 * authentication are cached (the client is shared by tenants), and nothing is retried here (connectors own
 * their retry policies). A request's timeouts are capped by the operator's maxima; its whole exchange is bounded
 * by a deadline that aborts it, so a server dripping bytes cannot hold a thread for longer. Response bodies over
 * {@code maxResponseBytes} fail the call and drop the connection unread.
 */
public final class HubOutboundHttp implements OutboundHttp, Managed {
    private static final int MAX_CONNECTIONS = 200;
    private static final int MAX_CONNECTIONS_PER_ROUTE = 20;
    /** Pooled connections are re-resolved, and so re-checked, at least this often. */
    private static final TimeValue CONNECTION_TTL = TimeValue.ofMinutes(5);
    private static final int READ_CHUNK = 8192;

    private final OutboundPolicy policy;
    private final long maxResponseBytes;
    private final Duration maxConnectTimeout;
    private final Duration maxRequestTimeout;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;

    public HubOutboundHttp(OutboundPolicy policy, long maxResponseBytes, Duration maxConnectTimeout,
            Duration maxRequestTimeout) {
        this.policy = requireNonNull(policy, "policy is null");
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be positive");
        }
        this.maxResponseBytes = maxResponseBytes;
        this.maxConnectTimeout = requireNonNull(maxConnectTimeout, "maxConnectTimeout is null");
        this.maxRequestTimeout = requireNonNull(maxRequestTimeout, "maxRequestTimeout is null");
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new PolicyDnsResolver(policy))
                        .setMaxConnTotal(MAX_CONNECTIONS)
                        .setMaxConnPerRoute(MAX_CONNECTIONS_PER_ROUTE)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout(maxConnectTimeout))
                                .setSocketTimeout(timeout(maxRequestTimeout))
                                .setTimeToLive(CONNECTION_TTL)
                                .build())
                        .setDefaultTlsConfig(TlsConfig.custom().setHandshakeTimeout(timeout(maxConnectTimeout)).build())
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .evictExpiredConnections()
                .evictIdleConnections(TimeValue.ofMinutes(1))
                .setUserAgent("booking-hub")
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "outbound-deadlines");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public OutboundResponse send(OutboundRequest request) throws IOException {
        requireNonNull(request, "request is null");
        URI uri = request.uri();
        Optional<String> refusal = policy.schemeRefusal(uri);
        if (refusal.isPresent()) {
            throw policy.refused(uri, refusal.get());
        }
        Duration timeout = min(request.timeout(), maxRequestTimeout);
        Duration connectTimeout = min(min(request.connectTimeout(), maxConnectTimeout), timeout);

        HttpUriRequestBase http = new HttpUriRequestBase(request.method(), uri);
        request.headers().forEach((name, values) -> values.forEach(value -> http.addHeader(name, value)));
        byte[] body = request.body();
        if (body.length > 0) {
            // No content type of our own: the connector's Content-Type header (if any) is the one sent.
            http.setEntity(new ByteArrayEntity(body, null));
        }
        http.setConfig(requestConfig(connectTimeout, timeout));

        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            expired.set(true);
            http.cancel();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try (ClassicHttpResponse response = client.executeOpen(null, http, null)) {
            return new OutboundResponse(response.getCode(), headers(response), readBody(response.getEntity(), http));
        } catch (RefusedDestinationException e) {
            throw policy.refused(uri, e.reason());
        } catch (IOException e) {
            if (expired.get()) {
                SocketTimeoutException timedOut = new SocketTimeoutException(
                        request.method() + " " + uri.getHost() + " timed out after " + timeout);
                timedOut.initCause(e);
                throw timedOut;
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    /**
     * The per-request connect timeout is only settable through {@link RequestConfig}'s deprecated setter: its
     * replacement ({@link ConnectionConfig}) is per route, and each request may ask for less than the maximum.
     */
    @SuppressWarnings("deprecation")
    private static RequestConfig requestConfig(Duration connectTimeout, Duration timeout) {
        return RequestConfig.custom()
                .setConnectTimeout(timeout(connectTimeout))
                .setConnectionRequestTimeout(timeout(timeout))
                .setResponseTimeout(timeout(timeout))
                .setRedirectsEnabled(false)
                .build();
    }

    private byte[] readBody(HttpEntity entity, HttpUriRequestBase http) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        if (entity.getContentLength() > maxResponseBytes) {
            http.cancel();
            throw new ResponseTooLargeException(maxResponseBytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[READ_CHUNK];
        try (InputStream in = entity.getContent()) {
            for (int n = in.read(chunk); n != -1; n = in.read(chunk)) {
                if (out.size() + (long) n > maxResponseBytes) {
                    // Cancel first: closing the stream would otherwise read the rest to reuse the connection.
                    http.cancel();
                    throw new ResponseTooLargeException(maxResponseBytes);
                }
                out.write(chunk, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static Map<String, List<String>> headers(ClassicHttpResponse response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header header : response.getHeaders()) {
            headers.computeIfAbsent(header.getName(), n -> new ArrayList<>()).add(header.getValue());
        }
        return headers;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Timeout timeout(Duration d) {
        return Timeout.ofMilliseconds(Math.max(1, d.toMillis()));
    }

    @Override
    public void stop() {
        deadlines.shutdownNow();
        client.close(CloseMode.GRACEFUL);
    }

    /** The response body is larger than the operator allows; its simple name is what connectors audit. */
    private static final class ResponseTooLargeException extends IOException {
        ResponseTooLargeException(long limit) {
            super("response body exceeds the hub's limit of " + limit + " bytes (outbound.maxResponseBytes)");
        }
    }
}
