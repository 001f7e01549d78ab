package io.bookinghub.hub.model;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Cancellation;
import io.bookinghub.model.ExternalRef;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The plain CANCELLED status (cancelled, party unknown) on real PostgreSQL: stored, read back by the API, exported,
 * announced in the change feed, and listed in the OpenAPI document's status enum.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CancelledStatusTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final DropwizardAppExtension<HubConfiguration> APP = HubTestApp.extension(DB);
    private static final HubApi API = new HubApi(APP);
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    private static Appointment appointment(AppointmentStatus status, Cancellation cancellation) {
        return Appointment.builder(new ExternalRef("acme", "a-1"))
                .segment(AppointmentSegment.builder(START, START.plus(Duration.ofMinutes(30))).build())
                .timeZone(ZoneId.of("Europe/Warsaw")).status(status).providerStatus(status.name().toLowerCase())
                .cancellation(cancellation).build();
    }

    @Test
    void aCancellationWithoutAPartyIsStoredServedExportedAndAnnounced() throws Exception {
        UUID business = API.createBusiness("Plain cancel");
        JdbiRecordSink sink = new RecordStore(DB.jdbi(), Clock.systemUTC()).sink(business, "acme");
        sink.upsert(appointment(AppointmentStatus.BOOKED, null));
        sink.upsert(appointment(AppointmentStatus.CANCELLED, new Cancellation("no reason given", START)));

        String stored = DB.jdbi().withHandle(h -> h.createQuery(
                "SELECT status FROM appointments WHERE business_id = :b AND external_id = 'a-1'")
                .bind("b", business).mapTo(String.class).one());
        assertThat(stored).isEqualTo("CANCELLED");

        JsonNode listed = HubApi.json(API.call("/admin/businesses/" + business + "/appointments", ADMIN_TOKEN).get(),
                200).get("items");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(listed.get(0).get("cancellationReason").asText()).isEqualTo("no reason given");

        String key = API.appKey(List.of(business), List.of("read"));
        String csv = API.target("/v1/businesses/" + business
                + "/exports/appointments.csv?from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z").request()
                .header("Authorization", "Bearer " + key).get(String.class);
        assertThat(csv.lines().skip(1).toList()).singleElement().asString().contains(",CANCELLED,");

        JsonNode feed = HubApi.json(API.call("/v1/businesses/" + business + "/changes", key).get(), 200);
        List<String> operations = new ArrayList<>();
        feed.get("items").forEach(c -> operations.add(c.get("kind").asText() + "." + c.get("operation").asText()));
        assertThat(operations).containsExactly("appointment.created", "appointment.updated");

        JsonNode doc = HubApi.json(API.call("/openapi.json", null).get(), 200);
        List<String> statuses = new ArrayList<>();
        doc.at("/components/schemas/AppointmentView/properties/status/enum").forEach(s -> statuses.add(s.asText()));
        assertThat(statuses).contains("CANCELLED", "CANCELLED_BY_CLIENT", "CANCELLED_BY_BUSINESS");
    }
}
