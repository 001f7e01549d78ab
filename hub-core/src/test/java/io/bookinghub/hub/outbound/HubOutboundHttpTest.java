package io.bookinghub.hub.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.http.OutboundRequest;
import io.bookinghub.spi.http.OutboundResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hub's transport over real HTTP, with WireMock on loopback as the destination. */
class HubOutboundHttpTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()
            .bindAddress("127.0.0.1")).build();

    private final List<HubOutboundHttp> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(HubOutboundHttp::stop);
    }

    private HubOutboundHttp transport(String allow, long maxBytes, Duration maxConnect, Duration maxRequest,
            NameLookup lookup) {
        List<AllowRule> rules = allow.isEmpty() ? List.of() : List.of(AllowRule.parse(allow));
        HubOutboundHttp http = new HubOutboundHttp(new OutboundPolicy(rules, lookup), maxBytes, maxConnect,
                maxRequest);
        opened.add(http);
        return http;
    }

    /** WireMock allow-listed, generous limits. */
    private HubOutboundHttp allowingWireMock() {
        return transport("127.0.0.1:" + wm.getPort(), 1024 * 1024, LONG, LONG, NameLookup.SYSTEM);
    }

    private static OutboundRequest getRequest(String uri) {
        return new OutboundRequest("GET", URI.create(uri), Map.of(), new byte[0], LONG, LONG);
    }

    private String base() {
        return "http://127.0.0.1:" + wm.getPort();
    }

    @Test
    void sendsMethodHeadersAndBodyAndReturnsTheResponse() throws IOException {
        wm.stubFor(post(urlEqualTo("/v1/things?x=1")).willReturn(aResponse().withStatus(201)
                .withHeader("X-Reply", "a").withBody("{\"ok\":true}")));

        OutboundResponse response = allowingWireMock().send(new OutboundRequest("POST",
                URI.create(base() + "/v1/things?x=1"), Map.of("Content-Type", List.of("application/json"),
                        "X-Key", List.of("k1")), "{\"a\":1}".getBytes(StandardCharsets.UTF_8), LONG, LONG));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.firstHeader("x-reply")).contains("a");
        assertThat(response.bodyText()).isEqualTo("{\"ok\":true}");
        wm.verify(1, postRequestedFor(urlEqualTo("/v1/things?x=1"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("X-Key", equalTo("k1"))
                .withRequestBody(equalTo("{\"a\":1}")));
    }

    @Test
    void redirectsAreReturnedNotFollowed() throws IOException {
        wm.stubFor(get(urlPathEqualTo("/start")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", base() + "/target")));
        wm.stubFor(get(urlPathEqualTo("/target")).willReturn(ok("followed")));

        OutboundResponse response = allowingWireMock().send(getRequest(base() + "/start"));

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.firstHeader("Location")).contains(base() + "/target");
        wm.verify(0, getRequestedFor(urlPathEqualTo("/target")));
    }

    @Test
    void bodiesOverTheLimitFailTheCall() {
        wm.stubFor(get(urlPathEqualTo("/declared")).willReturn(ok("x".repeat(4096))));
        // Chunked: no Content-Length to refuse up front, so the cap applies while reading.
        wm.stubFor(get(urlPathEqualTo("/chunked")).willReturn(ok("y".repeat(64 * 1024))
                .withChunkedDribbleDelay(8, 50)));
        wm.stubFor(get(urlPathEqualTo("/small")).willReturn(ok("z".repeat(1024))));
        HubOutboundHttp http = transport("127.0.0.1:*", 1024, LONG, LONG, NameLookup.SYSTEM);

        assertThatThrownBy(() -> http.send(getRequest(base() + "/declared"))).isInstanceOf(IOException.class)
                .hasMessageContaining("exceeds the hub's limit of 1024 bytes");
        assertThatThrownBy(() -> http.send(getRequest(base() + "/chunked"))).isInstanceOf(IOException.class)
                .hasMessageContaining("exceeds the hub's limit of 1024 bytes");
        assertThat(catchingSend(http, base() + "/small").body()).hasSize(1024);
    }

    @Test
    void aConnectorsTimeoutIsCappedByTheOperatorMaximum() {
        wm.stubFor(get(urlPathEqualTo("/slow")).willReturn(ok("late").withFixedDelay(3_000)));
        HubOutboundHttp http = transport("127.0.0.1:*", 1024, LONG, Duration.ofMillis(300), NameLookup.SYSTEM);

        // The request asks for 30 s; the hub allows 300 ms, so the 3 s answer never arrives.
        assertThatThrownBy(() -> http.send(getRequest(base() + "/slow"))).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void aServerDrippingBytesIsCutOffAtTheDeadline() {
        // Each chunk arrives well within the read timeout; only the whole-exchange deadline stops it.
        wm.stubFor(get(urlPathEqualTo("/drip")).willReturn(ok("d".repeat(200)).withChunkedDribbleDelay(20, 4_000)));
        HubOutboundHttp http = transport("127.0.0.1:*", 1024, LONG, Duration.ofMillis(1_000), NameLookup.SYSTEM);

        assertThatThrownBy(() -> http.send(getRequest(base() + "/drip"))).isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("timed out after PT1S");
    }

    @Test
    void loopbackIsRefusedBeforeAnythingIsSentWhenNotAllowListed() {
        wm.stubFor(get(anyUrl()).willReturn(ok("reached")));
        HubOutboundHttp http = transport("", 1024, LONG, LONG, NameLookup.SYSTEM);
        int port = wm.getPort();

        // IP literals go through the resolver too: https to 127.0.0.1 is refused there, not by a TLS failure.
        for (String uri : List.of("https://127.0.0.1:" + port + "/x?token=s3cret", "https://localhost:" + port + "/x",
                "https://[::ffff:127.0.0.1]:" + port + "/x", "https://2130706433:" + port + "/x")) {
            assertThatThrownBy(() -> http.send(getRequest(uri))).as(uri)
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                        assertThat(e.code().retryable()).isFalse();
                        assertThat(e.getMessage()).contains("refused: ")
                                .endsWith("; an operator can allow-list it with HUB_OUTBOUND_ALLOW")
                                .doesNotContain("s3cret");
                    });
        }
        assertThatThrownBy(() -> http.send(getRequest(base() + "/x"))).isInstanceOfSatisfying(ConnectorException.class,
                e -> assertThat(e.getMessage()).contains("only https is allowed (http://127.0.0.1:" + port + ")"));
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aNameThatReResolvesToLoopbackIsRefusedOnTheNextConnection() throws UnknownHostException {
        // DNS rebinding: the first answer is public (TEST-NET-1: unroutable, so that connection fails), the next
        // is loopback. Nothing checks ahead of the connection, so each connection's own lookup is what is judged.
        Deque<InetAddress> answers = new ArrayDeque<>(List.of(InetAddress.getByName("192.0.2.1"),
                InetAddress.getByName("127.0.0.1")));
        List<String> lookups = new ArrayList<>();
        NameLookup rebinding = host -> {
            lookups.add(host);
            return new InetAddress[] {answers.removeFirst()};
        };
        HubOutboundHttp http = transport("", 1024, Duration.ofMillis(300), LONG, rebinding);
        String uri = "https://rebind.example.com:" + wm.getPort() + "/";

        assertThatThrownBy(() -> http.send(getRequest(uri))).as("the public address was tried")
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> http.send(getRequest(uri))).isInstanceOfSatisfying(ConnectorException.class,
                e -> assertThat(e.getMessage()).contains("rebind.example.com resolves to 127.0.0.1, a loopback"));
        assertThat(lookups).containsExactly("rebind.example.com", "rebind.example.com");
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    private static OutboundResponse catchingSend(HubOutboundHttp http, String uri) {
        try {
            return http.send(getRequest(uri));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
