package io.bookinghub.connectors.csvimport;

import io.bookinghub.model.RecordKind;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The files the importer understands, the logical fields of each, and the Booksy export preset: the column
 * header each field is read from unless the connection's {@code columnMapping} overrides it.
 *
 * <p>Booksy export preset (headers as in the "Export" of Booksy Biz, matched case-insensitively):
 * <ul>
 *   <li>appointments: "Appointment ID", "Date", "Start time", "End time", "Service", "Staff", "Client",
 *       "Client phone", "Client email", "Price", "Status", "Notes"</li>
 *   <li>clients: "Client ID", "Name", "Phone", "Email"</li>
 *   <li>services: "Service ID", "Service", "Category", "Duration", "Price", "Description"</li>
 * </ul>
 * Appointments may instead carry one date-time column per end ({@code startDateTime}, {@code endDateTime},
 * unmapped in the preset); when {@code startDateTime} is mapped it is used instead of date + start time.
 */
enum ImportKind {
    APPOINTMENTS("appointments", RecordKind.APPOINTMENT,
            List.of(
                    new Field("externalId", "Appointment ID", false),
                    new Field("date", "Date", false),
                    new Field("startTime", "Start time", false),
                    new Field("endTime", "End time", false),
                    new Field("startDateTime", null, false),
                    new Field("endDateTime", null, false),
                    new Field("service", "Service", false),
                    new Field("staff", "Staff", false),
                    new Field("client", "Client", false),
                    new Field("clientPhone", "Client phone", false),
                    new Field("clientEmail", "Client email", false),
                    new Field("price", "Price", false),
                    new Field("status", "Status", false),
                    new Field("notes", "Notes", false)),
            // Without an id, an appointment is who, with whom, when, for what.
            List.of("date", "startTime", "startDateTime", "staff", "client", "clientPhone", "service")),
    CLIENTS("clients", RecordKind.CLIENT,
            List.of(
                    new Field("externalId", "Client ID", false),
                    new Field("name", "Name", true),
                    new Field("phone", "Phone", false),
                    new Field("email", "Email", false)),
            List.of("name", "phone", "email")),
    SERVICES("services", RecordKind.SERVICE,
            List.of(
                    new Field("externalId", "Service ID", false),
                    new Field("name", "Service", true),
                    new Field("category", "Category", false),
                    new Field("duration", "Duration", true),
                    new Field("price", "Price", false),
                    new Field("description", "Description", false)),
            List.of("name", "category"));

    /**
     * A logical field.
     *
     * @param name          field name used in {@code columnMapping}
     * @param presetHeader  Booksy export header, or null when the preset does not read it
     * @param requiredColumn whether the file must have the column (checked on the header row)
     */
    record Field(String name, String presetHeader, boolean requiredColumn) {
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
