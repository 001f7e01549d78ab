package io.bookinghub.hub.api;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.hub.testing.TestPlugins;
import io.bookinghub.hubtesting.HttpFuzzer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bad inputs of issue 11, each as a regression test over raw HTTP: every answer is the one JSON error shape
 * with the right status, and nothing reaches PostgreSQL that it would refuse or change.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiErrorsTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final ObjectMapper JSON = new ObjectMapper();
    static final DropwizardAppExtension<HubConfiguration> APP = HubTestApp.extension(DB, TestPlugins.echoAndOther(),
            HubTestApp.varDirectory(), HubTestApp.environment());
    private static final HubApi API = new HubApi(APP);

    private static HttpFuzzer.Answer send(String method, String target, String contentType, String body,
            String... extraHeaders) throws IOException {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\nAuthorization: Bearer " + ADMIN_TOKEN + "\r\n");
        boolean accept = false;
        for (String header : extraHeaders) {
            head.append(header).append("\r\n");
            accept |= header.startsWith("Accept:");
        }
        if (!accept) {
            head.append("Accept: application/json\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] request = new byte[head.length() + bytes.length];
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(bytes, 0, request, headBytes.length, bytes.length);
        return HttpFuzzer.exchange("127.0.0.1", APP.getLocalPort(), request);
    }

    /** Asserts the one error shape with this status and error name, and returns the body. */
    private static JsonNode error(HttpFuzzer.Answer answer, int status, String error) throws IOException {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(HttpFuzzer.problem(answer, "GET", false)).as(answer.text()).isNull();
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("error").asText()).isEqualTo(error);
        return body;
    }

    private static long businesses(String name) {
        return DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM businesses WHERE name = :n")
                .bind("n", name).mapTo(Long.class).one());
    }

    @Test
    void jerseyAndDropwizardErrorsHaveTheOneShape() throws Exception {
        error(send("POST", "/admin/businesses", "application/json", "{\"name\": "), 400, "INVALID_INPUT");
        error(send("GET", "/admin/no-such-route", null, null), 404, "NOT_FOUND");
        error(send("DELETE", "/admin/businesses", null, null), 405, "METHOD_NOT_ALLOWED");
        error(send("GET", "/admin/businesses", null, null, "Accept: application/xml"), 406, "NOT_ACCEPTABLE");
        error(send("POST", "/admin/businesses", "text/plain", "hello"), 415, "UNSUPPORTED_MEDIA_TYPE");
        JsonNode unauthorized = error(HttpFuzzer.exchange("127.0.0.1", APP.getLocalPort(),
                "GET /admin/businesses HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(
                        StandardCharsets.ISO_8859_1)), 401, "UNAUTHORIZED");
        assertThat(unauthorized.get("message").asText()).contains("Bearer");
    }

    @Test
    void validationListsEveryBadField() throws Exception {
        JsonNode body = error(send("POST", "/admin/businesses", "application/json", "{\"name\": \"\"}"), 422,
                "INVALID_INPUT");
        assertThat(body.get("fields").findValuesAsText("field")).contains("name", "timeZone");
    }

    @Test
    void jettysOwnRefusalsAreJsonToo() throws Exception {
        error(send("GET", "/admin/businesses", null, null, "X-Big: " + "h".repeat(20 * 1024)), 431,
                "REQUEST_HEADER_FIELDS_TOO_LARGE");
        error(send("GET", "/admin/" + "u".repeat(10 * 1024), null, null), 414, "REQUEST_URI_TOO_LONG");
        error(send("GET", "/admin/%00", null, null), 400, "INVALID_INPUT");
        error(send("GET", "/admin/%2e%2e/%2fx", null, null), 400, "INVALID_INPUT");
        error(send("POST", "/admin/businesses", ";;;", "{}"), 400, "INVALID_INPUT");
        error(send("TRACE", "/admin/businesses", null, null), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void nulAndLoneSurrogatesInJsonAre400NamingTheFieldAndNeverStored() throws Exception {
        JsonNode nul = error(send("POST", "/admin/businesses", "application/json",
                "{\"name\": \"Studio\\u0000Anna\", \"timeZone\": \"Europe/Warsaw\"}"), 400, "INVALID_INPUT");
        assertThat(nul.get("fields").findValuesAsText("field")).containsExactly("name");
        assertThat(nul.get("message").asText()).contains("NUL");
        JsonNode surrogate = error(send("POST", "/admin/businesses", "application/json",
                "{\"name\": \"Studio \\ud800\", \"timeZone\": \"Europe/Warsaw\"}"), 400, "INVALID_INPUT");
        assertThat(surrogate.get("message").asText()).contains("surrogate");
        assertThat(businesses("Studio ?")).isZero();

        UUID business = API.createBusiness("Config Salon");
        JsonNode config = error(send("PUT", "/admin/businesses/" + business + "/connections/echo",
                "application/json", "{\"config\": {\"greeting\": \"hi\\u0000\"}}"), 400, "INVALID_INPUT");
        assertThat(config.get("fields").findValuesAsText("field")).containsExactly("config.greeting");
    }

    @Test
    void noCoercionNoDuplicateKeysNoTrailingGarbage() throws Exception {
        JsonNode number = error(send("POST", "/admin/businesses", "application/json",
                "{\"name\": 42, \"timeZone\": \"Europe/Warsaw\"}"), 400, "INVALID_INPUT");
        assertThat(number.get("fields").findValuesAsText("field")).containsExactly("name");
        assertThat(businesses("42")).isZero();
        JsonNode duplicate = error(send("POST", "/admin/businesses", "application/json",
                "{\"name\": \"A\", \"name\": \"B\", \"timeZone\": \"Europe/Warsaw\"}"), 400, "INVALID_INPUT");
        assertThat(duplicate.get("fields").findValuesAsText("field")).containsExactly("name");
        assertThat(businesses("B")).isZero();
        error(send("POST", "/admin/businesses", "application/json",
                "{\"name\": \"C\", \"timeZone\": \"Europe/Warsaw\"} {}"), 400, "INVALID_INPUT");
    }

    @Test
    void badParametersAre400NamingEachOne() throws Exception {
        UUID business = API.createBusiness("Param Salon");
        assertThat(API.call("/admin/businesses/" + business + "/connections/echo", ADMIN_TOKEN).put(Entity.json(
                Map.of("config", Map.of("greeting", "hello")))).getStatus()).isEqualTo(200);
        JsonNode both = error(send("GET", "/admin/businesses?limit=abc&offset=2", null, null),
                400, "INVALID_INPUT");
        // offset paging was replaced by cursors: refused, not ignored (which would serve page one forever).
        assertThat(both.get("fields").findValuesAsText("field")).containsExactly("limit", "offset");
        JsonNode cursor = error(send("GET", "/admin/businesses?cursor=not-a-cursor", null, null), 400,
                "INVALID_INPUT");
        assertThat(cursor.get("fields").findValuesAsText("field")).containsExactly("cursor");
        for (String path : new String[] {"/admin/webhooks/events", "/admin/businesses/" + business + "/clients",
            "/admin/businesses/" + business + "/webhook-events",
            "/admin/businesses/" + business + "/connections/echo/events"}) {
            JsonNode body = error(send("GET", path + "?limit=abc", null, null), 400, "INVALID_INPUT");
            assertThat(body.get("fields").findValuesAsText("field")).as(path).containsExactly("limit");
        }
        JsonNode raw = error(send("GET", "/admin/businesses/" + business + "/clients?includeRaw=yes", null, null),
                400, "INVALID_INPUT");
        assertThat(raw.get("fields").findValuesAsText("field")).containsExactly("includeRaw");
        JsonNode nul = error(send("GET", "/admin/businesses/" + business + "/clients?connector=a%00b", null, null),
                400, "INVALID_INPUT");
        assertThat(nul.get("fields").findValuesAsText("field")).containsExactly("connector");
        JsonNode lineBreak = error(send("GET", "/admin/webhooks/events?connector=x%0D%0AFAKE%20LOG%20LINE", null,
                null), 400, "INVALID_INPUT");
        assertThat(lineBreak.get("message").asText()).contains("line break").doesNotContain("FAKE");
        error(send("GET", "/admin/businesses/not-a-uuid", null, null), 404, "NOT_FOUND");
        JsonNode business400 = error(send("GET", "/admin/webhooks/events?business=abc", null, null), 400,
                "INVALID_INPUT");
        assertThat(business400.get("fields").findValuesAsText("field")).containsExactly("business");
    }

    @Test
    void anUnexpectedFailureIsA500WithAnIdAndNoExceptionText() throws Exception {
        JsonNode body = JSON.readTree(JSON.writeValueAsBytes(new UnexpectedExceptionMapper(new Random(7))
                .toResponse(new IllegalStateException("secret-detail")).getEntity()));
        assertThat(body.get("code").asInt()).isEqualTo(500);
        assertThat(body.get("error").asText()).isEqualTo("INTERNAL");
        assertThat(body.get("message").asText()).contains("error id").doesNotContain("secret-detail")
                .doesNotContain("IllegalStateException");
    }
}
