package io.bookinghub.connectors.csvimport;

import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.testkit.ConnectorContractTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The connector kit's contract: FILE_IMPORT is checked, every other capability must be refused as UNSUPPORTED. */
class CsvImportContractTest extends ConnectorContractTest {

    static final String SAMPLE = """
            "Appointment ID","Date","Start time","End time","Service","Staff","Client","Client phone","Client email","Price","Status","Notes"
            "A-1","28.03.2026","10:00","10:45","Haircut","Ola","Anna Nowak","+48 600 100 200","anna@example.com","80,00 zł","Confirmed",""
            "A-2","29.03.2026","10:00","11:30","Colouring","Ola","Jan Kowalski","+48 600 300 400","","250.50","Finished","first visit"
            """;

    @Override
    protected BookingConnectorFactory factory() {
        return new CsvImportConnectorFactory();
    }

    @Override
    protected Map<String, Object> validConfig() {
        return new HashMap<>(Map.of("currency", "PLN"));
    }

    @Override
    protected Set<String> secretPropertyNames() {
        return Set.of();
    }

    @Override
    protected Map<String, Map<String, Object>> invalidConfigs() {
        return Map.of(
                "currency", Map.of("currency", "ZZZ"),
                "dateFormat", Map.of("dateFormat", "dd.MM.{uuuu}"),
                "progressInterval", Map.of("progressInterval", "0"),
                "columnMapping", Map.of("columnMapping", "{\"appointments\": {\"prize\": \"Cena\"}}"));
    }

    /** Local times in the business zone (Warsaw): +01:00 on 28 March, +02:00 from 29 March (summer time). */
    @Override
    protected List<ExpectedAppointment> expectedAppointments() {
        return List.of(
                new ExpectedAppointment("A-1", AppointmentStatus.CONFIRMED, Instant.parse("2026-03-28T09:00:00Z"),
                        Instant.parse("2026-03-28T09:45:00Z")),
                new ExpectedAppointment("A-2", AppointmentStatus.COMPLETED, Instant.parse("2026-03-29T08:00:00Z"),
                        Instant.parse("2026-03-29T09:30:00Z")));
    }

    @Override
    protected ImportSample sampleImport() {
        return new ImportSample("appointments", SAMPLE.getBytes(StandardCharsets.UTF_8));
    }
}
