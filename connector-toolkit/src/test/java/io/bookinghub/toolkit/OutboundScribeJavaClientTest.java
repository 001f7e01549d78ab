package io.bookinghub.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.scribejava.core.model.OAuthAsyncRequestCallback;
import com.github.scribejava.core.model.Response;
import com.github.scribejava.core.model.Verb;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.http.OutboundHttp;
import io.bookinghub.spi.http.OutboundRequest;
import io.bookinghub.spi.http.OutboundResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The adapter's translation both ways; a real token flow over it runs in the Booksy connector's tests. */
class OutboundScribeJavaClientTest {
    private static final Duration CONNECT = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(7);

    /** Records what it was asked to send and answers with {@code answer}, or fails with {@code failure}. */
    private static final class Recording implements OutboundHttp {
        final List<OutboundRequest> sent = new ArrayList<>();
        OutboundResponse answer = new OutboundResponse(200, Map.of("Content-Type", List.of("application/json")),
                "{\"access_token\":\"t\"}".getBytes(StandardCharsets.UTF_8));
        RuntimeException refusal;
        IOException failure;

        @Override
        public OutboundResponse send(OutboundRequest request) throws IOException {
            sent.add(request);
            if (refusal != null) {
                throw refusal;
            }
            if (failure != null) {
                throw failure;
            }
            return answer;
        }
    }

    private final Recording http = new Recording();
    private final OutboundScribeJavaClient client = new OutboundScribeJavaClient(http, CONNECT, TIMEOUT);

    @Test
    void aFormPostIsSentWithScribeJavasDefaultContentTypeAndTheAdaptersTimeouts() throws Exception {
        Response response = client.execute("agent/1", Map.of("Authorization", "Basic abc"), Verb.POST,
                "https://auth.example/oauth/token", "grant_type=refresh_token".getBytes(StandardCharsets.UTF_8));

        OutboundRequest sent = http.sent.get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.uri()).hasToString("https://auth.example/oauth/token");
        assertThat(sent.headers()).containsEntry("Authorization", List.of("Basic abc"))
                .containsEntry("User-Agent", List.of("agent/1"))
                .containsEntry("Content-Type", List.of("application/x-www-form-urlencoded"));
        assertThat(new String(sent.body(), StandardCharsets.UTF_8)).isEqualTo("grant_type=refresh_token");
        assertThat(sent.connectTimeout()).isEqualTo(CONNECT);
        assertThat(sent.timeout()).isEqualTo(TIMEOUT);

        assertThat(response.getCode()).isEqualTo(200);
        assertThat(response.getBody()).isEqualTo("{\"access_token\":\"t\"}");
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void aContentTypeOfTheCallerIsKeptAndAGetSendsNoBody() throws Exception {
        client.execute(null, Map.of("content-type", "application/json"), Verb.POST, "https://a.example/x", "{}");
        client.execute(null, Map.of(), Verb.GET, "https://a.example/y", (String) null);

        assertThat(http.sent.get(0).headers()).containsOnlyKeys("content-type");
        assertThat(http.sent.get(1).headers()).isEmpty();
        assertThat(http.sent.get(1).body()).isEmpty();
    }

    @Test
    void aRefusalReachesTheCallerUnwrapped() {
        http.refusal = new ConnectorException(ErrorCode.INVALID_INPUT, "Outbound call to x:443 refused: test");

        assertThatThrownBy(() -> client.execute(null, Map.of(), Verb.POST, "https://x/t", new byte[0]))
                .isSameAs(http.refusal);
    }

    @Test
    void asyncCallsRunOnTheCallersThreadAndCompleteTheFutureAndTheCallback() throws Exception {
        List<Object> callbacks = new ArrayList<>();
        Future<Integer> ok = client.executeAsync(null, Map.of(), Verb.GET, "https://a.example/", (String) null,
                callback(callbacks), Response::getCode);
        assertThat(ok.isDone()).isTrue();
        assertThat(ok.get()).isEqualTo(200);

        http.failure = new ConnectException("refused by peer");
        Future<Integer> failed = client.executeAsync(null, Map.of(), Verb.GET, "https://a.example/", (String) null,
                callback(callbacks), Response::getCode);
        assertThat(failed.isDone()).isTrue();
        assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class).hasCauseReference(http.failure);
        assertThat(callbacks).containsExactly(200, http.failure);
    }

    private static <T> OAuthAsyncRequestCallback<T> callback(List<Object> into) {
        return new OAuthAsyncRequestCallback<>() {
            @Override
            public void onCompleted(T response) {
                into.add(response);
            }

            @Override
            public void onThrowable(Throwable t) {
                into.add(t);
            }
        };
    }
}
