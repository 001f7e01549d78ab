package io.bookinghub.connectors.csvimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Client;
import io.bookinghub.model.Money;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.fileimport.FileImporter;
import io.bookinghub.spi.sync.UpsertOutcome;
import io.bookinghub.testkit.InMemorySyncSink;
import io.bookinghub.testkit.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvFileImporterTest {
    private static final String HEADER = "Appointment ID,Date,Start time,End time,Service,Staff,Client,Client phone,"
            + "Client email,Price,Status,Notes";
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final InMemorySyncSink sink = new InMemorySyncSink();

    private static FileImporter importer(Map<String, Object> config) {
        TestContext context = TestContext.of(new CsvImportConnectorFactory(), config).withZone(ZoneId.of("Europe/Warsaw"));
        return new CsvImportConnectorFactory().create(context).fileImport();
    }

    private static FileImporter importer() {
        return importer(Map.of());
    }

    private void load(String kind, String csv) {
        load(importer(), kind, csv.getBytes(StandardCharsets.UTF_8), false);
    }

    private void load(FileImporter importer, String kind, byte[] bytes, boolean dryRun) {
        // As the hub's sink does in a dry run, the test sink then classifies upserts and stores nothing.
        sink.dryRun(dryRun);
        importer.importFile(kind, new ByteArrayInputStream(bytes), dryRun, sink);
    }

    private long count(RecordKind kind, UpsertOutcome outcome) {
        return sink.upserts().stream().filter(u -> u.key().kind() == kind && u.outcome() == outcome).count();
    }

    private Map<String, Appointment> appointments() {
        return sink.records(RecordKind.APPOINTMENT, Appointment.class);
    }

    private static byte[] withBom(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(BOM);
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void importsTheBooksyPresetWithAllFieldsMapped() {
        load("appointments", HEADER + "\n"
                + "A-1,28.03.2026,10:00,10:45,Haircut,Ola,Anna Nowak,+48 600 100 200,anna@example.com,80.00,Confirmed,"
                + "allergic to dye\n");
        Appointment a = appointments().get("A-1");
        assertThat(a.ref().connectorId()).isEqualTo("csv-import");
        assertThat(a.start()).isEqualTo(Instant.parse("2026-03-28T09:00:00Z"));
        assertThat(a.end()).isEqualTo(Instant.parse("2026-03-28T09:45:00Z"));
        assertThat(a.timeZone()).isEqualTo(ZoneId.of("Europe/Warsaw"));
        assertThat(a.status()).isEqualTo(AppointmentStatus.CONFIRMED);
        assertThat(a.providerStatus()).isEqualTo("Confirmed");
        assertThat(a.price()).isEqualTo(Money.of("80", "PLN"));
        assertThat(a.businessNote()).isEqualTo("allergic to dye");
        assertThat(a.clientExternalId()).startsWith("csv-");
        assertThat(a.segments().get(0).serviceExternalId()).startsWith("csv-");
        assertThat(a.segments().get(0).staffExternalId()).startsWith("csv-");
        assertThat(a.rawJson()).contains("\"Client\":\"Anna Nowak\"").contains("\"Price\":\"80.00\"");
        assertThat(sink.skipped()).isEmpty();
    }

    @Test
    void utf8WithAndWithoutBomGiveTheSameRecords() {
        String csv = HEADER + "\nA-1,28.03.2026,10:00,10:45,Strzyżenie,Łucja,Zoë Żak,,,80,Confirmed,\n";
        load(importer(), "appointments", withBom(csv), false);
        Map<String, Appointment> withBom = appointments();
        assertThat(withBom).containsKey("A-1");
        assertThat(withBom.get("A-1").rawJson()).contains("\"Appointment ID\":\"A-1\"").contains("Zoë Żak");

        sink.newRun();
        load(importer(), "appointments", csv.getBytes(StandardCharsets.UTF_8), false);
        assertThat(count(RecordKind.APPOINTMENT, UpsertOutcome.UNCHANGED)).isEqualTo(1);
        assertThat(appointments()).isEqualTo(withBom);
    }

    @Test
    void semicolonAndCommaFilesGiveTheSameRecords() {
        String comma = HEADER + "\nA-1,28.03.2026,10:00,10:45,Haircut,Ola,\"Nowak, Anna\",,,\"80,50\",Booked,\n";
        String semicolon = HEADER.replace(',', ';') + "\nA-1;28.03.2026;10:00;10:45;Haircut;Ola;Nowak, Anna;;;80,50;"
                + "Booked;\n";
        load("appointments", comma);
        Map<String, Appointment> fromComma = appointments();
        sink.newRun();
        load("appointments", semicolon);
        assertThat(count(RecordKind.APPOINTMENT, UpsertOutcome.UNCHANGED)).as("same content, different delimiter").isEqualTo(1);
        assertThat(fromComma.get("A-1").price()).isEqualTo(Money.of("80.50", "PLN"));
        // rawJson is keyed by header, so it is the same whichever delimiter the file used.
        assertThat(appointments()).isEqualTo(fromComma);
    }

    @Test
    void aConfiguredDelimiterOverridesDetection() {
        // A single-column header has no delimiter to detect from; the setting decides.
        load(importer(Map.of("delimiter", ";", "columnMapping", "{\"clients\": {\"externalId\": null}}")),
                "clients", "Name\nAnna; Nowak\n".getBytes(StandardCharsets.UTF_8), false);
        assertThat(sink.skipped()).singleElement().satisfies(s ->
                assertThat(s.reason()).isEqualTo("row 2: has 2 columns, the header has 1"));
    }

    @Test
    void quotedFieldsWithDelimitersQuotesAndNewlinesAndCrlf() {
        String csv = HEADER + "\r\n"
                + "A-1,28.03.2026,10:00,10:45,\"Cut, wash; dry\",Ola,Anna,,,80,Booked,\"line one\r\nline \"\"two\"\"\nthree\"\r\n"
                + "A-2,28.03.2026,11:00,11:30,Beard,Ola,Jan,,,40,Booked,\r\n";
        load("appointments", csv);
        assertThat(appointments()).containsOnlyKeys("A-1", "A-2");
        assertThat(appointments().get("A-1").businessNote()).isEqualTo("line one\r\nline \"two\"\nthree");
        assertThat(appointments().get("A-1").rawJson()).contains("Cut, wash; dry");
        assertThat(appointments().get("A-2").price()).isEqualTo(Money.of("40", "PLN"));
    }

    @Test
    void commaAndDotDecimalPrices() {
        load("appointments", HEADER + "\n"
                + "A-1,28.03.2026,10:00,10:45,S,O,C,,,\"120,50 zł\",Booked,\n"
                + "A-2,28.03.2026,10:00,10:45,S,O,C,,,120.50,Booked,\n"
                + "A-3,28.03.2026,10:00,10:45,S,O,C,,,\"1 200,00\",Booked,\n");
        assertThat(appointments().get("A-1").price()).isEqualTo(Money.of("120.5", "PLN"));
        assertThat(appointments().get("A-2").price()).isEqualTo(Money.of("120.5", "PLN"));
        assertThat(appointments().get("A-3").price()).isEqualTo(Money.of("1200", "PLN"));
        assertThat(appointments().get("A-3").price().amount()).as("scale kept").hasToString("1200.00");
    }

    @Test
    void datesAreReadInTheBusinessZoneAcrossTheSpringChange() {
        // Warsaw moves from +01:00 to +02:00 at 02:00 on 29 March 2026.
        load("appointments", HEADER + "\n"
                + "before,28.03.2026,10:00,11:00,S,O,C,,,,Booked,\n"
                + "after,29.03.2026,10:00,11:00,S,O,C,,,,Booked,\n"
                + "across,29.03.2026,01:30,03:30,S,O,C,,,,Booked,\n");
        assertThat(appointments().get("before").start()).isEqualTo(Instant.parse("2026-03-28T09:00:00Z"));
        assertThat(appointments().get("after").start()).isEqualTo(Instant.parse("2026-03-29T08:00:00Z"));
        Appointment across = appointments().get("across");
        assertThat(across.start()).isEqualTo(Instant.parse("2026-03-29T00:30:00Z"));
        assertThat(across.end()).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        assertThat(Duration.between(across.start(), across.end())).as("the clock skipped an hour")
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void anAppointmentInTheRepeatedAutumnHourEndsAfterItStarts() {
        // 25 October 2026: 03:00 +02:00 becomes 02:00 +01:00, so 02:10-02:50 happens twice; both ends take the
        // earlier offset.
        load("appointments", HEADER + "\nrepeat,25.10.2026,02:10,02:50,S,O,C,,,,Booked,\n");
        Appointment a = appointments().get("repeat");
        assertThat(a.start()).isEqualTo(Instant.parse("2026-10-25T00:10:00Z"));
        assertThat(a.end()).isEqualTo(Instant.parse("2026-10-25T00:50:00Z"));
    }

    @Test
    void badRowsAreReportedWithRowAndColumnWhileGoodRowsLand() {
        load("appointments", HEADER + "\n"
                + "A-1,28.03.2026,10:00,10:45,S,O,C,,,80,Booked,\n"
                + "A-2,28.03.2026,10:00,10:45,S,O,C,,,abc,Booked,\n"
                + "\n"
                + "A-3,31.02.2026,10:00,10:45,S,O,C,,,80,Booked,\n"
                + "A-4,28.03.2026,11:00,10:00,S,O,C,,,80,Booked,\n"
                + "A-5,28.03.2026,10:00,10:45,S,O,C,,,80,Teleported,\n"
                + "A-6,28.03.2026,10:00\n"
                + "A-7,28.03.2026,12:00,12:30,S,O,C,,,-10,Booked,\n"
                + "A-8,28.03.2026,13:00,13:30,S,O,C,,,,Booked,\n");
        assertThat(appointments()).containsOnlyKeys("A-1", "A-8");
        assertThat(sink.skipped()).extracting(InMemorySyncSink.Skip::reason).containsExactly(
                "row 3, column 'Price': not a price: 'abc'",
                "row 5, column 'Date': '31.02.2026' is not a date in the format dd.MM.yyyy (the format of this "
                        + "file's dates)",
                "row 6, column 'End time': '10:00' is not after the start",
                "row 7, column 'Status': unknown status 'Teleported'; unknown statuses in this file: ['Teleported' "
                        + "(1)]; map them with the connection's statusMapping",
                "row 8: has 3 columns, the header has 12",
                "row 9, column 'Price': is negative: '-10'");
        assertThat(sink.skipped()).extracting(InMemorySyncSink.Skip::externalId)
                .containsExactly("A-2", "A-3", "A-4", "A-5", "A-6", "A-7");
        assertThat(sink.skipped()).allSatisfy(s -> assertThat(s.kind()).isEqualTo(RecordKind.APPOINTMENT));
        assertThat(sink.progress()).contains(new InMemorySyncSink.Progress("appointments: valid", 2, 8),
                new InMemorySyncSink.Progress("appointments: invalid", 6, 8));
    }

    @Test
    void reImportingTheSameFileChangesNothing() {
        String csv = HEADER + "\n"
                + "A-1,28.03.2026,10:00,10:45,S,O,C,,,80,Booked,\n"
                + ",28.03.2026,11:00,11:45,S,O,Anna,,,80,Booked,\n";
        load("appointments", csv);
        assertThat(count(RecordKind.APPOINTMENT, UpsertOutcome.CREATED)).isEqualTo(2);
        assertThat(count(RecordKind.CLIENT, UpsertOutcome.CREATED)).as("C and Anna").isEqualTo(2);
        Map<InMemorySyncSink.Key, Object> first = sink.live();
        sink.newRun();
        load("appointments", csv);
        assertThat(sink.outcomes()).containsEntry(UpsertOutcome.UNCHANGED, 4L).containsEntry(UpsertOutcome.CREATED, 0L)
                .containsEntry(UpsertOutcome.UPDATED, 0L);
        assertThat(sink.live()).isEqualTo(first);
    }

    @Test
    void rowsWithoutAnIdGetAKeyFromTheirIdentifyingColumnsNotTheirPosition() {
        String header = "Date,Start time,End time,Service,Staff,Client,Price\n";
        String row1 = "28.03.2026,10:00,10:45,Haircut,Ola,Anna,80\n";
        String row2 = "28.03.2026,11:00,11:45,Haircut,Ola,Jan,80\n";
        load("appointments", header + row1 + row2);
        Map<String, Appointment> first = appointments();
        assertThat(first).hasSize(2).allSatisfy((id, a) -> assertThat(id).matches("csv-[0-9a-f]{32}"));

        sink.newRun();
        // Reordered rows and a changed price: same keys, one update.
        load("appointments", header + row2.replace(",80", ",90") + row1);
        assertThat(appointments()).containsOnlyKeys(first.keySet());
        assertThat(count(RecordKind.APPOINTMENT, UpsertOutcome.UPDATED)).isEqualTo(1);
        assertThat(count(RecordKind.APPOINTMENT, UpsertOutcome.UNCHANGED)).isEqualTo(1);
    }

    @Test
    void dryRunReportsWithoutWriting() {
        String csv = HEADER + "\n"
                + "A-1,28.03.2026,10:00,10:45,S,O,C,,,80,Booked,\n"
                + "A-2,28.03.2026,10:00,10:45,S,O,C,,,zero,Booked,\n";
        load(importer(), "appointments", csv.getBytes(StandardCharsets.UTF_8), true);
        assertThat(sink.live()).isEmpty();
        // Upserted all the same: the hub's sink classifies them in a dry run.
        assertThat(sink.upserts()).extracting(u -> u.key().kind(), u -> u.key().externalId(),
                InMemorySyncSink.Upsert::outcome).containsExactly(
                        tuple(RecordKind.APPOINTMENT, "A-1", UpsertOutcome.CREATED),
                        tuple(RecordKind.CLIENT, CsvFileImporter.clientKey("C", null, null), UpsertOutcome.CREATED));
        assertThat(sink.skipped()).extracting(InMemorySyncSink.Skip::reason)
                .containsExactly("row 3, column 'Price': not a price: 'zero'");
        assertThat(sink.progress()).contains(new InMemorySyncSink.Progress("appointments: valid", 1, 2),
                new InMemorySyncSink.Progress("appointments: invalid", 1, 2));
    }

    @Test
    void aNulCharacterInACellMakesItsRowInvalidInADryRunAndInTheRealImportAlike() {
        String csv = HEADER + "\n"
                + "A-1,28.03.2026,10:00,10:45,S,O,C,,,80,Booked,\n"
                + "A-2,28.03.2026,10:00,10:45,S,O,C\u0000x,,,80,Booked,\n";
        String refused = "row 3, column 'Client': contains a NUL character";
        load(importer(), "appointments", csv.getBytes(StandardCharsets.UTF_8), true);
        assertThat(sink.skipped()).extracting(InMemorySyncSink.Skip::reason).containsExactly(refused);
        assertThat(sink.upserts()).extracting(u -> u.key().externalId()).doesNotContain("A-2");
        assertThat(sink.live()).isEmpty();
        load(importer(), "appointments", csv.getBytes(StandardCharsets.UTF_8), false);
        assertThat(sink.skipped()).extracting(InMemorySyncSink.Skip::reason).containsExactly(refused, refused);
        assertThat(appointments()).containsOnlyKeys("A-1");
    }

    @Test
    void progressIsReportedEveryIntervalAndCancellationStopsTheImport() {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 1; i <= 10; i++) {
            csv.append("A-").append(i).append(",28.03.2026,10:00,10:45,S,O,C,,,80,Booked,\n");
        }
        FileImporter importer = importer(Map.of("progressInterval", "3"));
        load(importer, "appointments", csv.toString().getBytes(StandardCharsets.UTF_8), false);
        assertThat(sink.progress().stream().filter(p -> p.stage().equals("appointments")).toList()).containsExactly(
                new InMemorySyncSink.Progress("appointments", 3, -1),
                new InMemorySyncSink.Progress("appointments", 6, -1),
                new InMemorySyncSink.Progress("appointments", 9, -1),
                new InMemorySyncSink.Progress("appointments", 10, 10));

        InMemorySyncSink cancelling = new InMemorySyncSink();
        cancelling.cancelWhen(() -> cancelling.records(RecordKind.APPOINTMENT, Appointment.class).size() >= 6);
        importer.importFile("appointments", new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)),
                false, cancelling);
        assertThat(cancelling.records(RecordKind.APPOINTMENT, Appointment.class)).hasSize(6);
    }

    @Test
    void theColumnMappingOverridesThePresetPerKind() {
        FileImporter importer = importer(Map.of(
                "columnMapping", "{\"appointments\": {\"externalId\": \"Nr\", \"date\": \"Data\", \"price\": \"Cena\","
                        + " \"startTime\": \"Od\", \"endTime\": \"Do\"}}",
                "dateFormat", "yyyy-MM-dd", "currency", "eur"));
        load(importer, "appointments", "Nr;Data;Od;Do;Cena\nX-9;2026-03-28;10:00;10:30;12,5\n"
                .getBytes(StandardCharsets.UTF_8), false);
        Appointment a = appointments().get("X-9");
        assertThat(a.start()).isEqualTo(Instant.parse("2026-03-28T09:00:00Z"));
        assertThat(a.price()).isEqualTo(Money.of("12.5", "EUR"));
        assertThat(a.clientExternalId()).isNull();
    }

    @Test
    void combinedDateTimeColumnsCanBeMapped() {
        FileImporter importer = importer(Map.of("columnMapping",
                "{\"appointments\": {\"startDateTime\": \"Start\", \"endDateTime\": \"End\"}}"));
        load(importer, "appointments", "Appointment ID,Start,End\nA-1,28.03.2026 23:30,29.03.2026 00:15\n"
                .getBytes(StandardCharsets.UTF_8), false);
        assertThat(appointments().get("A-1").end()).isEqualTo(Instant.parse("2026-03-28T23:15:00Z"));
    }

    @Test
    void aMissingRequiredColumnFailsTheFileNamingTheColumn() {
        assertThatThrownBy(() -> load("appointments", "Appointment ID,Date,Start time\nA-1,28.03.2026,10:00\n"))
                .isInstanceOfSatisfying(ConnectorException.class, e ->
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("no column appointments.endTime (e.g. 'End time', 'End', 'To'), "
                        + "appointments.duration (e.g. 'Duration', 'Length', 'Duration min') or appointments.endDateTime")
                .hasMessageContaining("[Appointment ID, Date, Start time]");
    }

    @Test
    void fileLevelProblemsAreInvalidInput() {
        assertThatThrownBy(() -> load("appointments", "")).hasMessageContaining("empty");
        assertThatThrownBy(() -> load("bookings", HEADER)).hasMessageContaining("unknown import kind 'bookings'");
        assertThatThrownBy(() -> load("auto", "Colour,Size\nred,9\n"))
                .hasMessageContaining("cannot tell what the file holds from its headers [Colour, Size]");
    }

    @Test
    void anUnclosedQuoteFailsTheFileBeforeAnyRowLands() {
        String csv = "Client ID,Name\nC-1,Anna\nC-2,\"Jan\n";
        assertThatThrownBy(() -> load("clients", csv)).hasMessage("row 3: a quoted field is not closed before the end "
                + "of the file");
        assertThat(sink.records(RecordKind.CLIENT, Client.class)).isEmpty();
    }

    @Test
    void clientsLinkToAppointmentsImportedWithoutIds() {
        load("clients", "Name,Phone,Email\nAnna Nowak,+48 600 100 200,anna@example.com\n,123,\n");
        Map<String, Client> clients = sink.records(RecordKind.CLIENT, Client.class);
        assertThat(clients).hasSize(1);
        Client anna = clients.values().iterator().next();
        assertThat(anna.email()).isEqualTo("anna@example.com");
        assertThat(sink.skipped()).extracting(InMemorySyncSink.Skip::reason)
                .containsExactly("row 3, column 'Name': empty; a client needs a name");

        load("appointments", HEADER + "\nA-1,28.03.2026,10:00,10:45,S,O,Anna Nowak,+48 600 100 200,"
                + "anna@example.com,80,Booked,\n");
        assertThat(appointments().get("A-1").clientExternalId()).isEqualTo(anna.ref().externalId());
    }

    @Test
    void services() {
        load("services", "Service ID;Service;Category;Duration;Price;Description\n"
                + "S-1;Haircut;Hair;45;80,00;Wash included\n"
                + "S-2;Colouring;Hair;1h 30min;250;\n"
                + "S-3;Beard;;soon;40;\n");
        Map<String, Service> services = sink.records(RecordKind.SERVICE, Service.class);
        assertThat(services).containsOnlyKeys("S-1", "S-2");
        assertThat(services.get("S-1").variants()).singleElement().satisfies(v -> {
            assertThat(v.duration()).isEqualTo(Duration.ofMinutes(45));
            assertThat(v.price()).isEqualTo(Money.of("80", "PLN"));
        });
        assertThat(services.get("S-2").variants().get(0).duration()).isEqualTo(Duration.ofMinutes(90));
        assertThat(services.get("S-1").category()).isEqualTo("Hair");
        assertThat(sink.skipped()).extracting(InMemorySyncSink.Skip::reason).singleElement().asString()
                .startsWith("row 4, column 'Duration': not a duration: 'soon'");
    }

    @Test
    void configurationProblemsNameTheField() {
        Map<String, Object> config = new HashMap<>();
        config.put("columnMapping", "{\"appointments\": {\"client\": 5}}");
        assertThatThrownBy(() -> importer(config)).hasMessageStartingWith("columnMapping: appointments.client");
        assertThatThrownBy(() -> importer(Map.of("columnMapping", "{\"clients\": {\"name\": null}}")))
                .hasMessageContaining("clients.name is required");
        assertThatThrownBy(() -> importer(Map.of("columnMapping", "{\"staff\": {}}")))
                .hasMessageContaining("unknown kind 'staff'");
        // Each alone is optional, but without any end no row could ever be imported.
        assertThatThrownBy(() -> importer(Map.of("columnMapping", "{\"appointments\": {\"endTime\": null, "
                + "\"duration\": null, \"endDateTime\": null}}")))
                .hasMessageStartingWith("columnMapping: appointments.endTime, appointments.duration and "
                        + "appointments.endDateTime are all unmapped");
        assertThatThrownBy(() -> importer(Map.of("statusMapping", "{\"Przełożona\": \"MOVED\"}")))
                .hasMessageStartingWith("statusMapping: 'Przełożona' maps to 'MOVED'; expected one of");
        assertThatThrownBy(() -> importer(Map.of("locale", "xx_yy_zz!")))
                .hasMessageStartingWith("locale: ");
    }
}
