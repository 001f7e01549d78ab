package io.bookinghub.connectors.zapier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Money;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.testkit.TestContext;
import io.bookinghub.toolkit.json.Json;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mapping language: how specs read posted values, and which mappings are refused at create(). */
class MappingLanguageTest {
    // The connector's own parser, so the tests read numbers exactly as it does.
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static FieldSpec spec(FieldType type, String specJson) throws Exception {
        return FieldSpec.parse("mapping.f", type, json(specJson));
    }

    private static Object read(FieldType type, String specJson, String itemJson) throws Exception {
        return spec(type, specJson).value(json(itemJson), BERLIN);
    }

    @Nested
    class Pointers {
        @Test
        void aStringIsAPointerIntoNestedObjectsAndArrays() throws Exception {
            String item = "{\"customer\": {\"name\": \"Anna\", \"tags\": [\"a\", \"vip\"]}, \"a/b\": \"slash\", "
                    + "\"t~x\": \"tilde\"}";
            assertThat(read(FieldType.TEXT, "\"/customer/name\"", item)).isEqualTo("Anna");
            assertThat(read(FieldType.TEXT, "\"/customer/tags/1\"", item)).isEqualTo("vip");
            assertThat(read(FieldType.TEXT, "\"/a~1b\"", item)).isEqualTo("slash");
            assertThat(read(FieldType.TEXT, "{\"pointer\": \"/t~0x\"}", item)).isEqualTo("tilde");
        }

        @Test
        void missingNullAndBlankValuesAreAbsentAndTextIsTrimmed() throws Exception {
            String item = "{\"n\": null, \"b\": \"   \", \"s\": \"  Ola \"}";
            assertThat(read(FieldType.TEXT, "\"/nope\"", item)).isNull();
            assertThat(read(FieldType.TEXT, "\"/n\"", item)).isNull();
            assertThat(read(FieldType.TEXT, "\"/b\"", item)).isNull();
            assertThat(read(FieldType.TEXT, "\"/s\"", item)).isEqualTo("Ola");
        }

        @Test
        void numbersAndBooleansReadAsTextAndDecimalsStayExact() throws Exception {
            String item = "{\"i\": 42, \"d\": 12.10, \"t\": true}";
            assertThat(read(FieldType.TEXT, "\"/i\"", item)).isEqualTo("42");
            assertThat(read(FieldType.TEXT, "\"/d\"", item)).isEqualTo("12.10");
            assertThat(read(FieldType.TEXT, "\"/t\"", item)).isEqualTo("true");
        }

        @Test
        void anObjectWhereAValueIsExpectedNamesTheFieldAndPointer() {
            MappingException e = catchThrowableOfType(
                    () -> read(FieldType.TEXT, "\"/customer\"", "{\"customer\": {\"name\": \"Anna Secret\"}}"),
                    MappingException.class);
            assertThat(e.getMessage()).startsWith("mapping.f:").contains("/customer").contains("an object")
                    .doesNotContain("Anna");
        }

        @Test
        void defaultAppliesOnlyWhenThePointerFindsNothing() throws Exception {
            String spec = "{\"pointer\": \"/s\", \"default\": \"walk-in\"}";
            assertThat(read(FieldType.TEXT, spec, "{}")).isEqualTo("walk-in");
            assertThat(read(FieldType.TEXT, spec, "{\"s\": null}")).isEqualTo("walk-in");
            assertThat(read(FieldType.TEXT, spec, "{\"s\": \"Ola\"}")).isEqualTo("Ola");
        }
    }

    @Nested
    class Constants {
        @Test
        void constantsIgnoreThePostedObject() throws Exception {
            assertThat(read(FieldType.ZONE, "{\"constant\": \"America/New_York\"}", "{\"constant\": \"x\"}"))
                    .isEqualTo(ZoneId.of("America/New_York"));
            assertThat(read(FieldType.INTEGER, "{\"constant\": 30}", "{}")).isEqualTo(30L);
            assertThat(read(FieldType.BOOLEAN, "{\"constant\": false}", "{}")).isEqualTo(false);
            assertThat(read(FieldType.MONEY, "{\"constant\": \"25\", \"currency\": \"pln\"}", "{}"))
                    .isEqualTo(Money.of("25", "PLN"));
        }

        @Test
        void aConstantOfTheWrongTypeIsRefusedWhenParsed() {
            assertThatThrownBy(() -> spec(FieldType.ZONE, "{\"constant\": \"Mars/Olympus\"}"))
                    .isInstanceOf(MappingException.class).hasMessageStartingWith("mapping.f:");
            assertThatThrownBy(() -> spec(FieldType.INTEGER, "{\"constant\": \"thirty\"}"))
                    .isInstanceOf(MappingException.class).hasMessageContaining("whole number");
            assertThatThrownBy(() -> spec(FieldType.STATUS, "{\"pointer\": \"/s\", \"default\": \"PENDING\"}"))
                    .isInstanceOf(MappingException.class).hasMessageContaining("BOOKED");
        }
    }

    @Nested
    class Dates {
        @Test
        void isoWithAnOffsetOrZIsAnInstant() throws Exception {
            assertThat(read(FieldType.INSTANT, "\"/t\"", "{\"t\": \"2026-03-28T10:00:00.000Z\"}"))
                    .isEqualTo(Instant.parse("2026-03-28T10:00:00Z"));
            assertThat(read(FieldType.INSTANT, "\"/t\"", "{\"t\": \"2026-03-28T10:00:00-05:00\"}"))
                    .isEqualTo(Instant.parse("2026-03-28T15:00:00Z"));
        }

        @Test
        void localIsoTimesAreReadInTheBusinessZoneAcrossTheSpringChange() throws Exception {
            // Berlin: +01:00 on Saturday 28 March 2026, +02:00 from 02:00 on Sunday 29 March.
            assertThat(read(FieldType.INSTANT, "\"/t\"", "{\"t\": \"2026-03-28T10:00\"}"))
                    .isEqualTo(Instant.parse("2026-03-28T09:00:00Z"));
            assertThat(read(FieldType.INSTANT, "\"/t\"", "{\"t\": \"2026-03-29T10:00\"}"))
                    .isEqualTo(Instant.parse("2026-03-29T08:00:00Z"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "yyyy-MM-dd HH:mm       | 2026-03-28 10:00     | 2026-03-28T09:00:00Z",
                "yyyy-MM-dd HH:mm       | 2026-03-29 10:00     | 2026-03-29T08:00:00Z",
                "dd.MM.yyyy HH:mm       | 25.10.2026 10:00     | 2026-10-25T09:00:00Z",
                "MM/dd/yyyy hh:mm a     | 03/28/2026 02:15 pm  | 2026-03-28T13:15:00Z",
                "yyyy-MM-dd HH:mm XXX   | 2026-03-28 10:00 Z   | 2026-03-28T10:00:00Z"})
        void patternsAreReadInTheBusinessZoneUnlessTheyCarryAnOffset(String pattern, String posted, String expected)
                throws Exception {
            assertThat(read(FieldType.INSTANT, "{\"pointer\": \"/t\", \"format\": \"" + pattern + "\"}",
                    "{\"t\": \"" + posted + "\"}")).isEqualTo(Instant.parse(expected));
        }

        @Test
        void aSpecZoneOverridesTheBusinessZone() throws Exception {
            assertThat(read(FieldType.INSTANT, "{\"pointer\": \"/t\", \"zone\": \"America/New_York\"}",
                    "{\"t\": \"2026-03-28T10:00\"}")).isEqualTo(Instant.parse("2026-03-28T14:00:00Z"));
        }

        @Test
        void aLocalTimeInTheSpringGapIsRefusedAndAnAutumnOverlapTakesTheEarlierOffset() throws Exception {
            String spec = "{\"pointer\": \"/t\", \"format\": \"yyyy-MM-dd HH:mm\"}";
            assertThatThrownBy(() -> read(FieldType.INSTANT, spec, "{\"t\": \"2026-03-29 02:30\"}"))
                    .isInstanceOf(MappingException.class).hasMessageContaining("daylight-saving gap")
                    .hasMessageContaining("Europe/Berlin");
            // 02:30 on 25 October 2026 happens twice in Berlin; the first time is at +02:00.
            assertThat(read(FieldType.INSTANT, spec, "{\"t\": \"2026-10-25 02:30\"}"))
                    .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        }

        @Test
        void epochFormatsReadNumbersOrDigits() throws Exception {
            assertThat(read(FieldType.INSTANT, "{\"pointer\": \"/t\", \"format\": \"epoch-seconds\"}",
                    "{\"t\": 1774688400}")).isEqualTo(Instant.parse("2026-03-28T09:00:00Z"));
            assertThat(read(FieldType.INSTANT, "{\"pointer\": \"/t\", \"format\": \"epoch-millis\"}",
                    "{\"t\": \"1774688400000\"}")).isEqualTo(Instant.parse("2026-03-28T09:00:00Z"));
        }

        @Test
        void aValueNotMatchingThePatternOrAnImpossibleDateIsRefusedWithoutQuotingIt() {
            String spec = "{\"pointer\": \"/t\", \"format\": \"dd.MM.yyyy HH:mm\"}";
            assertThatThrownBy(() -> read(FieldType.INSTANT, spec, "{\"t\": \"2026-03-28 10:00\"}"))
                    .isInstanceOf(MappingException.class).hasMessageContaining("dd.MM.yyyy HH:mm")
                    .hasMessageNotContaining("2026-03-28");
            assertThatThrownBy(() -> read(FieldType.INSTANT, spec, "{\"t\": \"31.02.2026 10:00\"}"))
                    .isInstanceOf(MappingException.class);
        }

        @Test
        void patternsWithoutATimeOrThatDoNotCompileAreRefusedWhenParsed() {
            assertThatThrownBy(() -> spec(FieldType.INSTANT, "{\"pointer\": \"/t\", \"format\": \"yyyy-MM-dd\"}"))
                    .isInstanceOf(MappingException.class).hasMessageContaining("date and a time");
            assertThatThrownBy(() -> spec(FieldType.INSTANT, "{\"pointer\": \"/t\", \"format\": \"yyyy-{MM}\"}"))
                    .isInstanceOf(MappingException.class).hasMessageContaining("not a date-time pattern");
        }
    }

    @Nested
    class Enums {
        private static final String STATUS = "{\"pointer\": \"/s\", \"map\": {\"new\": \"BOOKED\", \"done\": "
                + "\"completed\"}, \"default\": \"CONFIRMED\"}";

        @Test
        void mapTranslatesDefaultFillsInAndStatusNamesPassThrough() throws Exception {
            assertThat(read(FieldType.STATUS, STATUS, "{\"s\": \"new\"}")).isEqualTo(AppointmentStatus.BOOKED);
            assertThat(read(FieldType.STATUS, STATUS, "{\"s\": \"done\"}")).isEqualTo(AppointmentStatus.COMPLETED);
            assertThat(read(FieldType.STATUS, STATUS, "{}")).isEqualTo(AppointmentStatus.CONFIRMED);
            assertThat(read(FieldType.STATUS, STATUS, "{\"s\": \"no-show\"}")).isEqualTo(AppointmentStatus.NO_SHOW);
        }

        @Test
        void anUnknownValueIsAnErrorNamingTheField() {
            assertThatThrownBy(() -> read(FieldType.STATUS, STATUS, "{\"s\": \"weird\"}"))
                    .isInstanceOf(MappingException.class).hasMessageStartingWith("mapping.f:")
                    .hasMessageContaining("map");
        }

        @Test
        void textMapsTranslateKnownValuesAndPassOthersThrough() throws Exception {
            String spec = "{\"pointer\": \"/who\", \"map\": {\"o\": \"Ola\"}}";
            assertThat(read(FieldType.TEXT, spec, "{\"who\": \"o\"}")).isEqualTo("Ola");
            assertThat(read(FieldType.TEXT, spec, "{\"who\": \"Jan\"}")).isEqualTo("Jan");
        }

        @Test
        void aMapTargetThatIsNoStatusIsRefusedWhenParsed() {
            assertThatThrownBy(() -> spec(FieldType.STATUS, "{\"pointer\": \"/s\", \"map\": {\"x\": \"DONE\"}}"))
                    .isInstanceOf(MappingException.class).hasMessageContaining("'x'");
        }
    }

    @Nested
    class Numbers {
        @Test
        void integersAndMoney() throws Exception {
            assertThat(read(FieldType.INTEGER, "\"/m\"", "{\"m\": \"45\"}")).isEqualTo(45L);
            assertThat(read(FieldType.INTEGER, "\"/m\"", "{\"m\": 45.0}")).isEqualTo(45L);
            assertThatThrownBy(() -> read(FieldType.INTEGER, "\"/m\"", "{\"m\": 45.5}"))
                    .isInstanceOf(MappingException.class);
            assertThat(read(FieldType.MONEY, "{\"pointer\": \"/a\", \"currencyPointer\": \"/c\"}",
                    "{\"a\": 12.10, \"c\": \"usd\"}")).isEqualTo(Money.of("12.1", "USD"));
            assertThatThrownBy(() -> read(FieldType.MONEY, "{\"pointer\": \"/a\", \"currency\": \"EUR\"}",
                    "{\"a\": -1}")).isInstanceOf(MappingException.class).hasMessageContaining("negative");
            assertThatThrownBy(() -> read(FieldType.MONEY, "{\"pointer\": \"/a\", \"currencyPointer\": \"/c\"}",
                    "{\"a\": 3}")).isInstanceOf(MappingException.class).hasMessageContaining("no currency");
        }
    }

    /** Mappings refused by the factory, with INVALID_INPUT naming {@code mapping.<field>}. */
    @Nested
    class Validation {
        private ConnectorException refused(String mapping, Map<String, Object> extra) {
            return catchThrowableOfType(() -> new ZapierInboundConnectorFactory().create(
                    TestContext.of(new ZapierInboundConnectorFactory(), Fixtures.config(mapping, extra))),
                    ConnectorException.class);
        }

        private void assertRefused(String mapping, String field, String why) {
            assertRefused(mapping, Map.of(), field, why);
        }

        private void assertRefused(String mapping, Map<String, Object> extra, String field, String why) {
            ConnectorException e = refused(mapping, extra);
            assertThat(e).as("mapping %s must be refused", mapping).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(e.getMessage()).startsWith(field + ":").contains(why).doesNotContain(Fixtures.SECRET);
        }

        private static final String MIN = "\"externalId\": \"/id\", \"start\": \"/s\", \"end\": \"/e\"";

        @Test
        void theMappingMustBeAJsonObject() {
            assertRefused("{\"externalId\": ", "mapping", "not valid JSON");
            assertRefused("[]", "mapping", "JSON object");
            assertRefused("{" + MIN + ", " + MIN + "}", "mapping", "not valid JSON");
        }

        @Test
        void requiredFieldsOfEachKind() {
            assertRefused("{\"start\": \"/s\", \"end\": \"/e\"}", "mapping.externalId", "required");
            assertRefused("{\"externalId\": \"/id\", \"end\": \"/e\"}", "mapping.start", "required");
            assertRefused("{\"externalId\": \"/id\", \"start\": \"/s\"}", "mapping.end", "durationMinutes");
            assertRefused("{\"email\": \"/e\"}", Map.of("recordKind", "client"), "mapping.name", "required");
            assertRefused("{\"name\": \"/n\"}", Map.of("recordKind", "service"), "mapping.durationMinutes",
                    "required");
        }

        @Test
        void unknownFieldsAndKeysAreRefusedSoTyposDoNotVanish() {
            assertRefused("{" + MIN + ", \"clientMail\": \"/m\"}", "mapping.clientMail", "unknown field");
            assertRefused("{" + MIN + ", \"staffName\": {\"pointer\": \"/s\", \"fromat\": \"x\"}}",
                    "mapping.staffName", "unknown key 'fromat'");
            assertRefused("{" + MIN + ", \"clientName\": {\"pointer\": \"/n\", \"format\": \"iso\"}}",
                    "mapping.clientName", "unknown key 'format'");
            // Fields of another kind are unknown too.
            assertRefused("{" + MIN + ", \"name\": \"/n\"}", "mapping.name", "unknown field");
        }

        @Test
        void specShapes() {
            assertRefused("{" + MIN + ", \"clientName\": \"customer/name\"}", "mapping.clientName", "start with '/'");
            assertRefused("{" + MIN + ", \"clientName\": 7}", "mapping.clientName", "JSON Pointer");
            assertRefused("{" + MIN + ", \"clientName\": {\"pointer\": \"/n\", \"constant\": \"x\"}}",
                    "mapping.clientName", "exactly one");
            assertRefused("{" + MIN + ", \"clientName\": {\"default\": \"x\"}}", "mapping.clientName", "exactly one");
            assertRefused("{" + MIN + ", \"clientName\": {\"constant\": \"x\", \"default\": \"y\"}}",
                    "mapping.clientName", "default only applies");
            assertRefused("{" + MIN + ", \"clientName\": {\"constant\": {\"a\": 1}}}", "mapping.clientName",
                    "string, number or boolean");
            assertRefused("{" + MIN + ", \"status\": {\"pointer\": \"/s\", \"map\": {}}}", "mapping.status",
                    "non-empty");
        }

        @Test
        void typedSettings() {
            assertRefused("{" + MIN + ", \"price\": \"/amount\"}", "mapping.price", "currency");
            assertRefused("{" + MIN + ", \"price\": {\"pointer\": \"/a\", \"currency\": \"EUR\", "
                    + "\"currencyPointer\": \"/c\"}}", "mapping.price", "exactly one");
            assertRefused("{" + MIN + ", \"timeZone\": {\"constant\": \"Europe/Atlantis\"}}", "mapping.timeZone",
                    "time zone");
            assertRefused("{\"externalId\": \"/id\", \"start\": {\"pointer\": \"/s\", \"zone\": \"CEST\"}, "
                    + "\"end\": \"/e\"}", "mapping.start", "time zone");
            assertRefused("{" + MIN + ", \"durationMinutes\": {\"constant\": \"45 min\"}}",
                    "mapping.durationMinutes", "whole number");
        }

        @Test
        void configPointers() {
            assertRefused("{" + MIN + "}", Map.of("eventIdPointer", "id"), "eventIdPointer", "start with '/'");
            assertRefused("{" + MIN + "}", Map.of("updatedAtPointer", "/a~2"), "updatedAtPointer", "JSON Pointer");
        }
    }
}
