package io.bookinghub.connectors.csvimport;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import io.bookinghub.spi.fileimport.FileImportSink;
import io.bookinghub.spi.fileimport.FileImporter;
import io.bookinghub.spi.fileimport.ImportReport;
import io.bookinghub.spi.fileimport.RowIssue;
import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.spi.sync.UpsertOutcome;
import io.bookinghub.toolkit.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Imports an export as it comes, with no configuration needed: CSV in any of the encodings and delimiters
 * Excel and Booksy write, or an XLSX workbook.
 *
 * <p>The upload is first copied to a temporary file (deleted afterwards), because nothing about the file can
 * be decided from its first bytes alone: the encoding is decided from all of it ({@link TextEncoding}), and
 * the date format from every date cell ({@link DateColumns.Detector}). The file is then read twice, row by
 * row: a first pass detects, a second imports. Memory does not grow with the file; disk use is the file's
 * size (the hub caps uploads at {@code imports.maxBytes}).
 *
 * <p>Shape: CSV is read with FastCSV ({@link CsvTable}: {@code , ; tab} delimiters detected from the header
 * row, RFC 4180 quoting); XLSX with fastexcel-reader ({@link XlsxTable}: first sheet or the connection's
 * {@code sheet}, Excel serial dates). The first row is the header; each field's column is found by the
 * connection's {@code columnMapping} or the built-in multilingual header table ({@link HeaderAliases}). The
 * kind may be left out ({@code auto}) when the headers make it obvious ({@link Columns#inferKind}).
 *
 * <p>Rows: a row that cannot be taken is reported with {@link FileImportSink#rowIssue} (SKIPPED, row 17,
 * column 'Price', "not a price: 'abc'"), and the import goes on; blank rows are ignored. A problem with the file
 * itself (no header, a required column missing, an ambiguous date format, undecodable text, an unclosed
 * quote) ends the import with {@link ErrorCode#INVALID_INPUT} before any row is written, since the first pass
 * reads the whole file.
 *
 * <p>Identity: a row's external id is its id column when the file has one and the cell is not empty, and
 * otherwise a stable hash of the kind's identifying values ({@link CellValues#rowKey}), so re-importing the
 * same file is idempotent. Appointment rows also write their client (name, phone, email), keyed by phone, else
 * email, else name ({@link #clientKey}), the same key a clients file without ids gives, so one export yields
 * both and a person is one client however many rows name them; such a client never overwrites one a clients
 * file wrote ({@link #FROM_APPOINTMENT}). Rows carry no provider version, so a
 * re-imported row that changed replaces the stored one.
 *
 * <p>Times: local to the business's time zone. A local time that a daylight-saving change skips (a gap) or
 * repeats (an overlap) is never taken silently: by default ({@code dst=warn}) it is imported (moved forward
 * by the gap; the earlier of the two instants) and the row gets a warning saying so; with {@code dst=refuse}
 * the row is refused saying why.
 *
 * <p>Reports: before the rows, an {@link ImportReport} (format, encoding, delimiter or sheet, date format, column
 * to field); after them {@code "<kind>"}, {@code "<kind>: valid"} and
 * {@code "<kind>: invalid"} out of the rows read. What was created, updated or unchanged is the run's own count:
 * the sink may write in batches and answer {@link UpsertOutcome#PENDING}, so the importer cannot count it. Progress
 * every {@code progressInterval} rows (total
 * -1) also checks {@link SyncSink#cancelled()}; a cancelled import stops after the current row. A dry run
 * reads, maps, validates and upserts every row exactly as a real import: the hub's sink writes nothing in a dry
 * run but classifies each upsert, which gives the would-create / would-update / unchanged counts.
 */
final class CsvFileImporter implements FileImporter {
    /** What {@code kind} may be to let the headers decide. */
    static final String AUTO_KIND = "auto";
    private static final int STATUSES_LISTED = 20;
    private static final int RECENT_CLIENTS = 4096;
    private static final Pattern NOT_PHONE_DIGITS = Pattern.compile("[^0-9+]");
    /**
     * A client read from an appointment row is version 0 and one from a clients file version 1, so an
     * appointments import never overwrites what a clients file said about a person (it is a stale write); the
     * reverse, and a re-import of either, is applied as usual.
     */
    static final ProviderVersion FROM_APPOINTMENT = new ProviderVersion(0L, null);
    static final ProviderVersion FROM_CLIENTS_FILE = new ProviderVersion(1L, null);

    private final String connectorId;
    private final CsvImportConfig config;
    private final ZoneId zone;

    CsvFileImporter(String connectorId, CsvImportConfig config, ZoneId zone) {
        this.connectorId = requireNonNull(connectorId, "connectorId is null");
        this.config = requireNonNull(config, "config is null");
        this.zone = requireNonNull(zone, "zone is null");
    }

    @Override
    public Set<String> kinds() {
        Set<String> kinds = new LinkedHashSet<>(ImportKind.ids());
        kinds.add(AUTO_KIND);
        return kinds;
    }

    /**
     * {@inheritDoc}
     *
     * @param kind {@code appointments}, {@code clients}, {@code services}, or {@code auto} (or null) to infer it
     *             from the headers
     * @throws ConnectorException INVALID_INPUT for an unknown kind or an unreadable file
     */
    @Override
    public void importFile(String kind, InputStream input, boolean dryRun, FileImportSink sink) {
        requireNonNull(input, "input is null");
        requireNonNull(sink, "sink is null");
        ImportKind wanted = kind == null || kind.isBlank() || kind.strip().equalsIgnoreCase(AUTO_KIND) ? null
                : ImportKind.byId(kind).orElseThrow(() -> new ConnectorException(ErrorCode.INVALID_INPUT,
                        "unknown import kind '" + kind + "'; expected one of " + kinds()));
        Path file = null;
        try {
            file = Files.createTempFile("csv-import-", ".upload");
            Files.copy(input, file, StandardCopyOption.REPLACE_EXISTING);
            Source source = Source.of(file, config);
            Plan plan;
            try (Table table = source.open()) {
                plan = scan(wanted, table);
            }
            ImportKind found = plan.columns.kind();
            sink.report(new ImportReport(plan.shape.format(), found.id(), found.recordKind(), plan.shape.encoding(),
                    plan.shape.delimiter(), plan.dateFormat == null ? null : DateColumns.display(plan.dateFormat),
                    plan.shape.sheet(), plan.columns.mappings()));
            try (Table table = source.open()) {
                Table.SheetRow header = table.next();
                while (header != null && header.number() < plan.headerRow()) {
                    header = table.next();
                }
                run(plan, table, dryRun, sink);
            }
        } catch (Table.FormatException e) {
            throw new ConnectorException(ErrorCode.INVALID_INPUT, e.getMessage());
        } catch (IOException e) {
            throw new ConnectorException(ErrorCode.INVALID_INPUT, "the file could not be read: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // The temporary directory is cleaned by the system; the import's outcome stands.
                }
            }
        }
    }

    // ------------------------------------------------------------------ first pass

    /** How a file is opened: as an XLSX sheet or as CSV text in the encoding found for the whole file. */
    private record Source(Path file, TextEncoding encoding, CsvImportConfig config) {
        static Source of(Path file, CsvImportConfig config) throws IOException {
            byte[] head = new byte[8];
            int n;
            try (InputStream in = Files.newInputStream(file)) {
                n = in.readNBytes(head, 0, head.length);
            }
            if (n == 0) {
                throw new ConnectorException(ErrorCode.INVALID_INPUT, "the file is empty; expected a header row");
            }
            return new Source(file, XlsxTable.looksLikeXlsx(head) ? null : TextEncoding.detect(file), config);
        }

        Table open() throws IOException, Table.FormatException {
            return encoding == null ? XlsxTable.open(file, config.sheet())
                    : CsvTable.open(file, encoding, config.delimiter());
        }
    }

    /** What the first pass decided for the file. */
    private record Plan(long headerRow, Table.Shape shape, Columns columns, String dateFormat,
            Map<String, Long> unknownStatuses) {
        boolean csv() {
            return shape.encoding() != null;
        }
    }

    private Plan scan(ImportKind wanted, Table table) throws IOException, Table.FormatException {
        Table.SheetRow first = table.next();
        while (first != null && first.blank()) {
            first = table.next();
        }
        if (first == null) {
            throw new ConnectorException(ErrorCode.INVALID_INPUT, "the file is empty; expected a header row");
        }
        Table.SheetRow header = first;
        ImportKind kind = wanted != null ? wanted : Columns.inferKind(header.cells()).orElseThrow(() ->
                new ConnectorException(ErrorCode.INVALID_INPUT, "cannot tell what the file holds from its headers "
                        + header.cells() + "; upload it with kind=appointments, clients or services"));
        Columns columns = Columns.of(kind, header.cells(), config);
        DateColumns.Detector dates = new DateColumns.Detector();
        Map<String, Long> unknown = new LinkedHashMap<>();
        List<String> dateFields = List.of("date", "startDateTime", "endDateTime");
        Table.SheetRow row;
        while ((row = table.next()) != null) {
            for (String field : dateFields) {
                int index = columns.index(field);
                if (index >= 0 && index < row.cells().size()) {
                    dates.add(columns.header(field), row.cells().get(index));
                }
            }
            int status = columns.index("status");
            if (status >= 0 && status < row.cells().size()) {
                String text = row.cells().get(status).strip();
                if (CellValues.status(text, config.statusMapping()).isEmpty()
                        && (unknown.containsKey(text) || unknown.size() < STATUSES_LISTED)) {
                    unknown.merge(text, 1L, Long::sum);
                }
            }
        }
        String dateFormat = null;
        if (config.dateFormat() == null && (columns.has("date") || columns.has("startDateTime"))) {
            try {
                dateFormat = dates.format(config.locale());
            } catch (IllegalArgumentException e) {
                throw new ConnectorException(ErrorCode.INVALID_INPUT, e.getMessage());
            }
        }
        return new Plan(header.number(), table.shape(), columns, dateFormat, unknown);
    }

    // ------------------------------------------------------------------ second pass

    private void run(Plan plan, Table table, boolean dryRun, FileImportSink sink) throws IOException, Table.FormatException {
        ImportKind kind = plan.columns.kind();
        long read = 0;
        long valid = 0;
        Map<String, Boolean> recentClients = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > RECENT_CLIENTS;
            }
        };
        Table.SheetRow record;
        while ((record = table.next()) != null) {
            if (record.blank()) {
                continue;
            }
            read++;
            Row row = new Row(plan, record);
            long number = record.number();
            try {
                // A CSV row must have the header's width; a spreadsheet leaves trailing empty cells out.
                if (plan.csv() ? record.cells().size() != plan.columns.width()
                        : record.cells().size() > plan.columns.width()) {
                    throw new RowException(null, "has " + record.cells().size() + " columns, the header has "
                            + plan.columns.width());
                }
                // No database stores a NUL character as text: such a row is refused here, in a dry run too,
                // instead of failing the real import when it is written.
                for (int i = 0; i < record.cells().size(); i++) {
                    if (record.cells().get(i).indexOf('\u0000') >= 0) {
                        throw new RowException(plan.columns.headers().get(i), "contains a NUL character");
                    }
                }
                Mapped mapped = map(kind, row);
                valid++;
                mapped.warnings.forEach(w -> sink.rowIssue(new RowIssue(RowIssue.Level.WARNING, kind.recordKind(),
                        mapped.id(), number, w.header(), w.reason())));
                // Also in a dry run: the hub's sink then writes nothing and classifies the record instead.
                upsert(sink, mapped.record);
                if (mapped.client != null && recentClients.put(mapped.client.ref().externalId() + '\u001f'
                        + mapped.client.name() + '\u001f' + mapped.client.phone() + '\u001f'
                        + mapped.client.email(), true) == null) {
                    sink.upsert(mapped.client);
                }
            } catch (RowException e) {
                sink.rowIssue(new RowIssue(RowIssue.Level.SKIPPED, kind.recordKind(),
                        e.externalId == null ? safeId(row) : e.externalId, row.number(), e.header, e.getMessage()));
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
    private static String safeId(Row row) {
        String id = row.value("externalId");
        return id == null || id.length() > 255 ? null : id;
    }

    private static UpsertOutcome upsert(FileImportSink sink, Object mapped) {
        if (mapped instanceof Appointment a) {
            return sink.upsert(a);
        } else if (mapped instanceof Client c) {
            return sink.upsert(c);
        } else if (mapped instanceof Service s) {
            return sink.upsert(s);
        }
        throw new IllegalStateException("unexpected record " + mapped.getClass());
    }

    // ------------------------------------------------------------------ mapping

    /** A row's record, the client it names (appointments), and warnings to report with it. */
    private record Mapped(Object record, String id, Client client, List<Warning> warnings) {
    }

    /** Something to tell about a row that was imported anyway: the column's header and what. */
    private record Warning(String header, String reason) {
    }

    private Mapped map(ImportKind kind, Row row) throws RowException {
        return switch (kind) {
            case APPOINTMENTS -> appointment(row);
            case CLIENTS -> {
                Client c = client(row);
                yield new Mapped(c, c.ref().externalId(), null, List.of());
            }
            case SERVICES -> {
                Service s = service(row);
                yield new Mapped(s, s.ref().externalId(), null, List.of());
            }
        };
    }

    private String id(ImportKind kind, Row row, List<String> identifying) throws RowException {
        String id = row.value("externalId");
        if (id == null) {
            return CellValues.rowKey(kind.id(), identifying);
        }
        if (id.length() > 255) {
            throw new RowException(row.header("externalId"), "longer than 255 characters");
        }
        return id;
    }

    /**
     * The external id of a client without an id column: by phone (digits and a leading +), else email
     * (lower case), else name, so the rows of one person are one client even when the name is spelled
     * differently.
     */
    static String clientKey(String name, String phone, String email) {
        if (phone != null && !phone.isBlank()) {
            String digits = NOT_PHONE_DIGITS.matcher(phone).replaceAll("");
            return CellValues.rowKey("client-phone", List.of(digits));
        }
        if (email != null && !email.isBlank()) {
            return CellValues.rowKey("client-email", List.of(email.strip().toLowerCase(Locale.ROOT)));
        }
        return CellValues.rowKey("client-name", List.of(name == null ? "" : name));
    }

    private Mapped appointment(Row row) throws RowException {
        String rawId = row.value("externalId");
        List<Warning> warnings = new ArrayList<>();
        LocalDateTime localStart = start(row, rawId);
        Instant start = at(localStart, null, row, row.columns().has("startDateTime") ? "startDateTime" : "startTime",
                warnings, rawId);
        Instant end = end(row, localStart, start, warnings, rawId);
        String client = row.value("client");
        String phone = row.value("clientPhone");
        String email = row.value("clientEmail");
        String service = row.value("service");
        String staff = row.value("staff");
        String id = id(ImportKind.APPOINTMENTS, row, List.of(start.toString(), nullToEmpty(staff),
                nullToEmpty(client), nullToEmpty(phone), nullToEmpty(service)));
        String statusText = row.value("status");
        AppointmentStatus status = CellValues.status(statusText, config.statusMapping()).orElseThrow(() ->
                new RowException(row.header("status"), "unknown status '" + statusText + "'; unknown statuses in "
                        + "this file: " + row.plan().unknownStatuses().entrySet().stream()
                                .map(e -> "'" + e.getKey() + "' (" + e.getValue() + ")").toList()
                        + "; map them with the connection's statusMapping", id));
        Client linked = null;
        String clientId = null;
        if (client != null || phone != null || email != null) {
            clientId = clientKey(client, phone, email);
            linked = new Client(new ExternalRef(connectorId, clientId), client == null ? nullToEmpty(phone == null
                    ? email : phone) : client, email, phone, FROM_APPOINTMENT, null);
        }
        String serviceId = service == null ? null : CellValues.rowKey(ImportKind.SERVICES.id(), List.of(service));
        String staffId = staff == null ? null : CellValues.rowKey("staff", List.of(staff));
        Appointment appointment = new Appointment(new ExternalRef(connectorId, id), clientId, null,
                List.of(new AppointmentSegment(serviceId, null, staffId, start, end)),
                zone, status, statusText, null, null, row.value("notes"), money(row, "price", id), null,
                ProviderVersion.UNKNOWN, row.rawJson());
        return new Mapped(appointment, id, linked, warnings);
    }

    private LocalDateTime start(Row row, String id) throws RowException {
        if (row.columns().has("startDateTime")) {
            return dateTime(row, "startDateTime", id);
        }
        return LocalDateTime.of(date(row, "date", id), time(row, "startTime", id));
    }

    private Instant end(Row row, LocalDateTime localStart, Instant start, List<Warning> warnings, String id)
            throws RowException {
        String field;
        Instant end;
        if (row.columns().has("endDateTime") && row.value("endDateTime") != null || !row.columns().has("endTime")
                && !row.columns().has("duration")) {
            field = "endDateTime";
            end = at(dateTime(row, field, id), start, row, field, warnings, id);
        } else if (row.columns().has("endTime") && (row.value("endTime") != null || !row.columns().has("duration"))) {
            field = "endTime";
            end = at(LocalDateTime.of(localStart.toLocalDate(), time(row, field, id)), start, row, field, warnings, id);
        } else {
            field = "duration";
            String text = required(row, field, id);
            try {
                // A duration is elapsed time: across a DST change the end's wall clock moves with it.
                end = start.plus(CellValues.duration(text));
            } catch (IllegalArgumentException e) {
                throw new RowException(row.header(field), e.getMessage(), id);
            }
        }
        if (!end.isAfter(start)) {
            throw new RowException(row.header(field), "'" + row.value(field) + "' is not after the start", id);
        }
        return end;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private Client client(Row row) throws RowException {
        String name = row.value("name");
        String phone = row.value("phone");
        String email = row.value("email");
        String id = row.value("externalId") != null ? id(ImportKind.CLIENTS, row, List.of())
                : clientKey(name, phone, email);
        if (name == null) {
            throw new RowException(row.header("name"), "empty; a client needs a name", id);
        }
        return new Client(new ExternalRef(connectorId, id), name, email, phone, FROM_CLIENTS_FILE, row.rawJson());
    }

    private Service service(Row row) throws RowException {
        String name = row.value("name");
        String id = id(ImportKind.SERVICES, row, List.of(nullToEmpty(name), nullToEmpty(row.value("category"))));
        if (name == null) {
            throw new RowException(row.header("name"), "empty; a service needs a name", id);
        }
        String durationText = required(row, "duration", id);
        Duration duration;
        try {
            duration = CellValues.duration(durationText);
        } catch (IllegalArgumentException e) {
            throw new RowException(row.header("duration"), e.getMessage(), id);
        }
        return new Service(new ExternalRef(connectorId, id), name, row.value("category"), row.value("description"),
                List.of(new ServiceVariant("default", name, duration, money(row, "price", id))), true,
                ProviderVersion.UNKNOWN, row.rawJson());
    }

    /** The price with its scale, in the row's currency column, else the currency its text names, else the connection's. */
    private Money money(Row row, String field, String id) throws RowException {
        String text = row.value(field);
        if (text == null) {
            return null;
        }
        String currency = row.value("currency");
        String code;
        if (currency != null) {
            code = CellValues.currencyIn(currency).orElseThrow(() -> new RowException(row.header("currency"),
                    "'" + currency + "' is not a currency (expected an ISO 4217 code such as PLN or EUR)", id));
        } else {
            code = CellValues.currencyIn(text).orElse(config.currency());
        }
        try {
            return new Money(CellValues.price(text), code);
        } catch (IllegalArgumentException e) {
            throw new RowException(row.header(field), e.getMessage(), id);
        }
    }

    private static String required(Row row, String field, String id) throws RowException {
        String text = row.value(field);
        if (text == null) {
            throw new RowException(row.header(field), "empty", id);
        }
        return text;
    }

    private LocalDate date(Row row, String field, String id) throws RowException {
        return temporal(row, field, id, config.dateFormat(), LocalDate::from,
                text -> DateColumns.date(text, row.plan().dateFormat()));
    }

    private LocalTime time(Row row, String field, String id) throws RowException {
        return temporal(row, field, id, config.timeFormat(), LocalTime::from, DateColumns::time);
    }

    private LocalDateTime dateTime(Row row, String field, String id) throws RowException {
        String detectedFormat = row.plan().dateFormat() == null ? DateColumns.FORMATS.get(0) : row.plan().dateFormat();
        return temporal(row, field, id, config.dateTimeFormat(), LocalDateTime::from,
                text -> DateColumns.dateTime(text, detectedFormat));
    }

    /**
     * A date or time from {@code field}: in the format the connection configured when it has one, else as the
     * whole column's detection decided ({@code detected} throws IllegalArgumentException with the reason).
     */
    private static <T> T temporal(Row row, String field, String id, CsvImportConfig.DateFormat configured,
            TemporalQuery<T> query, Function<String, T> detected) throws RowException {
        String text = required(row, field, id);
        if (configured != null) {
            try {
                return configured.formatter().parse(text, query);
            } catch (DateTimeParseException e) {
                throw new RowException(row.header(field), "'" + text + "' is not a valid date or time in the format '"
                        + configured.pattern() + "'", id);
            }
        }
        try {
            return detected.apply(text);
        } catch (IllegalArgumentException e) {
            throw new RowException(row.header(field), e.getMessage(), id);
        }
    }

    /**
     * A local time in the business zone. In an overlap the end prefers the start's offset, so a short
     * appointment in the repeated hour does not end before it starts; otherwise the earlier offset.
     */
    private Instant at(LocalDateTime local, Instant start, Row row, String field, List<Warning> warnings, String id)
            throws RowException {
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
        if (offsets.size() == 1) {
            return local.atOffset(offsets.get(0)).toInstant();
        }
        String header = row.header(field);
        if (offsets.isEmpty()) {
            ZonedDateTime moved = ZonedDateTime.ofLocal(local, zone, null);
            String reason = "'" + local.toLocalTime() + "' on " + local.toLocalDate() + " does not exist in " + zone
                    + " (the clocks skip it for daylight saving)";
            if (config.dstPolicy() == CsvImportConfig.DstPolicy.REFUSE) {
                throw new RowException(header, reason, id);
            }
            warnings.add(new Warning(header, reason + "; imported as " + moved.toLocalTime() + " "
                    + moved.getOffset()));
            return moved.toInstant();
        }
        ZoneOffset offset = start != null && offsets.contains(start.atZone(zone).getOffset())
                ? start.atZone(zone).getOffset() : offsets.get(0);
        String reason = "'" + local.toLocalTime() + "' on " + local.toLocalDate() + " occurs twice in " + zone
                + " (the clocks go back for daylight saving)";
        if (config.dstPolicy() == CsvImportConfig.DstPolicy.REFUSE) {
            throw new RowException(header, reason, id);
        }
        warnings.add(new Warning(header, reason + "; imported as " + local.toLocalTime() + " " + offset));
        return local.atOffset(offset).toInstant();
    }

    // ------------------------------------------------------------------ rows

    /** One record seen through the columns. Values are trimmed; blank cells and absent columns are null. */
    private final class Row {
        private final Plan plan;
        private final Table.SheetRow record;

        Row(Plan plan, Table.SheetRow record) {
            this.plan = plan;
            this.record = record;
        }

        Plan plan() {
            return plan;
        }

        Columns columns() {
            return plan.columns;
        }

        long number() {
            return record.number();
        }

        String value(String field) {
            int index = plan.columns.index(field);
            if (index < 0 || index >= record.cells().size()) {
                return null;
            }
            String v = record.cells().get(index).strip();
            return v.isEmpty() ? null : v;
        }

        String header(String field) {
            String header = plan.columns.header(field);
            return header != null ? header : field;
        }

        /** The row as a JSON object of header to cell, as the provider's raw record; no row number (stable). */
        String rawJson() {
            Map<String, String> raw = new LinkedHashMap<>();
            List<String> headers = plan.columns.headers();
            for (int i = 0; i < headers.size() && i < record.cells().size(); i++) {
                raw.putIfAbsent(headers.get(i), record.cells().get(i));
            }
            try {
                return Json.MAPPER.writeValueAsString(raw);
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
