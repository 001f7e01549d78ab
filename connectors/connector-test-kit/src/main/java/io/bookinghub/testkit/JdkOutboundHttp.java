package io.bookinghub.testkit;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.http.OutboundHttp;
import io.bookinghub.spi.http.OutboundRequest;
import io.bookinghub.spi.http.OutboundResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link OutboundHttp} on the JDK's {@link HttpClient} with <em>no</em> destination policy, for connector tests
 * that talk to WireMock or the sandbox on localhost, and for harnesses such as benchmarks. Like the hub's it
 * follows no redirects (a 3xx is returned as is) and honours both timeouts; it does not cap response sizes.
 * The hub's policy itself is tested in hub-core.
 */
public final class JdkOutboundHttp implements OutboundHttp {
    /** The JDK sets the connect timeout per client, so there is one client per distinct connect timeout. */
    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

    @Override
    public OutboundResponse send(OutboundRequest request) throws IOException {
        requireNonNull(request, "request is null");
        HttpClient client = clients.computeIfAbsent(request.connectTimeout(), timeout -> HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(request.timeout());
        request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        byte[] body = request.body();
        builder.method(request.method(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new OutboundResponse(response.statusCode(), response.headers().map(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + request.method() + " "
                    + request.uri().getHost());
        }
    }
}
