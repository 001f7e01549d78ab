package io.bookinghub.connectors.csvimport;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.toolkit.DateTimePatterns;
import io.bookinghub.toolkit.json.Json;
import io.bookinghub.toolkit.json.JsonFieldException;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IllformedLocaleException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A connection's configuration, parsed once when the connector is created; every problem names its field.
 * Everything is optional: an upload without configuration is read by detection and the built-in tables.
 *
 * @param columns        per kind, the fields whose column the connection names (a null header: never read)
 * @param dateFormat     the configured date pattern, or null to detect it per file
 * @param timeFormat     the configured time pattern, or null for 24 h / 12 h AM-PM detection
 * @param dateTimeFormat the configured date-time pattern, or null for a detected date format plus a time
 * @param currency       the currency of prices when the file names none
 * @param delimiter      the configured delimiter, or null to detect it
 * @param statusMapping  the connection's statuses by {@link Words#key}, consulted before the built-in ones
 * @param locale         the business's locale for telling dd/MM from MM/dd, or null
 * @param sheet          the XLSX sheet to read, or null for the first
 * @param dstPolicy      what a local time in a daylight-saving gap or overlap does
 */
record CsvImportConfig(
        Map<ImportKind, Map<String, String>> columns,
        DateFormat dateFormat,
        DateFormat timeFormat,
        DateFormat dateTimeFormat,
        String currency,
        Character delimiter,
        long progressInterval,
        Map<String, AppointmentStatus> statusMapping,
        Locale locale,
        String sheet,
        DstPolicy dstPolicy) {

    static final String COLUMN_MAPPING = "columnMapping";
    static final String STATUS_MAPPING = "statusMapping";
    static final String DATE_FORMAT = "dateFormat";
    static final String TIME_FORMAT = "timeFormat";
    static final String DATE_TIME_FORMAT = "dateTimeFormat";
    static final String CURRENCY = "currency";
    static final String DELIMITER = "delimiter";
    static final String PROGRESS_INTERVAL = "progressInterval";
    static final String LOCALE = "locale";
    static final String SHEET = "sheet";
    static final String DST = "dst";

    static final String AUTO = "auto";

    /** A configured pattern and its strict formatter; the pattern is what row errors quote. */
    record DateFormat(String pattern, DateTimeFormatter formatter) {
    }

    /** A local time that a daylight-saving change skips or repeats. */
    enum DstPolicy {
        /** Imported (a skipped time moved forward by the gap, a repeated one at its earlier offset) with a warning. */
        WARN,
        /** The row is refused, saying why. */
        REFUSE
    }

    CsvImportConfig {
        Map<ImportKind, Map<String, String>> copy = new EnumMap<>(ImportKind.class);
        columns.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        columns = Collections.unmodifiableMap(copy);
        statusMapping = Map.copyOf(statusMapping);
    }

    /** Whether the connection names the column of a field (or unmaps it with null). */
    boolean overrides(ImportKind kind, String field) {
        Map<String, String> fields = columns.get(kind);
        return fields != null && fields.containsKey(field);
    }

    /** The header the connection reads a field from; null when it is unmapped or not overridden. */
    String header(ImportKind kind, String field) {
        Map<String, String> fields = columns.get(kind);
        return fields == null ? null : fields.get(field);
    }

    static CsvImportConfig from(ConnectorConfig config) {
        return new CsvImportConfig(
                columns(config.get(COLUMN_MAPPING).orElse(null)),
                formatter(config, DATE_FORMAT),
                formatter(config, TIME_FORMAT),
                formatter(config, DATE_TIME_FORMAT),
                CellValues.isoCurrency(config.string(CURRENCY)).orElseThrow(() -> invalid(CURRENCY, "'"
                        + config.string(CURRENCY) + "' is not an ISO 4217 currency code")),
                delimiter(config.string(DELIMITER)),
                progressInterval(config.integer(PROGRESS_INTERVAL)),
                statuses(config.get(STATUS_MAPPING).orElse(null)),
                locale(config.get(LOCALE).orElse(null)),
                config.get(SHEET).filter(s -> !s.isBlank()).map(String::strip).orElse(null),
                DstPolicy.valueOf(config.string(DST).toUpperCase(Locale.ROOT)));
    }

    private static ConnectorException invalid(String field, String message) {
        return new ConnectorException(ErrorCode.INVALID_INPUT, field + ": " + message);
    }

    private static DateFormat formatter(ConnectorConfig config, String field) {
        String pattern = config.string(field);
        if (pattern.isBlank() || pattern.equalsIgnoreCase(AUTO)) {
            return null;
        }
        try {
            // A wrong date in an export must be reported, not moved to a nearby one.
            return new DateFormat(pattern, DateTimePatterns.strict(pattern));
        } catch (IllegalArgumentException e) {
            throw invalid(field, "not a date-time pattern: " + e.getMessage());
        }
    }

    private static Character delimiter(String value) {
        return switch (value) {
            case AUTO -> null;
            case "," -> ',';
            case ";" -> ';';
            case "tab", "\t" -> '\t';
            default -> throw invalid(DELIMITER, "must be auto, ',', ';' or tab");
        };
    }

    private static long progressInterval(long value) {
        if (value < 1) {
            throw invalid(PROGRESS_INTERVAL, "must be at least 1");
        }
        return value;
    }

    private static Locale locale(String tag) {
        if (tag == null || tag.isBlank()) {
            return null;
        }
        try {
            Locale locale = new Locale.Builder().setLanguageTag(tag.strip().replace('_', '-')).build();
            if (locale.getCountry().isEmpty()) {
                throw invalid(LOCALE, "'" + tag + "' names no country; use a tag such as pl-PL or en-US");
            }
            return locale;
        } catch (IllformedLocaleException e) {
            throw invalid(LOCALE, "'" + tag + "' is not a locale tag such as pl-PL or en-US");
        }
    }

    private static JsonNode object(String field, String text, String example) {
        JsonNode root;
        try {
            root = Json.parse(field, text);
        } catch (JsonFieldException e) {
            throw invalid(field, e.problem());
        }
        if (!root.isObject()) {
            throw invalid(field, "must be a JSON object, e.g. " + example);
        }
        return root;
    }

    /**
     * {@code {"Przełożona": "BOOKED"}}: export statuses (compared like headers) to model statuses, before the
     * built-in vocabulary.
     */
    private static Map<String, AppointmentStatus> statuses(String mappingJson) {
        Map<String, AppointmentStatus> statuses = new HashMap<>();
        if (mappingJson == null || mappingJson.isBlank()) {
            return statuses;
        }
        JsonNode root = object(STATUS_MAPPING, mappingJson, "{\"Przełożona\": \"BOOKED\"}");
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String value = entry.getValue().isTextual() ? entry.getValue().asText().strip() : "";
            AppointmentStatus status = Arrays.stream(AppointmentStatus.values())
                    .filter(s -> s.name().equalsIgnoreCase(value.replace('-', '_').replace(' ', '_')))
                    .findFirst()
                    .orElseThrow(() -> invalid(STATUS_MAPPING, "'" + entry.getKey() + "' maps to '" + value
                            + "'; expected one of " + Arrays.toString(AppointmentStatus.values())));
            if (Words.key(entry.getKey()).isEmpty()) {
                throw invalid(STATUS_MAPPING, "'" + entry.getKey() + "' has no letters or digits to match");
            }
            statuses.put(Words.key(entry.getKey()), status);
        }
        return statuses;
    }

    /**
     * The connection's column overrides: {@code {"appointments": {"price": "Kwota brutto", "externalId":
     * null}}} reads price from "Kwota brutto" and ignores any id column; other fields keep the built-in header
     * table. Unknown kinds and fields are refused, so a typo does not silently fall back to the table.
     */
    private static Map<ImportKind, Map<String, String>> columns(String mappingJson) {
        Map<ImportKind, Map<String, String>> columns = new EnumMap<>(ImportKind.class);
        for (ImportKind kind : ImportKind.values()) {
            columns.put(kind, new LinkedHashMap<>());
        }
        if (mappingJson == null || mappingJson.isBlank()) {
            return columns;
        }
        JsonNode root = object(COLUMN_MAPPING, mappingJson, "{\"appointments\": {\"price\": \"Cena\"}}");
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            ImportKind kind = ImportKind.byId(entry.getKey()).orElseThrow(() -> invalid(COLUMN_MAPPING,
                    "unknown kind '" + entry.getKey() + "'; expected one of " + ImportKind.ids()));
            if (!entry.getValue().isObject()) {
                throw invalid(COLUMN_MAPPING, kind.id() + " must map field names to column headers");
            }
            for (Iterator<Map.Entry<String, JsonNode>> f = entry.getValue().fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> mapping = f.next();
                ImportKind.Field field = kind.field(mapping.getKey()).orElseThrow(() -> invalid(COLUMN_MAPPING,
                        "unknown field '" + mapping.getKey() + "' for " + kind.id() + "; known fields: "
                                + kind.fields().stream().map(ImportKind.Field::name).toList()));
                JsonNode header = mapping.getValue();
                if (header.isNull()) {
                    if (field.required()) {
                        throw invalid(COLUMN_MAPPING, kind.id() + "." + field.name() + " is required and cannot "
                                + "be unmapped");
                    }
                    columns.get(kind).put(field.name(), null);
                } else if (header.isTextual() && !header.asText().isBlank()) {
                    columns.get(kind).put(field.name(), header.asText().strip());
                } else {
                    throw invalid(COLUMN_MAPPING, kind.id() + "." + field.name()
                            + " must be a column header (text) or null");
                }
            }
        }
        requireAppointmentEnd(columns.get(ImportKind.APPOINTMENTS));
        return columns;
    }

    // Unmapping every way of telling when an appointment ends could never import a row.
    private static void requireAppointmentEnd(Map<String, String> appointments) {
        List<String> ends = List.of("endTime", "duration", "endDateTime");
        if (ends.stream().allMatch(f -> appointments.containsKey(f) && appointments.get(f) == null)) {
            throw invalid(COLUMN_MAPPING, "appointments.endTime, appointments.duration and appointments.endDateTime "
                    + "are all unmapped: an appointment needs an end time or a duration");
        }
        List<String> starts = List.of("startTime", "startDateTime");
        if (starts.stream().allMatch(f -> appointments.containsKey(f) && appointments.get(f) == null)) {
            throw invalid(COLUMN_MAPPING, "appointments.startTime and appointments.startDateTime are both unmapped: "
                    + "an appointment needs a start");
        }
    }
}
