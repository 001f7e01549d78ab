package io.bookinghub.connectors.csvimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Client;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.fileimport.ColumnMapping;
import io.bookinghub.spi.fileimport.FileImporter;
import io.bookinghub.spi.fileimport.ImportReport;
import io.bookinghub.spi.fileimport.RowIssue;
import io.bookinghub.spi.sync.UpsertOutcome;
import io.bookinghub.testkit.InMemorySyncSink;
import io.bookinghub.testkit.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.Test;

/**
 * Exports as salons produce them, in each language, encoding and format, uploaded with no configuration
 * (kind {@code auto} unless stated). Each fixture is written here, byte for byte, and each test asserts the
 * exact records, the exact row errors and what the importer detected.
 */
class LocalizedExportTest {
    private static final ZoneId WARSAW = ZoneId.of("Europe/Warsaw");

    private final InMemorySyncSink sink = new InMemorySyncSink();

    private static FileImporter importer(Map<String, Object> config) {
        TestContext context = TestContext.of(new CsvImportConnectorFactory(), config).withZone(WARSAW);
        return new CsvImportConnectorFactory().create(context).fileImport();
    }

    private void load(byte[] file) {
        load(Map.of(), "auto", file, false);
    }

    private void load(Map<String, Object> config, String kind, byte[] file, boolean dryRun) {
        // As the hub's sink does in a dry run, the test sink then classifies upserts and stores nothing.
        sink.dryRun(dryRun);
        importer(config).importFile(kind, new ByteArrayInputStream(file), dryRun, sink);
    }

    private static byte[] encode(String text, Charset charset) {
        return text.getBytes(charset);
    }

    private List<Appointment> appointments() {
        return sink.records(RecordKind.APPOINTMENT, Appointment.class).values().stream()
                .sorted(Comparator.comparing(Appointment::start)).toList();
    }

    private List<Client> clients() {
        return sink.records(RecordKind.CLIENT, Client.class).values().stream()
                .sorted(Comparator.comparing(Client::name)).toList();
    }

    /** The report's format, encoding, delimiter, date format and sheet. */
    private List<String> detected() {
        assertThat(sink.reports()).hasSize(1);
        ImportReport r = sink.reports().get(0);
        return Arrays.asList(r.format(), r.encoding(), r.delimiter(), r.dateFormat(), r.sheet());
    }

    private List<String> stages(String prefix) {
        return sink.progress().stream().map(InMemorySyncSink.Progress::stage).filter(s -> s.startsWith(prefix))
                .toList();
    }

    private List<String> errors() {
        return sink.skipped().stream().map(InMemorySyncSink.Skip::reason).toList();
    }

    private long count(RecordKind kind, UpsertOutcome outcome) {
        return sink.upserts().stream().filter(u -> u.key().kind() == kind && u.outcome() == outcome).count();
    }

    private static void assertAppointment(Appointment a, String start, String end, AppointmentStatus status,
            String price, String currency) {
        assertThat(a.start()).isEqualTo(Instant.parse(start));
        assertThat(a.end()).isEqualTo(Instant.parse(end));
        assertThat(a.status()).isEqualTo(status);
        if (price == null) {
            assertThat(a.price()).isNull();
        } else {
            assertThat(a.price().amount()).hasToString(price);
            assertThat(a.price().currency()).isEqualTo(currency);
        }
    }

    @Test
    void polishWindows1250SemicolonWithoutBom() {
        String csv = "Data wizyty;Godzina;Czas trwania (min);Usługa;Pracownik;Klient;Telefon;Cena;Status\r\n"
                + "07.12.2026;10:00;45;Strzyżenie damskie;Łucja Świątek;Zofia Żółć;+48 600 100 200;1 200,00 zł;"
                + "Zarezerwowana\r\n"
                + "07.12.2026;11:30;1:15;Koloryzacja;Łucja Świątek;Zofia Żółć;+48 600 100 200;350;Nie przyszedł\r\n"
                + "08.12.2026;09:00;dużo;Strzyżenie męskie;Jan;Grzegorz Brzęczyszczykiewicz;;80;Zakończona\r\n";
        load(encode(csv, TextEncoding.WINDOWS_1250));

        assertThat(detected()).containsExactly("CSV", "windows-1250", ";", "dd.MM.yyyy", null);
        assertThat(sink.reports()).singleElement().satisfies(r -> assertThat(r.columns()).containsExactly(
                new ColumnMapping("Data wizyty", "date"),
                new ColumnMapping("Godzina", "startTime"),
                new ColumnMapping("Czas trwania (min)", "duration"),
                new ColumnMapping("Usługa", "service"),
                new ColumnMapping("Pracownik", "staff"),
                new ColumnMapping("Klient", "client"),
                new ColumnMapping("Telefon", "clientPhone"),
                new ColumnMapping("Cena", "price"),
                new ColumnMapping("Status", "status")));
        List<Appointment> appointments = appointments();
        assertThat(appointments).hasSize(2);
        assertAppointment(appointments.get(0), "2026-12-07T09:00:00Z", "2026-12-07T09:45:00Z",
                AppointmentStatus.BOOKED, "1200.00", "PLN");
        assertAppointment(appointments.get(1), "2026-12-07T10:30:00Z", "2026-12-07T11:45:00Z",
                AppointmentStatus.NO_SHOW, "350.00", "PLN");
        assertThat(appointments.get(0).providerStatus()).isEqualTo("Zarezerwowana");
        assertThat(appointments.get(0).rawJson()).contains("\"Usługa\":\"Strzyżenie damskie\"");
        // One person, one client, linked from both rows.
        assertThat(clients()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("Zofia Żółć");
            assertThat(c.phone()).isEqualTo("+48 600 100 200");
            assertThat(c.ref().externalId()).isEqualTo(appointments.get(0).clientExternalId())
                    .isEqualTo(appointments.get(1).clientExternalId());
        });
        assertThat(errors()).containsExactly("row 4, column 'Czas trwania (min)': not a duration: 'dużo' (expected "
                + "minutes, H:MM or 1h 30min)");
    }

    @Test
    void polishUtf8WithBomCrlfAndQuotedSemicolonsAndNewlines() {
        String csv = "\uFEFFData;Godzina rozpoczęcia;Godzina zakończenia;Usługa;Pracownik;Klient;E-mail;Cena;Status;"
                + "Uwagi\r\n"
                + "09.12.2026;14:00;15:30;\"Strzyżenie; modelowanie\";Ola;Anna Nowak;anna@example.com;\"120,50\";"
                + "Potwierdzona;\"Alergia na farbę;\r\nprosi o \"\"ciszę\"\"\"\r\n"
                + "09.12.2026;16:00;16:30;Grzywka;Ola;Anna Nowak;ANNA@example.com;40;Odwołana przez klienta;\r\n";
        load(encode(csv, StandardCharsets.UTF_8));

        assertThat(detected()).containsExactly("CSV", "UTF-8 (BOM)", ";", "dd.MM.yyyy", null);
        List<Appointment> appointments = appointments();
        assertThat(appointments).hasSize(2);
        assertAppointment(appointments.get(0), "2026-12-09T13:00:00Z", "2026-12-09T14:30:00Z",
                AppointmentStatus.CONFIRMED, "120.50", "PLN");
        assertThat(appointments.get(0).businessNote()).isEqualTo("Alergia na farbę;\r\nprosi o \"ciszę\"");
        assertThat(appointments.get(0).rawJson()).contains("\"Usługa\":\"Strzyżenie; modelowanie\"");
        assertAppointment(appointments.get(1), "2026-12-09T15:00:00Z", "2026-12-09T15:30:00Z",
                AppointmentStatus.CANCELLED_BY_CLIENT, "40.00", "PLN");
        // Deduplicated by email, whatever its case.
        assertThat(clients()).singleElement().satisfies(c -> assertThat(c.email()).isEqualTo("ANNA@example.com"));
        assertThat(errors()).isEmpty();
    }

    @Test
    void englishIsoDatesAnd12HourTimes() {
        String csv = "Appointment ID,Date,Start time,End time,Service,Staff,Customer,Phone,Price,Status\n"
                + "B-1,2026-12-07,9:00 AM,10:15 AM,Haircut,Sam,John Smith,+44 7700 900123,\"1,200.00\",Confirmed\n"
                + "B-2,2026-12-07,2:30 PM,3:00 PM,Beard trim,Sam,John Smith,+44 7700 900123,25,No-show\n"
                + "B-3,2026-12-07,13:30 PM,2:00 PM,Beard trim,Sam,Ann,,25,Booked\n";
        load(Map.of("currency", "GBP"), "auto", encode(csv, StandardCharsets.UTF_8), false);

        assertThat(detected()).containsExactly("CSV", "UTF-8", ",", "yyyy-MM-dd", null);
        Map<String, Appointment> byId = sink.records(RecordKind.APPOINTMENT, Appointment.class);
        assertThat(byId).containsOnlyKeys("B-1", "B-2");
        assertAppointment(byId.get("B-1"), "2026-12-07T08:00:00Z", "2026-12-07T09:15:00Z",
                AppointmentStatus.CONFIRMED, "1200.00", "GBP");
        assertAppointment(byId.get("B-2"), "2026-12-07T13:30:00Z", "2026-12-07T14:00:00Z",
                AppointmentStatus.NO_SHOW, "25.00", "GBP");
        assertThat(errors()).containsExactly("row 4, column 'Start time': '13:30 PM' is not a 12-hour time");
    }

    @Test
    void spanishDayFirstSlashesDecidedByTheWholeColumn() {
        // The first rows fit dd/MM and MM/dd alike; the 25th of December in the last row decides.
        String csv = "Fecha;Hora;Duración;Servicio;Profesional;Cliente;Teléfono;Precio;Estado\n"
                + "03/12/2026;10:00;30;Corte;Lucía;María García;+34 600 111 222;25,00 €;Confirmada\n"
                + "04/12/2026;11:00;1:00;Tinte;Lucía;María García;+34 600 111 222;60;Cancelada por el cliente\n"
                + "25/12/2026;12:00;45;Peinado;Lucía;Carmen Ruiz;;35;Finalizada\n"
                + "26/12/2026;12:00;45;Peinado;Lucía;Carmen Ruiz;;35;Aplazada\n";
        load(encode(csv, StandardCharsets.UTF_8));

        assertThat(detected()).containsExactly("CSV", "UTF-8", ";", "dd/MM/yyyy", null);
        List<Appointment> appointments = appointments();
        assertThat(appointments).hasSize(3);
        assertAppointment(appointments.get(0), "2026-12-03T09:00:00Z", "2026-12-03T09:30:00Z",
                AppointmentStatus.CONFIRMED, "25.00", "EUR");
        assertAppointment(appointments.get(1), "2026-12-04T10:00:00Z", "2026-12-04T11:00:00Z",
                AppointmentStatus.CANCELLED_BY_CLIENT, "60.00", "PLN");
        assertAppointment(appointments.get(2), "2026-12-25T11:00:00Z", "2026-12-25T11:45:00Z",
                AppointmentStatus.COMPLETED, "35.00", "PLN");
        assertThat(clients()).extracting(Client::name).containsExactly("Carmen Ruiz", "María García");
        assertThat(errors()).containsExactly("row 5, column 'Estado': unknown status 'Aplazada'; unknown statuses "
                + "in this file: ['Aplazada' (1)]; map them with the connection's statusMapping");

        // The connection's statusMapping takes it.
        sink.newRun();
        load(Map.of("statusMapping", "{\"aplazada\": \"booked\"}"), "appointments", encode(csv,
                StandardCharsets.UTF_8), false);
        assertThat(errors()).isEmpty();
        assertThat(appointments()).hasSize(4).last().satisfies(a ->
                assertThat(a.status()).isEqualTo(AppointmentStatus.BOOKED));
    }

    @Test
    void portugueseWindows1252() {
        String csv = "Data;Hora de início;Hora de término;Serviço;Profissional;Cliente;Preço;Situação\r\n"
                + "10.12.2026;09:00;09:40;Manicure;Inês;João Gonçalves;R$ 45,90;Concluído\r\n"
                + "10.12.2026;10:00;10:40;Pedicure;Inês;João Gonçalves;55;Não compareceu\r\n";
        load(encode(csv, Charset.forName("windows-1252")));

        assertThat(detected()).containsExactly("CSV", "windows-1252", ";", "dd.MM.yyyy", null);
        List<Appointment> appointments = appointments();
        assertThat(appointments).hasSize(2);
        assertAppointment(appointments.get(0), "2026-12-10T08:00:00Z", "2026-12-10T08:40:00Z",
                AppointmentStatus.COMPLETED, "45.90", "BRL");
        assertAppointment(appointments.get(1), "2026-12-10T09:00:00Z", "2026-12-10T09:40:00Z",
                AppointmentStatus.NO_SHOW, "55.00", "PLN");
        assertThat(clients()).extracting(Client::name).containsExactly("João Gonçalves");
        assertThat(errors()).isEmpty();
    }

    @Test
    void utf16ExcelUnicodeTextIsTabSeparated() {
        String text = "Klient\tTelefon\tE-mail\r\nŻaneta Kęs\t600 700 800\t\r\nPaweł Łoś\t\tpawel@example.com\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE});
        out.writeBytes(text.getBytes(StandardCharsets.UTF_16LE));
        load(out.toByteArray());

        assertThat(detected()).containsExactly("CSV", "UTF-16LE (BOM)", "\\t", null, null);
        assertThat(stages("clients")).as("the kind was inferred from the headers").isNotEmpty();
        assertThat(clients()).extracting(Client::name, Client::phone, Client::email).containsExactly(
                tuple("Paweł Łoś", null, "pawel@example.com"),
                tuple("Żaneta Kęs", "600 700 800", null));
        assertThat(errors()).isEmpty();
    }

    /** An XLSX as Excel writes it: dates and times are serial numbers with a date format, prices numbers. */
    static byte[] xlsx(String sheetName, int rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Workbook workbook = new Workbook(out, "test", "1.0");
        workbook.newWorksheet("Notes").value(0, 0, "not this sheet");
        Worksheet sheet = workbook.newWorksheet(sheetName);
        List<String> header = List.of("Data wizyty", "Godzina", "Czas trwania (min)", "Usługa", "Klient", "Cena",
                "Status");
        for (int c = 0; c < header.size(); c++) {
            sheet.value(0, c, header.get(c));
        }
        for (int r = 1; r <= rows; r++) {
            sheet.value(r, 0, LocalDate.of(2026, 12, 1 + r % 28));
            sheet.style(r, 0).format("dd.mm.yyyy").set();
            // 10:30 is 0.4375 of a day.
            sheet.value(r, 1, 0.4375);
            sheet.style(r, 1).format("hh:mm").set();
            sheet.value(r, 2, 45);
            sheet.value(r, 3, "Strzyżenie");
            sheet.value(r, 4, "Klientka " + r);
            sheet.value(r, 5, 1200.5);
            sheet.value(r, 6, r % 2 == 0 ? "Potwierdzona" : "Zakończona");
        }
        workbook.finish();
        return out.toByteArray();
    }

    @Test
    void xlsxWithExcelSerialDatesFromANamedSheet() throws IOException {
        byte[] file = xlsx("Wizyty", 2);
        load(Map.of("sheet", "Wizyty"), "appointments", file, false);

        assertThat(detected()).containsExactly("XLSX", null, null, "yyyy-MM-dd", "Wizyty");
        List<Appointment> appointments = appointments();
        assertThat(appointments).hasSize(2);
        assertAppointment(appointments.get(0), "2026-12-02T09:30:00Z", "2026-12-02T10:15:00Z",
                AppointmentStatus.COMPLETED, "1200.50", "PLN");
        assertAppointment(appointments.get(1), "2026-12-03T09:30:00Z", "2026-12-03T10:15:00Z",
                AppointmentStatus.CONFIRMED, "1200.50", "PLN");
        assertThat(errors()).isEmpty();

        // Without a sheet setting the first sheet is read, and it is not an appointments export.
        assertThatThrownBy(() -> load(Map.of(), "appointments", file, false))
                .hasMessageStartingWith("the appointments file has no column");
        assertThatThrownBy(() -> load(Map.of("sheet", "Arkusz9"), "appointments", file, false))
                .hasMessage("the workbook has no sheet 'Arkusz9'; its sheets are [Notes, Wizyty]");
    }

    @Test
    void aTimeInTheSpringGapIsImportedWithAWarningOrRefused() {
        // Warsaw skips 02:00-03:00 on 29 March 2026.
        String csv = "Data;Godzina;Czas trwania;Usługa;Klient\n"
                + "29.03.2026;02:30;60;Strzyżenie;Anna\n"
                + "25.10.2026;02:30;30;Strzyżenie;Anna\n";
        load(encode(csv, StandardCharsets.UTF_8));
        List<Appointment> appointments = appointments();
        assertThat(appointments).hasSize(2);
        assertThat(appointments.get(0).start()).as("moved forward by the gap: 03:30 +02:00")
                .isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        assertThat(appointments.get(1).start()).as("the earlier of the two 02:30s")
                .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(sink.warnings()).extracting(InMemorySyncSink.Skip::reason).containsExactly(
                "row 2, column 'Godzina': '02:30' on 2026-03-29 does not exist in Europe/Warsaw (the clocks skip it "
                        + "for daylight saving); imported as 03:30 +02:00",
                "row 3, column 'Godzina': '02:30' on 2026-10-25 occurs twice in Europe/Warsaw (the clocks go back "
                        + "for daylight saving); imported as 02:30 +02:00");
        assertThat(errors()).isEmpty();

        sink.newRun();
        load(Map.of("dst", "refuse"), "auto", encode(csv, StandardCharsets.UTF_8), true);
        assertThat(errors()).containsExactly(
                "row 2, column 'Godzina': '02:30' on 2026-03-29 does not exist in Europe/Warsaw (the clocks skip it "
                        + "for daylight saving)",
                "row 3, column 'Godzina': '02:30' on 2026-10-25 occurs twice in Europe/Warsaw (the clocks go back "
                        + "for daylight saving)");
        assertThat(sink.warnings()).isEmpty();
    }

    @Test
    void duplicateRowsAreOneAppointmentAndAReUploadChangesNothing() {
        String csv = "Data;Godzina;Czas trwania;Usługa;Pracownik;Klient;Cena\n"
                + "07.12.2026;10:00;45;Strzyżenie;Ola;Anna;80\n"
                + "07.12.2026;10:00;45;Strzyżenie;Ola;Anna;80\n"
                + "07.12.2026;11:00;45;Strzyżenie;Ola;Anna;80\n";
        load(encode(csv, StandardCharsets.UTF_8));
        assertThat(appointments()).hasSize(2);
        assertThat(count(RecordKind.APPOINTMENT, UpsertOutcome.CREATED)).isEqualTo(2);
        assertThat(count(RecordKind.APPOINTMENT, UpsertOutcome.UNCHANGED)).as("the duplicate row").isEqualTo(1);

        sink.newRun();
        load(encode(csv, StandardCharsets.UTF_8));
        assertThat(sink.outcomes()).containsEntry(UpsertOutcome.UNCHANGED, 4L).containsEntry(UpsertOutcome.CREATED, 0L)
                .containsEntry(UpsertOutcome.UPDATED, 0L);
    }

    @Test
    void anAmbiguousDateColumnIsRefusedUnlessTheLocaleDecides() {
        String csv = "Date,Time,Duration,Service,Client\n03/04/2026,10:00,30,Cut,Ann\n05/06/2026,10:00,30,Cut,Ann\n";
        assertThatThrownBy(() -> load(encode(csv, StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ConnectorException.class, e ->
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessage("the dates in column 'Date' fit more than one format (dd/MM/yyyy, MM/dd/yyyy), e.g. "
                        + "'03/04/2026'; set the connection's locale (e.g. pl-PL or en-US) or its dateFormat");
        assertThat(sink.upserts()).isEmpty();

        load(Map.of("locale", "en-US"), "auto", encode(csv, StandardCharsets.UTF_8), false);
        assertThat(appointments()).first().satisfies(a ->
                assertThat(a.start()).isEqualTo(LocalDateTime.of(2026, 3, 4, 10, 0).atZone(WARSAW).toInstant()));
        sink.newRun();
        load(Map.of("locale", "pl-PL"), "auto", encode(csv, StandardCharsets.UTF_8), true);
        assertThat(detected()).containsExactly("CSV", "UTF-8", ",", "dd/MM/yyyy", null);
    }

    @Test
    void aDryRunReportsWhatItDetectedAndCountsWithoutWriting() {
        String csv = "Data wizyty;Godzina;Czas trwania (min);Klient;Cena\n07.12.2026;10:00;45;Anna;80\n"
                + "07.12.2026;11:00;45;Jan;dużo\n";
        load(Map.of(), "auto", encode(csv, StandardCharsets.UTF_8), true);
        // The importer upserts in a dry run too (the hub's sink writes nothing then but classifies): the valid
        // appointment and the client it names.
        assertThat(sink.live()).isEmpty();
        assertThat(count(RecordKind.APPOINTMENT, UpsertOutcome.CREATED)).isEqualTo(1);
        assertThat(count(RecordKind.CLIENT, UpsertOutcome.CREATED)).isEqualTo(1);
        assertThat(sink.upserts()).hasSize(2);
        assertThat(sink.rowIssues()).singleElement().satisfies(issue -> {
            assertThat(issue.level()).isEqualTo(RowIssue.Level.SKIPPED);
            assertThat(issue.kind()).isEqualTo(RecordKind.APPOINTMENT);
            assertThat(issue.row()).isEqualTo(3);
            assertThat(issue.column()).isEqualTo("Cena");
            assertThat(issue.reason()).isEqualTo("not a price: 'dużo'");
            assertThat(issue.message()).isEqualTo("row 3, column 'Cena': not a price: 'dużo'");
        });
        assertThat(detected()).containsExactly("CSV", "UTF-8", ";", "dd.MM.yyyy", null);
        assertThat(sink.reports().get(0).kind()).isEqualTo("appointments");
        assertThat(sink.reports().get(0).recordKind()).isEqualTo(RecordKind.APPOINTMENT);
        assertThat(sink.progress()).contains(new InMemorySyncSink.Progress("appointments: valid", 1, 2),
                new InMemorySyncSink.Progress("appointments: invalid", 1, 2));
        assertThat(errors()).containsExactly("row 3, column 'Cena': not a price: 'dużo'");
        assertThat(sink.reports()).singleElement().satisfies(r -> assertThat(r.columns()).containsExactly(
                new ColumnMapping("Data wizyty", "date"),
                new ColumnMapping("Godzina", "startTime"),
                new ColumnMapping("Czas trwania (min)", "duration"),
                new ColumnMapping("Klient", "client"),
                new ColumnMapping("Cena", "price")));
    }
}
