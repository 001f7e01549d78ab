package io.bookinghub.hub.model;

import static io.bookinghub.hub.model.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentStatus;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The model's {@code /v1} reads for app keys: scope, paging, ETag and 304. Real HTTP, real PostgreSQL. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AppReadsTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final DropwizardAppExtension<HubConfiguration> APP = HubTestApp.extension(DB);

    private static final HubApi API = new HubApi(APP);

    private static Appointment at(String id, int hours) {
        return new Appointment(Fixtures.ref(id), "client-1", "loc-1",
                List.of(Fixtures.segment("svc-1", "staff-1", T0.plus(Duration.ofHours(hours)), Duration.ofMinutes(60))),
                Fixtures.WARSAW, AppointmentStatus.BOOKED, null, null, null, null, null, null, null, null);
    }

    private static RecordStore store() {
        return new RecordStore(DB.jdbi(), Clock.systemUTC());
    }

    @Test
    void anAppKeyPagesEveryKindOfItsBusinessWithTheAdminCursor() {
        UUID business = API.createBusiness("Read by an app");
        var sink = store().sink(business, Fixtures.CONNECTOR);
        for (int i = 0; i < 5; i++) {
            sink.upsert(at("a" + i, i));
        }
        sink.upsert(Fixtures.client("client-1", "Anna Nowak", null));
        sink.upsert(Fixtures.service("svc-1", "Haircut", null, List.of(Fixtures.variant("v1", 30, "80.00"))));
        sink.upsert(Fixtures.staff("staff-1", "Ewa"));
        sink.upsert(Fixtures.location("loc-1", "Centrum"));
        String key = API.appKey(List.of(business), List.of("read"));
        String base = "/v1/businesses/" + business;

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = HubApi.json(API.call(base + "/appointments?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), key).get(), 200);
            page.get("items").forEach(a -> seen.add(a.get("externalId").asText()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        assertThat(seen).containsExactly("a0", "a1", "a2", "a3", "a4");

        JsonNode window = HubApi.json(API.call(base + "/appointments?from=" + T0.plus(Duration.ofHours(2))
                + "&to=" + T0.plus(Duration.ofHours(4)), key).get(), 200);
        assertThat(window.get("items")).extracting(a -> a.get("externalId").asText()).containsExactly("a2", "a3");
        JsonNode first = window.get("items").get(0);
        assertThat(first.get("clientName").asText()).isEqualTo("Anna Nowak");
        assertThat(HubApi.json(API.call(base + "/appointments/" + first.get("id").asText(), key).get(), 200)
                .get("externalId").asText()).isEqualTo("a2");
        assertThat(HubApi.json(API.call(base + "/appointments/" + UUID.randomUUID(), key).get(), 404)
                .get("error").asText()).isEqualTo("NOT_FOUND");

        assertThat(HubApi.json(API.call(base + "/clients", key).get(), 200).get("items").get(0).get("name").asText())
                .isEqualTo("Anna Nowak");
        JsonNode service = HubApi.json(API.call(base + "/services", key).get(), 200).get("items").get(0);
        assertThat(service.get("variants").get(0).get("externalId").asText()).isEqualTo("v1");
        assertThat(HubApi.json(API.call(base + "/staff", key).get(), 200).get("items").get(0).get("name").asText())
                .isEqualTo("Ewa");
        assertThat(HubApi.json(API.call(base + "/locations", key).get(), 200).get("items").get(0).get("name")
                .asText()).isEqualTo("Centrum");
        // The admin listing's rules hold: a cursor of another listing and a bad limit are 400s naming them.
        JsonNode clientsPage = HubApi.json(API.call(base + "/appointments?limit=1", key).get(), 200);
        assertThat(HubApi.json(API.call(base + "/clients?cursor=" + clientsPage.get("next").asText(), key).get(), 400)
                .get("fields").get(0).get("field").asText()).isEqualTo("cursor");
        assertThat(HubApi.json(API.call(base + "/staff?limit=0", key).get(), 400).toString()).contains("limit");
        assertThat(HubApi.json(API.call(base + "/appointments?from=yesterday", key).get(), 400).get("fields").get(0)
                .get("field").asText()).isEqualTo("from");
    }

    @Test
    void aBusinessTheKeyIsNotBoundToIsA404AndAKeyWithoutReadA403() {
        UUID mine = API.createBusiness("Mine");
        UUID other = API.createBusiness("Other");
        store().sink(other, Fixtures.CONNECTOR).upsert(at("secret", 1));
        String reader = API.appKey(List.of(mine), List.of("read"));
        String writer = API.appKey(List.of(mine), List.of("write"));

        for (String kind : List.of("appointments", "clients", "services", "staff", "locations")) {
            assertThat(HubApi.json(API.call("/v1/businesses/" + other + "/" + kind, reader).get(), 404)
                    .get("message").asText()).isEqualTo("No business " + other);
            assertThat(HubApi.json(API.call("/v1/businesses/" + mine + "/" + kind, writer).get(), 403)
                    .get("message").asText()).contains("'read' scope");
            assertThat(API.call("/v1/businesses/" + mine + "/" + kind, reader).get().getStatus()).isEqualTo(200);
        }
        // The admin model routes stay closed to app keys.
        assertThat(API.call("/admin/businesses/" + mine + "/appointments", reader).get().getStatus()).isEqualTo(403);
    }

    @Test
    void anUnchangedPageIsA304ForItsETagAndAChangeGivesANewTag() {
        UUID business = API.createBusiness("Polled");
        var sink = store().sink(business, Fixtures.CONNECTOR);
        sink.upsert(at("p1", 1));
        String key = API.appKey(List.of(business), List.of("read"));
        String path = "/v1/businesses/" + business + "/appointments";

        Response first = API.call(path, key).get();
        String body = first.readEntity(String.class);
        assertThat(first.getStatus()).isEqualTo(200);
        String etag = first.getHeaderString("ETag");
        assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
        assertThat(first.getHeaderString("Cache-Control")).isEqualTo("private, no-cache");
        assertThat(body).contains("\"externalId\":\"p1\"");

        Response again = API.call(path, key).header("If-None-Match", etag).get();
        assertThat(again.getStatus()).isEqualTo(304);
        assertThat(again.getHeaderString("ETag")).isEqualTo(etag);
        assertThat(again.readEntity(String.class)).isEmpty();
        // Any other tag gets the page.
        assertThat(API.call(path, key).header("If-None-Match", "\"other\"").get().getStatus()).isEqualTo(200);

        sink.upsert(at("p2", 2));
        Response changed = API.call(path, key).header("If-None-Match", etag).get();
        assertThat(changed.getStatus()).isEqualTo(200);
        assertThat(changed.getHeaderString("ETag")).isNotEqualTo(etag);
        assertThat(changed.readEntity(String.class)).contains("\"externalId\":\"p2\"");
        // Errors carry no tag.
        Response missing = API.call(path + "/" + UUID.randomUUID(), key).get();
        assertThat(missing.getStatus()).isEqualTo(404);
        assertThat(missing.getHeaderString("ETag")).isNull();
    }
}
