package io.bookinghub.connectors.csvimport;

import io.bookinghub.model.RecordKind;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The files the importer understands and the logical fields of each. Which column a field is read from comes
 * from the connection's {@code columnMapping} or else the built-in header table ({@link HeaderAliases}).
 *
 * <p>An appointment's start is a date column plus a start-time column, or one date-time column
 * ({@code startDateTime}); its end is an end-time column, an end date-time column, or a duration column
 * (minutes, {@code h:mm} or {@code 1h 30min}) added to the start.
 */
enum ImportKind {
    APPOINTMENTS("appointments", RecordKind.APPOINTMENT,
            List.of(
                    new Field("externalId", false),
                    new Field("date", false),
                    new Field("startTime", false),
                    new Field("endTime", false),
                    new Field("duration", false),
                    new Field("startDateTime", false),
                    new Field("endDateTime", false),
                    new Field("service", false),
                    new Field("staff", false),
                    new Field("client", false),
                    new Field("clientPhone", false),
                    new Field("clientEmail", false),
                    new Field("price", false),
                    new Field("currency", false),
                    new Field("status", false),
                    new Field("notes", false)),
            // Without an id, an appointment is who, with whom, when, for what.
            List.of("date", "startTime", "startDateTime", "staff", "client", "clientPhone", "service")),
    CLIENTS("clients", RecordKind.CLIENT,
            List.of(
                    new Field("externalId", false),
                    new Field("name", true),
                    new Field("phone", false),
                    new Field("email", false)),
            List.of("name", "phone", "email")),
    SERVICES("services", RecordKind.SERVICE,
            List.of(
                    new Field("externalId", false),
                    new Field("name", true),
                    new Field("category", false),
                    new Field("duration", true),
                    new Field("price", false),
                    new Field("description", false)),
            List.of("name", "category"));

    /**
     * A logical field.
     *
     * @param name     field name used in {@code columnMapping}
     * @param required whether the file must have the column (checked on the header row)
     */
    record Field(String name, boolean required) {
    }

    private final String id;
    private final RecordKind recordKind;
    private final List<Field> fields;
    private final List<String> identifyingFields;

    ImportKind(String id, RecordKind recordKind, List<Field> fields, List<String> identifyingFields) {
        this.id = id;
        this.recordKind = recordKind;
        this.fields = fields;
        this.identifyingFields = identifyingFields;
    }

    /** The {@code kind} argument of {@code importFile}, e.g. {@code appointments}. */
    String id() {
        return id;
    }

    RecordKind recordKind() {
        return recordKind;
    }

    List<Field> fields() {
        return fields;
    }

    Optional<Field> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /**
     * Fields whose values make up the stable row key when the file has no id column, in this order. Two rows
     * with the same values here are the same record.
     */
    List<String> identifyingFields() {
        return identifyingFields;
    }

    static Optional<ImportKind> byId(String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.id.equals(wanted)).findFirst();
    }

    static List<String> ids() {
        return Arrays.stream(values()).map(ImportKind::id).toList();
    }
}
