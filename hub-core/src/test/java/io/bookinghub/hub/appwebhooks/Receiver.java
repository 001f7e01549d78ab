package io.bookinghub.hub.appwebhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.standardwebhooks.Webhook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What an app's receiver sees, checked the way an app would: every request verified with the independent Standard
 * Webhooks library ({@code com.standardwebhooks}), not with the hub's own signer.
 */
final class Receiver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Receiver() {
    }

    /** Waits until {@code path} has received at least {@code count} requests, and returns them, oldest first. */
    static List<LoggedRequest> await(WireMockServer server, String path, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo(path)));
            if (requests.size() >= count || System.nanoTime() > deadline) {
                assertThat(requests).as("requests to " + path).hasSizeGreaterThanOrEqualTo(count);
                return requests;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Verifies the request with {@code secret}; throws when the signature does not hold. */
    static void verify(String secret, LoggedRequest request) throws Exception {
        Map<String, List<String>> headers = request.getHeaders().all().stream()
                .collect(Collectors.toMap(h -> h.key().toLowerCase(), HttpHeader::values, (a, b) -> a));
        new Webhook(secret).verify(request.getBodyAsString(), headers);
    }

    static JsonNode json(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
