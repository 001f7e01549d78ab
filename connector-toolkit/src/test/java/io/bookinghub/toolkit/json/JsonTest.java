package io.bookinghub.toolkit.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JsonTest {
    private final JsonNode booking = Json.parseContainer("{\"id\":42,\"name\":\"Anna\",\"blank\":\" \",\"none\":null,"
            + "\"start\":\"2026-03-28T10:00:00+01:00\",\"local\":\"2026-03-28T10:00:00\",\"version\":\"7\","
            + "\"active\":false,\"tags\":[\"a\",\"b\"],\"client\":{\"name\":\"Jo\"},\"bad\":{\"x\":1}}").orElseThrow();

    @Test
    void readsRequiredAndOptionalValues() {
        assertThat(Json.id(booking, "id")).isEqualTo("42");
        assertThat(Json.text(booking, "name")).isEqualTo("Anna");
        assertThat(Json.optionalText(booking, "blank")).isEmpty();
        assertThat(Json.optionalText(booking, "none")).isEmpty();
        assertThat(Json.optionalText(booking, "missing")).isEmpty();
        assertThat(Json.longValue(booking, "version")).isEqualTo(7);
        assertThat(Json.bool(booking, "active", true)).isFalse();
        assertThat(Json.bool(booking, "missing", true)).isTrue();
        assertThat(Json.array(booking, "tags")).hasSize(2);
        assertThat(Json.array(booking, "missing")).isEmpty();
        assertThat(Json.optionalObject(booking, "client")).hasValueSatisfying(c -> assertThat(Json.text(c, "name"))
                .isEqualTo("Jo"));
    }

    @Test
    void timesKeepTheProvidersOffsetAndNeverGuessAZone() {
        assertThat(Json.instant(booking, "start")).isEqualTo(Instant.parse("2026-03-28T09:00:00Z"));
        assertThat(Json.offsetDateTime(booking, "start").getOffset()).isEqualTo(ZoneOffset.ofHours(1));
        assertThat(Json.optionalInstant(booking, "missing")).isEmpty();
        assertThatThrownBy(() -> Json.instant(booking, "local")).isInstanceOfSatisfying(JsonFieldException.class,
                e -> {
                    assertThat(e.field()).isEqualTo("local");
                    assertThat(e.getMessage()).isEqualTo(
                            "local: not an ISO-8601 date-time with an offset: '2026-03-28T10:00:00'");
                });
    }

    @Test
    void errorsNameTheFieldAndNotTheRecord() {
        assertThatThrownBy(() -> Json.text(booking, "email")).hasMessage("email: missing");
        assertThatThrownBy(() -> Json.text(booking, "bad")).hasMessage("bad: not a text value");
        assertThatThrownBy(() -> Json.longValue(booking, "name")).hasMessage("name: not an integer: 'Anna'");
        assertThatThrownBy(() -> Json.array(booking, "name")).hasMessage("name: not an array");
        assertThatThrownBy(() -> Json.id(booking, "none")).hasMessage("none: missing");
        assertThatThrownBy(() -> Json.text(Json.MAPPER.createArrayNode(), "id"))
                .hasMessage("id: the record is not a JSON object");
        assertThat(Json.object("{\"a\":1}").path("a").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> Json.object("[1]")).hasMessage("body: not a JSON object");
        assertThatThrownBy(() -> Json.object("<html>")).hasMessage("body: not a JSON object");
        assertThatThrownBy(() -> Json.parse("payload", "{\"email\": \"ola@example.com\",\n \"x\": }"))
                .isInstanceOfSatisfying(JsonFieldException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("payload: not valid JSON (line 2, column 7)");
                    assertThat(e.problem()).isEqualTo("not valid JSON (line 2, column 7)");
                });
        assertThatThrownBy(() -> Json.parse("payload", "{\"a\":1} trailing")).hasMessageStartingWith("payload: not valid");
        assertThatThrownBy(() -> Json.parse("payload", "{\"a\":1,\"a\":2}")).hasMessageStartingWith("payload: not valid");
        assertThat(Json.parse("payload", "{\"price\":12.10}").path("price").decimalValue()).hasToString("12.10");
        assertThat(Json.parse("payload", " ").isMissingNode()).isTrue();
        assertThat(Json.parseContainer("<html>")).isEmpty();
        assertThat(Json.parseContainer("{\"a\":")).isEmpty();
        assertThat(Json.parseContainer("7")).isEmpty();
    }
}
