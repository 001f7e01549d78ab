package io.bookinghub.connectors.booksy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import io.bookinghub.testkit.InMemorySyncSink;
import io.bookinghub.testkit.TestContext;
import io.bookinghub.toolkit.http.Redactor;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Connect, sync and disconnect in debug mode, capturing every log line: no secret may appear. */
class BooksyLogSecrecyTest {
    private static final String ACCESS = "AT-SECRET-1111";
    private static final String ACCESS_2 = "AT-SECRET-2222";
    private static final String REFRESH = "RT-SECRET-3333";
    private static final String CODE = "CODE-SECRET-4444";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void capture() {
        appender.start();
        root.addAppender(appender);
    }

    @AfterEach
    void release() {
        root.detachAppender(appender);
    }

    private List<String> logged() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : appender.list) {
            out.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                out.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
            }
        }
        return out;
    }

    @Test
    void connectSyncDisconnectLogsNoSecrets() {
        Map<String, Object> values = BooksyContexts.oauthValues(wm.baseUrl());
        values.put("debug", "true");
        TestContext ctx = BooksyContexts.of(values);
        BooksyConnectorSyncTest.stubBooksy(wm);
        // The token response is also echoed inside an API body, to prove bodies are redacted in debug logs.
        wm.stubFor(get(urlPathEqualTo("/api/v1/staff")).willReturn(okJson(
                "{\"data\":[],\"debug\":{\"access_token\":\"" + ACCESS + "\",\"refresh_token\":\"" + REFRESH + "\"}}")));
        wm.stubFor(post("/oauth/token").willReturn(okJson("{\"access_token\":\"" + ACCESS
                + "\",\"token_type\":\"Bearer\",\"expires_in\":30,\"refresh_token\":\"" + REFRESH + "\"}")));
        wm.stubFor(post("/oauth/revoke").willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":\"invalid_request\",\"error_description\":\"bad token " + REFRESH + "\"}")));

        try (BooksyConnector connector = (BooksyConnector) new BooksyConnectorFactory().create(ctx)) {
            connector.oauth().authorizationUrl("state-1", BooksyOAuthFlowTest.CHALLENGE);
            connector.oauth().exchangeCode(CODE, BooksyOAuthFlowTest.VERIFIER);
            // expires_in 30 < skew 60: the first API call refreshes; the refresh answer is a new token.
            wm.stubFor(post("/oauth/token").willReturn(okJson("{\"access_token\":\"" + ACCESS_2
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
            connector.sync(new SyncRequest("run-1", SyncMode.FULL), new InMemorySyncSink());
            // A failing call whose error body echoes a token.
            wm.stubFor(get(urlPathEqualTo("/api/v1/clients")).willReturn(aResponse().withStatus(422)
                    .withBody("{\"error\":{\"code\":\"bad\",\"message\":\"token " + ACCESS_2 + " rejected\"}}")));
            assertThatThrownBy(() -> connector.client().get("/api/v1/clients", Map.of()))
                    .isInstanceOfSatisfying(ConnectorException.class,
                            e -> assertThat(e.getMessage()).doesNotContain(ACCESS_2));
            connector.disconnect();
        }
        wm.verify(2, postRequestedFor(urlPathEqualTo("/oauth/token")));
        wm.verify(2, postRequestedFor(urlPathEqualTo("/oauth/revoke")));

        List<String> lines = logged();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("Booksy request GET /api/v1/appointments"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("Authorization=" + Redactor.MASK));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"access_token\":\"" + Redactor.MASK + "\""));
        List<String> secrets = List.of(ACCESS, ACCESS_2, REFRESH, CODE, BooksyOAuthFlowTest.VERIFIER,
                BooksyContexts.CLIENT_SECRET);
        for (String line : lines) {
            for (String secret : secrets) {
                assertThat(line).doesNotContain(secret);
            }
        }
        for (var call : ctx.audit().calls()) {
            for (String secret : secrets) {
                assertThat(String.valueOf(call)).doesNotContain(secret);
            }
        }
        for (var event : ctx.audit().events()) {
            for (String secret : secrets) {
                assertThat(event.toString()).doesNotContain(secret);
            }
        }
    }

    @Test
    void webhookHandlingLogsNoWebhookSecret() throws Exception {
        String secret = BooksyWebhookVerificationTest.SECRET;
        String previous = BooksyWebhookVerificationTest.PREVIOUS_SECRET;
        Map<String, Object> values = BooksyContexts.apiKeyValues(wm.baseUrl());
        values.put("debug", "true");
        values.put("webhookSecret", secret);
        values.put("webhookSecretPrevious", previous);
        TestContext ctx = BooksyContexts.of(values);
        wm.stubFor(get(urlPathEqualTo("/api/v1/appointments/a-11")).willReturn(okJson(
                "{\"id\":\"a-11\",\"status\":\"teleported\",\"segments\":[]}")));
        List<String> messages = new ArrayList<>();
        try (BooksyConnector connector = (BooksyConnector) new BooksyConnectorFactory().create(ctx)) {
            var handler = connector.webhooks();
            messages.add(handler.toString());
            for (String fixture : List.of("appointment-id-only.json", "unknown-type.json")) {
                byte[] body = Payloads.webhook(fixture).getBytes(StandardCharsets.UTF_8);
                var headers = new LinkedHashMap<String, List<String>>();
                WebhookSigner.standardWebhooksHeaders(previous, "evt_1",
                        BooksyContexts.NOW, body).forEach((k, v) -> headers.put(k, List.of(v)));
                var request = new WebhookRequest(body, headers);
                handler.verify(request);
                try {
                    handler.apply(handler.parse(request).get(0), new InMemorySyncSink());
                } catch (ConnectorException e) {
                    messages.add(e.getMessage());
                }
                // The same body with a stale timestamp and a forged signature.
                ctx.clock().advance(Duration.ofHours(1));
                try {
                    handler.verify(request);
                } catch (WebhookVerificationException e) {
                    messages.add(e.getMessage());
                }
                ctx.clock().set(BooksyContexts.NOW);
            }
        }
        // Both fixtures were handled: the mapping failure of the fetched record and two refusals.
        assertThat(messages).hasSize(4);
        messages.addAll(logged());
        assertThat(logged()).anySatisfy(l -> assertThat(l).contains("ignored"));
        for (String line : messages) {
            for (String s : List.of(secret, previous, secret.substring("whsec_".length()),
                    previous.substring("whsec_".length()), BooksyContexts.API_KEY)) {
                assertThat(line).doesNotContain(s);
            }
        }
    }
}
