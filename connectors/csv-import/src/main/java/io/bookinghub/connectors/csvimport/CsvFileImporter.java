package io.bookinghub.connectors.csvimport;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Money;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.Service;
import io.bookinghub.model.ServiceVariant;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.fileimport.FileImporter;
import io.bookinghub.spi.sync.SyncSink;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Streams a CSV export into the sink, one row at a time: memory use does not grow with the file.
 *
 * <p>Encoding and shape: UTF-8 with or without a byte-order mark (UTF-16 is refused), {@code ,} or
 * {@code ;} as delimiter (detected from the header row unless configured), RFC 4180 quoting (delimiters,
 * quotes and line breaks inside quoted fields), CRLF, LF or CR line ends. The first row is the header;
 * columns are found by header text (case-insensitive) through the connection's column mapping, whose
 * defaults are the Booksy export preset ({@link ImportKind}).
 *
 * <p>Rows: row numbers count records as a spreadsheet shows them (the header is row 1). A row that cannot be
 * taken is reported with {@link SyncSink#skipped} as {@code "row 17, column 'Price': not a price: 'abc'"},
 * and the import goes on; blank rows are ignored. A problem with the file itself (no header, a required
 * column missing, invalid UTF-8, an unclosed quote) ends the import with {@link ErrorCode#INVALID_INPUT};
 * rows before it have landed.
 *
 * <p>Identity: a row's external id is its id column ("Appointment ID", "Client ID", "Service ID") when the
 * file has one and the cell is not empty, and otherwise a stable hash of the kind's identifying columns
 * ({@link ImportKind#identifyingFields()}, {@link CellValues#rowKey}), so re-importing the same file is
 * idempotent. Appointments refer to clients, services and staff by the same name-derived keys, which match
 * clients and services imported from files without id columns. Rows carry no provider version, so a
 * re-imported row that changed replaces the stored one. If a file repeats an id, the last row wins.
 *
 * <p>Times: dates and times are local to the business's time zone; a local time skipped by a daylight-saving
 * change is moved forward by the gap and an ambiguous one takes the earlier offset (java.time's rules).
 *
 * <p>Dry run: every row is read, mapped and validated, bad rows are reported through
 * {@link SyncSink#skipped} exactly as in a real import, but no upsert is called, so nothing can be written
 * whatever sink the hub passes. The counts are reported through {@link SyncSink#progress}: stage
 * {@code "<kind>: valid"} (rows that would be imported) and {@code "<kind>: invalid"}, each out of the rows
 * read. Both modes also report {@code "<kind>"} progress every {@code progressInterval} rows (total -1) and
 * check {@link SyncSink#cancelled()} there; a cancelled import stops after the current row.
 */
final class CsvFileImporter implements FileImporter {
    /** Longest record accepted; an unclosed quote would otherwise read the rest of the file into memory. */
    static final int MAX_RECORD_CHARS = 1_000_000;
    private static final int DETECT_LIMIT = 64 * 1024;

    private final String connectorId;
    private final CsvImportConfig config;
    private final ZoneId zone;
    private final ObjectMapper json;

    CsvFileImporter(String connectorId, CsvImportConfig config, ZoneId zone, ObjectMapper json) {
        this.connectorId = requireNonNull(connectorId, "connectorId is null");
        this.config = requireNonNull(config, "config is null");
        this.zone = requireNonNull(zone, "zone is null");
        this.json = requireNonNull(json, "json is null");
    }

    @Override
    public Set<String> kinds() {
        return new LinkedHashSet<>(ImportKind.ids());
    }

    /**
     * {@inheritDoc}
     *
     * @param kind {@code appointments}, {@code clients} or {@code services}
     * @throws ConnectorException INVALID_INPUT for an unknown kind or an unreadable file
     */
    @Override
    public void importFile(String kind, InputStream input, boolean dryRun, SyncSink sink) {
        requireNonNull(input, "input is null");
        requireNonNull(sink, "sink is null");
        ImportKind importKind = ImportKind.byId(kind).orElseThrow(() -> new ConnectorException(
                ErrorCode.INVALID_INPUT, "unknown import kind '" + kind + "'; expected one of " + ImportKind.ids()));
        CsvReader csv = null;
        try {
            BufferedReader reader = reader(input);
            char delimiter = config.delimiter() != null ? config.delimiter() : detectDelimiter(reader);
            csv = new CsvReader(reader, delimiter, MAX_RECORD_CHARS);
            List<String> header = csv.next();
            if (header == null || header.size() == 1 && header.get(0).isBlank()) {
                throw new ConnectorException(ErrorCode.INVALID_INPUT, "the file is empty; expected a header row");
            }
            run(importKind, csv, new Columns(importKind, header), dryRun, sink);
        } catch (CharacterCodingException e) {
            throw new ConnectorException(ErrorCode.INVALID_INPUT, "the file is not valid UTF-8"
                    + (csv == null ? "" : " (in or after row " + Math.max(csv.recordNumber(), 1) + ")")
                    + "; export it as UTF-8");
        } catch (CsvReader.CsvFormatException e) {
            throw new ConnectorException(ErrorCode.INVALID_INPUT, e.getMessage());
        } catch (IOException e) {
            throw new ConnectorException(ErrorCode.INVALID_INPUT, "the file could not be read: " + e.getMessage(), e);
        }
    }

    private void run(ImportKind kind, CsvReader csv, Columns columns, boolean dryRun, SyncSink sink)
            throws IOException, CsvReader.CsvFormatException {
        long read = 0;
        long valid = 0;
        List<String> record;
        while ((record = csv.next()) != null) {
            if (record.size() == 1 && record.get(0).isBlank()) {
                continue;
            }
            read++;
            long rowNumber = csv.recordNumber();
            Row row = new Row(columns, record);
            try {
                if (record.size() != columns.width()) {
                    throw new RowException(null, "has " + record.size() + " columns, the header has "
                            + columns.width());
                }
                // No database stores a NUL character as text: such a row is refused here, in a dry run too,
                // instead of failing the real import when it is written.
                for (int i = 0; i < record.size(); i++) {
                    if (record.get(i).indexOf('\u0000') >= 0) {
                        throw new RowException(columns.headers.get(i), "contains a NUL character");
                    }
                }
                Object mapped = map(kind, row);
                valid++;
                if (!dryRun) {
                    upsert(sink, mapped);
                }
            } catch (RowException e) {
                sink.skipped(kind.recordKind(), e.externalId == null ? safeId(kind, row) : e.externalId,
                        "row " + rowNumber + (e.header == null ? "" : ", column '" + e.header + "'") + ": "
                                + e.getMessage());
            }
            if (read % config.progressInterval() == 0) {
                sink.progress(kind.id(), read, -1);
                if (sink.cancelled()) {
                    break;
                }
            }
        }
        sink.progress(kind.id(), read, read);
        sink.progress(kind.id() + ": valid", valid, read);
        sink.progress(kind.id() + ": invalid", read - valid, read);
    }

    // The id of a bad row when the file gives one, so the admin can find it; never a guess.
    private static String safeId(ImportKind kind, Row row) {
        try {
            String id = row.value("externalId");
            return id == null || id.length() > 255 ? null : id;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void upsert(SyncSink sink, Object mapped) {
        if (mapped instanceof Appointment a) {
            sink.upsert(a);
        } else if (mapped instanceof Client c) {
            sink.upsert(c);
        } else if (mapped instanceof Service s) {
            sink.upsert(s);
        } else {
            throw new IllegalStateException("unexpected record " + mapped.getClass());
        }
    }

    // ------------------------------------------------------------------ input

    private static BufferedReader reader(InputStream input) throws IOException {
        BufferedInputStream in = new BufferedInputStream(input, 64 * 1024);
        in.mark(4);
        int b0 = in.read();
        int b1 = in.read();
        int b2 = in.read();
        if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
            // UTF-8 byte-order mark: skip it, or it would become part of the first header.
        } else if (b0 == 0xFE && b1 == 0xFF || b0 == 0xFF && b1 == 0xFE) {
            throw new ConnectorException(ErrorCode.INVALID_INPUT, "the file is UTF-16; export it as UTF-8");
        } else {
            in.reset();
        }
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new BufferedReader(new InputStreamReader(in, decoder), 64 * 1024);
    }

    /** ';' when the header row (outside quotes) has more semicolons than commas, else ','. */
    private static char detectDelimiter(BufferedReader reader) throws IOException {
        reader.mark(DETECT_LIMIT);
        int commas = 0;
        int semicolons = 0;
        boolean quoted = false;
        for (int i = 0; i < DETECT_LIMIT; i++) {
            int c = reader.read();
            if (c == -1 || !quoted && (c == '\n' || c == '\r')) {
                break;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == ',') {
                commas++;
            } else if (!quoted && c == ';') {
                semicolons++;
            }
        }
        reader.reset();
        return semicolons > commas ? ';' : ',';
    }

    // ------------------------------------------------------------------ mapping

    private Object map(ImportKind kind, Row row) throws RowException {
        return switch (kind) {
            case APPOINTMENTS -> appointment(row);
            case CLIENTS -> client(row);
            case SERVICES -> service(row);
        };
    }

    private ExternalRef ref(ImportKind kind, Row row) throws RowException {
        String id = row.value("externalId");
        if (id == null) {
            List<String> values = new ArrayList<>();
            for (String field : kind.identifyingFields()) {
                values.add(row.value(field));
            }
            id = CellValues.rowKey(kind.id(), values);
        } else if (id.length() > 255) {
            throw new RowException(row.header("externalId"), "longer than 255 characters");
        }
        return new ExternalRef(connectorId, id);
    }

    private Appointment appointment(Row row) throws RowException {
        ExternalRef ref = ref(ImportKind.APPOINTMENTS, row);
        String id = ref.externalId();
        boolean combined = row.header("startDateTime") != null && row.columns.has("startDateTime");
        String startField = combined ? "startDateTime" : "startTime";
        String endField = combined ? "endDateTime" : "endTime";
        Instant start;
        Instant end;
        if (combined) {
            start = at(dateTime(row, "startDateTime", id), null);
            end = at(dateTime(row, "endDateTime", id), start);
        } else {
            LocalDate date = parse(row, "date", config.dateFormat(), LocalDate::from, id);
            start = at(LocalDateTime.of(date, parse(row, "startTime", config.timeFormat(), LocalTime::from, id)), null);
            end = at(LocalDateTime.of(date, parse(row, "endTime", config.timeFormat(), LocalTime::from, id)), start);
        }
        if (!end.isAfter(start)) {
            throw new RowException(row.header(endField), "'" + row.value(endField) + "' is not after the start '"
                    + row.value(startField) + "'", id);
        }
        String statusText = row.value("status");
        AppointmentStatus status = CellValues.status(statusText).orElseThrow(() -> new RowException(row.header("status"),
                "unknown status '" + statusText + "'", id));
        String client = row.value("client");
        String service = row.value("service");
        String staff = row.value("staff");
        String clientId = client == null ? null
                : CellValues.rowKey(ImportKind.CLIENTS.id(), List.of(client, nullToEmpty(row.value("clientPhone")),
                        nullToEmpty(row.value("clientEmail"))));
        String serviceId = service == null ? null : CellValues.rowKey(ImportKind.SERVICES.id(), List.of(service));
        String staffId = staff == null ? null : CellValues.rowKey("staff", List.of(staff));
        return new Appointment(ref, clientId, null,
                List.of(new AppointmentSegment(serviceId, null, staffId, start, end)),
                zone, status, statusText, null, null, row.value("notes"), money(row, "price", id), null,
                ProviderVersion.UNKNOWN, row.rawJson());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private Client client(Row row) throws RowException {
        ExternalRef ref = ref(ImportKind.CLIENTS, row);
        String name = row.value("name");
        if (name == null) {
            throw new RowException(row.header("name"), "empty; a client needs a name", ref.externalId());
        }
        return new Client(ref, name, row.value("email"), row.value("phone"), ProviderVersion.UNKNOWN, row.rawJson());
    }

    private Service service(Row row) throws RowException {
        ExternalRef ref = ref(ImportKind.SERVICES, row);
        String id = ref.externalId();
        String name = row.value("name");
        if (name == null) {
            throw new RowException(row.header("name"), "empty; a service needs a name", id);
        }
        String durationText = row.value("duration");
        if (durationText == null) {
            throw new RowException(row.header("duration"), "empty; a service needs a duration", id);
        }
        Duration duration;
        try {
            duration = CellValues.duration(durationText);
        } catch (IllegalArgumentException e) {
            throw new RowException(row.header("duration"), e.getMessage(), id);
        }
        return new Service(ref, name, row.value("category"), row.value("description"),
                List.of(new ServiceVariant("default", name, duration, money(row, "price", id))), true,
                ProviderVersion.UNKNOWN, row.rawJson());
    }

    private Money money(Row row, String field, String id) throws RowException {
        String text = row.value(field);
        if (text == null) {
            return null;
        }
        try {
            BigDecimal amount = CellValues.price(text);
            return new Money(amount, config.currency());
        } catch (IllegalArgumentException e) {
            throw new RowException(row.header(field), e.getMessage(), id);
        }
    }

    private LocalDateTime dateTime(Row row, String field, String id) throws RowException {
        return parse(row, field, config.dateTimeFormat(), LocalDateTime::from, id);
    }

    private <T> T parse(Row row, String field, CsvImportConfig.DateFormat format,
            TemporalQuery<T> query, String id) throws RowException {
        String text = row.value(field);
        if (text == null) {
            throw new RowException(row.header(field), "empty", id);
        }
        try {
            return format.formatter().parse(text, query);
        } catch (DateTimeParseException e) {
            throw new RowException(row.header(field), "'" + text + "' is not a valid date or time in the format '" + format.pattern()
                    + "'", id);
        }
    }

    // Local times are in the business zone; the end prefers the start's offset so that a short appointment in
    // the repeated hour of an autumn change does not end before it starts.
    private Instant at(LocalDateTime local, Instant start) {
        ZonedDateTime zoned = start == null ? ZonedDateTime.ofLocal(local, zone, null)
                : ZonedDateTime.ofLocal(local, zone, start.atZone(zone).getOffset());
        return zoned.toInstant();
    }

    // ------------------------------------------------------------------ rows

    /** Header positions for the fields of one kind, resolved once per file. */
    private final class Columns {
        private final ImportKind kind;
        private final List<String> headers;
        private final Map<String, Integer> indexByField = new HashMap<>();
        private final Map<String, String> headerByField = new HashMap<>();

        Columns(ImportKind kind, List<String> header) {
            this.kind = kind;
            this.headers = List.copyOf(header.stream().map(String::trim).toList());
            Map<String, Integer> byHeader = new HashMap<>();
            for (int i = 0; i < headers.size(); i++) {
                byHeader.putIfAbsent(headers.get(i).toLowerCase(Locale.ROOT), i);
            }
            List<String> missing = new ArrayList<>();
            boolean combined = config.header(kind, "startDateTime") != null;
            for (ImportKind.Field field : kind.fields()) {
                String wanted = config.header(kind, field.name());
                if (wanted == null) {
                    continue;
                }
                Integer index = byHeader.get(wanted.toLowerCase(Locale.ROOT));
                if (index != null) {
                    indexByField.put(field.name(), index);
                    headerByField.put(field.name(), headers.get(index));
                } else if (field.requiredColumn() || requiredTime(kind, field.name(), combined)) {
                    missing.add("'" + wanted + "' (" + kind.id() + "." + field.name() + ")");
                }
            }
            if (!missing.isEmpty()) {
                throw new ConnectorException(ErrorCode.INVALID_INPUT, "the " + kind.id() + " file has no column "
                        + String.join(", ", missing) + "; its columns are " + headers
                        + " (set columnMapping to read other headers)");
            }
        }

        private static boolean requiredTime(ImportKind kind, String field, boolean combined) {
            if (kind != ImportKind.APPOINTMENTS) {
                return false;
            }
            return combined ? field.equals("startDateTime") || field.equals("endDateTime")
                    : field.equals("date") || field.equals("startTime") || field.equals("endTime");
        }

        int width() {
            return headers.size();
        }

        boolean has(String field) {
            return indexByField.containsKey(field);
        }
    }

    /** One record seen through the columns. CellValues are trimmed; blank cells and absent columns are null. */
    private final class Row {
        private final Columns columns;
        private final List<String> record;

        Row(Columns columns, List<String> record) {
            this.columns = columns;
            this.record = record;
        }

        String value(String field) {
            Integer index = columns.indexByField.get(field);
            if (index == null || index >= record.size()) {
                return null;
            }
            String v = record.get(index).trim();
            return v.isEmpty() ? null : v;
        }

        String header(String field) {
            String header = columns.headerByField.get(field);
            return header != null ? header : config.header(columns.kind, field);
        }

        /** The row as a JSON object of header to cell, as the provider's raw record; no row number (stable). */
        String rawJson() {
            Map<String, String> raw = new LinkedHashMap<>();
            for (int i = 0; i < columns.headers.size() && i < record.size(); i++) {
                raw.putIfAbsent(columns.headers.get(i), record.get(i));
            }
            try {
                return json.writeValueAsString(raw);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a map of strings could not be written as JSON", e);
            }
        }
    }

    /** A row that cannot be taken: which column (by header, or null for the whole row) and why. */
    private static final class RowException extends Exception {
        private final String header;
        private final String externalId;

        RowException(String header, String reason) {
            this(header, reason, null);
        }

        RowException(String header, String reason, String externalId) {
            super(reason, null, false, false);
            this.header = header;
            this.externalId = externalId;
        }
    }
}
