package io.bookinghub.connectors.csvimport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.toolkit.DateTimePatterns;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A connection's configuration, parsed once when the connector is created; every problem names its field. */
record CsvImportConfig(
        Map<ImportKind, Map<String, String>> columns,
        DateFormat dateFormat,
        DateFormat timeFormat,
        DateFormat dateTimeFormat,
        String currency,
        Character delimiter,
        long progressInterval) {

    static final String COLUMN_MAPPING = "columnMapping";
    static final String DATE_FORMAT = "dateFormat";
    static final String TIME_FORMAT = "timeFormat";
    static final String DATE_TIME_FORMAT = "dateTimeFormat";
    static final String CURRENCY = "currency";
    static final String DELIMITER = "delimiter";
    static final String PROGRESS_INTERVAL = "progressInterval";

    static final String DEFAULT_DATE_FORMAT = "dd.MM.uuuu";
    static final String DEFAULT_TIME_FORMAT = "HH:mm";
    static final String DEFAULT_DATE_TIME_FORMAT = "dd.MM.uuuu HH:mm";

    /** A configured pattern and its strict formatter; the pattern is what row errors quote. */
    record DateFormat(String pattern, DateTimeFormatter formatter) {
    }

    CsvImportConfig {
        columns = Collections.unmodifiableMap(new EnumMap<>(columns));
    }

    /** The header a field is read from in this connection, or null when the field is not read. */
    String header(ImportKind kind, String field) {
        return columns.get(kind).get(field);
    }

    static CsvImportConfig from(ConnectorConfig config, ObjectMapper json) {
        return new CsvImportConfig(
                columns(config.get(COLUMN_MAPPING).orElse(null), json),
                formatter(config, DATE_FORMAT),
                formatter(config, TIME_FORMAT),
                formatter(config, DATE_TIME_FORMAT),
                currency(config.string(CURRENCY)),
                delimiter(config.string(DELIMITER)),
                progressInterval(config.integer(PROGRESS_INTERVAL)));
    }

    private static ConnectorException invalid(String field, String message) {
        return new ConnectorException(ErrorCode.INVALID_INPUT, field + ": " + message);
    }

    private static DateFormat formatter(ConnectorConfig config, String field) {
        String pattern = config.string(field);
        try {
            // A wrong date in an export must be reported, not moved to a nearby one.
            return new DateFormat(pattern, DateTimePatterns.strict(pattern));
        } catch (IllegalArgumentException e) {
            throw invalid(field, "not a date-time pattern: " + e.getMessage());
        }
    }

    private static String currency(String code) {
        String upper = code.trim().toUpperCase(Locale.ROOT);
        try {
            Currency.getInstance(upper);
            return upper;
        } catch (IllegalArgumentException e) {
            throw invalid(CURRENCY, "'" + code + "' is not an ISO 4217 currency code");
        }
    }

    private static Character delimiter(String value) {
        return switch (value) {
            case "auto" -> null;
            case "," -> ',';
            case ";" -> ';';
            default -> throw invalid(DELIMITER, "must be auto, ',' or ';'");
        };
    }

    private static long progressInterval(long value) {
        if (value < 1) {
            throw invalid(PROGRESS_INTERVAL, "must be at least 1");
        }
        return value;
    }

    /**
     * The preset with the connection's overrides: {@code {"appointments": {"price": "Cena", "externalId":
     * null}}} reads price from "Cena" and ignores any id column. Unknown kinds and fields are refused, so a
     * typo does not silently fall back to the preset.
     */
    private static Map<ImportKind, Map<String, String>> columns(String mappingJson, ObjectMapper json) {
        Map<ImportKind, Map<String, String>> columns = new EnumMap<>(ImportKind.class);
        for (ImportKind kind : ImportKind.values()) {
            Map<String, String> fields = new LinkedHashMap<>();
            kind.fields().forEach(f -> fields.put(f.name(), f.presetHeader()));
            columns.put(kind, fields);
        }
        if (mappingJson == null || mappingJson.isBlank()) {
            return columns;
        }
        JsonNode root;
        try {
            root = json.readTree(mappingJson);
        } catch (JsonProcessingException e) {
            throw invalid(COLUMN_MAPPING, "not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw invalid(COLUMN_MAPPING, "must be a JSON object keyed by kind, e.g. {\"appointments\": "
                    + "{\"price\": \"Cena\"}}");
        }
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
                    if (field.requiredColumn()) {
                        throw invalid(COLUMN_MAPPING, kind.id() + "." + field.name() + " is required and cannot "
                                + "be unmapped");
                    }
                    columns.get(kind).put(field.name(), null);
                } else if (header.isTextual() && !header.asText().isBlank()) {
                    columns.get(kind).put(field.name(), header.asText().trim());
                } else {
                    throw invalid(COLUMN_MAPPING, kind.id() + "." + field.name()
                            + " must be a column header (text) or null");
                }
            }
        }
        requireAppointmentTimes(columns.get(ImportKind.APPOINTMENTS));
        return columns;
    }

    // Each time field alone is optional, but a mapping without a whole start and end could never import a row.
    private static void requireAppointmentTimes(Map<String, String> appointments) {
        boolean combined = appointments.get("startDateTime") != null;
        List<String> needed = combined ? List.of("startDateTime", "endDateTime")
                : List.of("date", "startTime", "endTime");
        List<String> unmapped = needed.stream().filter(f -> appointments.get(f) == null).toList();
        if (!unmapped.isEmpty()) {
            throw invalid(COLUMN_MAPPING, "appointments." + String.join(", appointments.", unmapped)
                    + " must be mapped: an appointment needs " + (combined ? "a start and an end date-time"
                            : "a date, a start time and an end time"));
        }
    }
}
