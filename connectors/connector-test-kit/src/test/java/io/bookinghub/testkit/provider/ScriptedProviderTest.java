package io.bookinghub.testkit.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.model.RecordKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScriptedProviderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ScriptedProvider provider;

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.close();
        }
    }

    private static Map<String, Object> booking(int i) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("id", "b-" + i);
        b.put("status", "booked");
        b.put("updated_at", Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i).toString());
        b.put("version", 1);
        return b;
    }

    private ScriptedProvider start(Paging paging) {
        provider = ScriptedProvider.builder().credentialHeader("X-Api-Key", "key-1")
                .resource(Resource.at("/bookings").kind(RecordKind.APPOINTMENT).paging(paging).maxPageSize(3)
                        .updatedAfter("updated_after", "updated_at").versionField("version")
                        .template(ScriptedProviderTest::booking).records(7))
                .start();
        return provider;
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        String url = pathAndQuery.startsWith("http") ? pathAndQuery : provider.baseUrl() + pathAndQuery;
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Api-Key", "key-1").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("data").forEach(n -> ids.add(n.get("id").asText()));
        return ids;
    }

    @Test
    void pageNumbersCapThePageSizeAndNameTheNextPage() throws Exception {
        start(Paging.pageNumber("page", "per_page", "next_page"));
        JsonNode first = JSON.readTree(get("/bookings?page=1&per_page=50").body());
        assertThat(ids(first)).containsExactly("b-1", "b-2", "b-3");
        assertThat(first.get("next_page").asInt()).isEqualTo(2);
        JsonNode last = JSON.readTree(get("/bookings?page=3&per_page=50").body());
        assertThat(ids(last)).containsExactly("b-7");
        assertThat(last.get("next_page").isNull()).isTrue();
        assertThat(get("/bookings?page=zero").statusCode()).isEqualTo(400);
    }

    @Test
    void pageCountsNestTheNumberOfPagesInTheEnvelope() throws Exception {
        start(Paging.pageCount("page", "per_page", "pagination.total_pages"));
        JsonNode first = JSON.readTree(get("/bookings?page=1&per_page=50").body());
        assertThat(ids(first)).containsExactly("b-1", "b-2", "b-3");
        assertThat(first.get("pagination").get("total_pages").asInt()).isEqualTo(3);
        JsonNode last = JSON.readTree(get("/bookings?page=3&per_page=2").body());
        assertThat(ids(last)).containsExactly("b-5", "b-6");
        assertThat(last.get("pagination").get("total_pages").asInt()).isEqualTo(4);
        JsonNode none = JSON.readTree(get("/bookings?page=1&updated_after=2027-01-01T00:00:00Z").body());
        assertThat(ids(none)).isEmpty();
        assertThat(none.get("pagination").get("total_pages").asInt()).isEqualTo(1);
    }

    @Test
    void cursorsNextLinksAndOffsetsWalkTheWholeList() throws Exception {
        start(Paging.nextLink("limit", "next"));
        List<String> seen = new ArrayList<>();
        String url = "/bookings?limit=2";
        while (url != null) {
            JsonNode page = JSON.readTree(get(url).body());
            seen.addAll(ids(page));
            url = page.get("next").isNull() ? null : page.get("next").asText();
        }
        assertThat(seen).hasSize(7).doesNotHaveDuplicates();
        provider.close();

        start(Paging.cursor("cursor", "limit", "next_cursor"));
        JsonNode first = JSON.readTree(get("/bookings").body());
        JsonNode second = JSON.readTree(get("/bookings?cursor=" + first.get("next_cursor").asText()).body());
        assertThat(ids(second)).containsExactly("b-4", "b-5", "b-6");
        provider.close();

        start(Paging.offset("offset", "limit", "total"));
        JsonNode page = JSON.readTree(get("/bookings?offset=6&limit=3").body());
        assertThat(ids(page)).containsExactly("b-7");
        assertThat(page.get("total").asInt()).isEqualTo(7);
    }

    @Test
    void theUpdatedAfterFilterAnswersOnlyLaterRecordsAndChangesAreStamped() throws Exception {
        start(Paging.pageNumber("page", "per_page", "next_page"));
        provider.clock().set(Instant.parse("2026-03-20T09:00:00Z"));
        Map<String, Object> changed = provider.change("/bookings", "b-2", b -> b.put("status", "confirmed"));
        assertThat(changed).containsEntry("updated_at", "2026-03-20T09:00:00Z").containsEntry("version", 2L);
        List<Map<String, Object>> added = provider.add("/bookings", 1);
        assertThat(added.get(0)).containsEntry("id", "b-8").containsEntry("updated_at", "2026-03-20T09:00:01Z");

        JsonNode page = JSON.readTree(get("/bookings?updated_after=2026-03-20T08:00:00%2B01:00").body());
        assertThat(ids(page)).containsExactly("b-2", "b-8");
        assertThat(get("/bookings?updated_after=yesterday").statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(get("/bookings/b-2").body()).get("status").asText()).isEqualTo("confirmed");
        assertThat(get("/bookings/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void theCredentialIsRequiredAndEveryRequestIsLogged() throws Exception {
        start(Paging.none());
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(provider.baseUrl()
                + "/bookings?x=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(get("/bookings").statusCode()).isEqualTo(200);
        assertThat(provider.requests("/bookings")).extracting(RecordedRequest::status).containsExactly(401, 200);
        assertThat(provider.requests().get(0).queryParam("x")).contains("1");
        assertThat(provider.requests().get(1).header("x-api-key")).contains("key-1");
    }

    @Test
    void scriptedFailuresHtmlMalformedBodiesAndDelaysComeInOrder() throws Exception {
        start(Paging.none());
        provider.failNext(1, 503, Duration.ofSeconds(2));
        provider.htmlNext(1, 200);
        provider.malformedJsonNext(1);
        HttpResponse<String> unavailable = get("/bookings");
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).contains("2");
        HttpResponse<String> html = get("/bookings");
        assertThat(html.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(get("/bookings").body()).startsWith("{").doesNotEndWith("}");
        assertThat(get("/bookings").statusCode()).isEqualTo(200);

        provider.failAlways(500);
        provider.delay(Duration.ofMillis(50));
        long started = System.nanoTime();
        assertThat(get("/bookings").statusCode()).isEqualTo(500);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        provider.reset();
        assertThat(get("/bookings").statusCode()).isEqualTo(200);
    }
}
