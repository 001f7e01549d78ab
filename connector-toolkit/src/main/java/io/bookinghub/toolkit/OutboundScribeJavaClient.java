package io.bookinghub.toolkit;

import static java.util.Objects.requireNonNull;

import com.github.scribejava.core.httpclient.HttpClient;
import com.github.scribejava.core.httpclient.multipart.MultipartPayload;
import com.github.scribejava.core.httpclient.multipart.MultipartUtils;
import com.github.scribejava.core.model.OAuthAsyncRequestCallback;
import com.github.scribejava.core.model.OAuthRequest;
import com.github.scribejava.core.model.Response;
import com.github.scribejava.core.model.Verb;
import io.bookinghub.spi.http.OutboundHttp;
import io.bookinghub.spi.http.OutboundRequest;
import io.bookinghub.spi.http.OutboundResponse;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A ScribeJava {@link HttpClient} over the hub's {@link OutboundHttp}, so a connector's OAuth calls (token
 * exchange, refresh, revocation) obey the hub's outbound policy like its API calls:
 * {@code new ServiceBuilder(clientId).httpClient(new OutboundScribeJavaClient(context.http(), connect, timeout))}.
 *
 * <p>The asynchronous variants run the request on the calling thread and return a completed future: the
 * transport is synchronous, and connectors call ScribeJava's blocking methods anyway. A body without a
 * {@code Content-Type} header is sent as {@value HttpClient#DEFAULT_CONTENT_TYPE}, as ScribeJava's own clients do.
 * A refused destination surfaces as the SPI's {@link io.bookinghub.spi.ConnectorException}, unwrapped.
 *
 * <p>Needs {@code scribejava-core} on the plugin's class path (the toolkit declares it optional).
 */
public final class OutboundScribeJavaClient implements HttpClient {
    private final OutboundHttp http;
    private final Duration connectTimeout;
    private final Duration timeout;

    public OutboundScribeJavaClient(OutboundHttp http, Duration connectTimeout, Duration timeout) {
        this.http = requireNonNull(http, "http is null");
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    @Override
    public Response execute(String userAgent, Map<String, String> headers, Verb httpVerb, String completeUrl,
            byte[] bodyContents) throws IOException {
        return send(userAgent, headers, httpVerb, completeUrl, bodyContents);
    }

    @Override
    public Response execute(String userAgent, Map<String, String> headers, Verb httpVerb, String completeUrl,
            MultipartPayload bodyContents) throws IOException {
        Map<String, String> withPartHeaders = new LinkedHashMap<>(headers);
        withPartHeaders.putAll(bodyContents.getHeaders());
        return send(userAgent, withPartHeaders, httpVerb, completeUrl,
                MultipartUtils.getPayload(bodyContents).toByteArray());
    }

    @Override
    public Response execute(String userAgent, Map<String, String> headers, Verb httpVerb, String completeUrl,
            String bodyContents) throws IOException {
        return send(userAgent, headers, httpVerb, completeUrl,
                bodyContents == null ? null : bodyContents.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Response execute(String userAgent, Map<String, String> headers, Verb httpVerb, String completeUrl,
            File bodyContents) throws IOException {
        return send(userAgent, headers, httpVerb, completeUrl,
                bodyContents == null ? null : Files.readAllBytes(bodyContents.toPath()));
    }

    @Override
    public <T> Future<T> executeAsync(String userAgent, Map<String, String> headers, Verb httpVerb,
            String completeUrl, byte[] bodyContents, OAuthAsyncRequestCallback<T> callback,
            OAuthRequest.ResponseConverter<T> converter) {
        return completed(() -> execute(userAgent, headers, httpVerb, completeUrl, bodyContents), callback,
                converter);
    }

    @Override
    public <T> Future<T> executeAsync(String userAgent, Map<String, String> headers, Verb httpVerb,
            String completeUrl, MultipartPayload bodyContents, OAuthAsyncRequestCallback<T> callback,
            OAuthRequest.ResponseConverter<T> converter) {
        return completed(() -> execute(userAgent, headers, httpVerb, completeUrl, bodyContents), callback,
                converter);
    }

    @Override
    public <T> Future<T> executeAsync(String userAgent, Map<String, String> headers, Verb httpVerb,
            String completeUrl, String bodyContents, OAuthAsyncRequestCallback<T> callback,
            OAuthRequest.ResponseConverter<T> converter) {
        return completed(() -> execute(userAgent, headers, httpVerb, completeUrl, bodyContents), callback,
                converter);
    }

    @Override
    public <T> Future<T> executeAsync(String userAgent, Map<String, String> headers, Verb httpVerb,
            String completeUrl, File bodyContents, OAuthAsyncRequestCallback<T> callback,
            OAuthRequest.ResponseConverter<T> converter) {
        return completed(() -> execute(userAgent, headers, httpVerb, completeUrl, bodyContents), callback,
                converter);
    }

    /** The transport belongs to the hub, which closes it. */
    @Override
    public void close() {
    }

    private Response send(String userAgent, Map<String, String> headers, Verb verb, String completeUrl,
            byte[] body) throws IOException {
        Map<String, List<String>> outgoing = new LinkedHashMap<>();
        headers.forEach((name, value) -> outgoing.put(name, List.of(value)));
        if (userAgent != null) {
            outgoing.put("User-Agent", List.of(userAgent));
        }
        boolean hasBody = body != null && body.length > 0 && verb.isPermitBody();
        if (hasBody && outgoing.keySet().stream().noneMatch(CONTENT_TYPE::equalsIgnoreCase)) {
            outgoing.put(CONTENT_TYPE, List.of(DEFAULT_CONTENT_TYPE));
        }
        OutboundResponse response = http.send(new OutboundRequest(verb.name(), URI.create(completeUrl), outgoing,
                hasBody ? body : new byte[0], connectTimeout, timeout));
        // ScribeJava looks headers up by name; HTTP names are case-insensitive.
        Map<String, String> received = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.headers().forEach((name, values) -> {
            if (!values.isEmpty()) {
                received.put(name, values.get(0));
            }
        });
        return new Response(response.status(), "", received, response.bodyText());
    }

    private interface Call {
        Response run() throws IOException;
    }

    private static <T> Future<T> completed(Call call, OAuthAsyncRequestCallback<T> callback,
            OAuthRequest.ResponseConverter<T> converter) {
        try {
            T result = convert(call.run(), converter);
            if (callback != null) {
                callback.onCompleted(result);
            }
            return CompletableFuture.completedFuture(result);
        } catch (IOException | RuntimeException e) {
            if (callback != null) {
                callback.onThrowable(e);
            }
            return CompletableFuture.failedFuture(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T convert(Response response, OAuthRequest.ResponseConverter<T> converter) throws IOException {
        // ScribeJava passes no converter when the caller wants the Response itself.
        return converter == null ? (T) response : converter.convert(response);
    }
}
