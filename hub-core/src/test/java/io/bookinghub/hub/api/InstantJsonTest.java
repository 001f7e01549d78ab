package io.bookinghub.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.jackson.Jackson;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hub's instants in JSON are exactly what jackson-datatype-jsr310 wrote before, through the faster module. */
class InstantJsonTest {
    record Row(Instant startsAt, Instant cancelledAt, List<Instant> times) {
    }

    @Test
    void writesWhatJsr310WritesWithTimestampsOff() throws Exception {
        ObjectMapper jsr310 = Jackson.newObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        ObjectMapper hub = Jackson.newObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .registerModule(InstantJson.module());
        List<Instant> instants = Arrays.asList(Instant.parse("2026-12-03T06:37:38Z"),
                Instant.parse("2026-12-03T06:37:38.120Z"), Instant.parse("1969-12-31T23:59:59.000000001Z"),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.MIN,
                Instant.MAX, null);
        Object value = Map.of("rows", instants.stream().map(i -> new Row(i, null, instants)).toList());

        assertThat(hub.writeValueAsString(value)).isEqualTo(jsr310.writeValueAsString(value));
        assertThat(hub.getSerializerProviderInstance().findValueSerializer(Instant.class).getClass().getName())
                .isEqualTo(InstantJson.class.getName() + "$IsoInstantSerializer");
    }
}
