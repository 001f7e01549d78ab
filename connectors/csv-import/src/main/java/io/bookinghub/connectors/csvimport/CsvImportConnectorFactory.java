package io.bookinghub.connectors.csvimport;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.ConfigType;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ConnectorDescriptor;
import java.util.EnumSet;
import java.util.List;
import org.pf4j.Extension;

/**
 * Creates CSV import connectors: uploads of Booksy's CSV export (appointments, clients, services), read with
 * the Booksy export preset unless a connection's {@code columnMapping} says otherwise. See
 * {@link CsvFileImporter} for the file rules and {@link ImportKind} for the preset's headers.
 */
@Extension
public final class CsvImportConnectorFactory implements BookingConnectorFactory {
    /** Connector id, also the {@code connectorId} of every record it writes. */
    public static final String ID = "csv-import";
    public static final String VERSION = "0.1.0";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            ID,
            "CSV import",
            VERSION,
            "Imports CSV files exported from Booksy (appointments, clients, services): UTF-8 with or without BOM, "
                    + "comma or semicolon separated; bad rows are reported by row and column while good rows land; "
                    + "supports dry runs.",
            EnumSet.of(Capability.FILE_IMPORT),
            List.of(
                    ConfigProperty.builder(CsvImportConfig.COLUMN_MAPPING, ConfigType.JSON).perConnection()
                            .description("Overrides of the Booksy export preset, per kind and field, e.g. "
                                    + "{\"appointments\": {\"price\": \"Cena\", \"externalId\": null}}").build(),
                    ConfigProperty.builder(CsvImportConfig.DATE_FORMAT, ConfigType.STRING).perConnection().required()
                            .defaultValue(CsvImportConfig.DEFAULT_DATE_FORMAT)
                            .description("java.time pattern of date cells (business time zone)").build(),
                    ConfigProperty.builder(CsvImportConfig.TIME_FORMAT, ConfigType.STRING).perConnection().required()
                            .defaultValue(CsvImportConfig.DEFAULT_TIME_FORMAT)
                            .description("java.time pattern of start and end time cells").build(),
                    ConfigProperty.builder(CsvImportConfig.DATE_TIME_FORMAT, ConfigType.STRING).perConnection().required()
                            .defaultValue(CsvImportConfig.DEFAULT_DATE_TIME_FORMAT)
                            .description("java.time pattern of combined date-time cells (startDateTime, "
                                    + "endDateTime)").build(),
                    ConfigProperty.builder(CsvImportConfig.CURRENCY, ConfigType.STRING).perConnection().required().defaultValue("PLN")
                            .description("ISO 4217 currency of price cells").build(),
                    ConfigProperty.builder(CsvImportConfig.DELIMITER, ConfigType.ENUM).perConnection().required()
                            .allowedValues("auto", ",", ";").defaultValue("auto")
                            .description("Field delimiter; auto picks ',' or ';' from the header row").build(),
                    ConfigProperty.builder(CsvImportConfig.PROGRESS_INTERVAL, ConfigType.INTEGER).perConnection().required()
                            .defaultValue("10000").description("Report progress every this many rows").build()));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * {@inheritDoc}
     *
     * @throws io.bookinghub.spi.ConnectorException INVALID_INPUT naming the field for a malformed
     *         columnMapping, date pattern, currency or progress interval
     */
    @Override
    public BookingConnector create(ConnectorContext context) {
        requireNonNull(context, "context is null");
        CsvImportConfig config = CsvImportConfig.from(context.config(), JSON);
        return new CsvImportConnector(DESCRIPTOR,
                new CsvFileImporter(ID, config, context.businessTimeZone(), JSON));
    }
}
