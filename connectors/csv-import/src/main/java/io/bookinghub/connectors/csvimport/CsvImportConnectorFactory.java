package io.bookinghub.connectors.csvimport;

import static java.util.Objects.requireNonNull;

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
 * Creates CSV import connectors: uploads of a salon's own export (CSV or XLSX; appointments, clients,
 * services), read with no configuration through detection and the built-in header and status tables, which
 * a connection's settings may override. See {@link CsvFileImporter} for the file rules, {@link HeaderAliases}
 * for the headers and docs/importing.md for the whole story.
 */
@Extension
public final class CsvImportConnectorFactory implements BookingConnectorFactory {
    /** Connector id, also the {@code connectorId} of every record it writes. */
    public static final String ID = "csv-import";
    public static final String VERSION = "0.1.0";


    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            ID,
            "CSV import",
            VERSION,
            "Imports exports as they come (CSV or XLSX; appointments, clients, services) with no configuration: "
                    + "encoding, delimiter, headers (English, Polish, Spanish, Portuguese), date format and statuses "
                    + "are recognised; bad rows are reported by row and column while good rows land; supports dry "
                    + "runs.",
            EnumSet.of(Capability.FILE_IMPORT),
            List.of(
                    ConfigProperty.builder(CsvImportConfig.COLUMN_MAPPING, ConfigType.JSON).perConnection()
                            .description("Overrides of the built-in header table, per kind and field, e.g. "
                                    + "{\"appointments\": {\"price\": \"Kwota brutto\", \"externalId\": null}}")
                            .build(),
                    ConfigProperty.builder(CsvImportConfig.STATUS_MAPPING, ConfigType.JSON).perConnection()
                            .description("Export statuses to hub statuses, before the built-in vocabulary, e.g. "
                                    + "{\"Przełożona\": \"BOOKED\"}").build(),
                    ConfigProperty.builder(CsvImportConfig.LOCALE, ConfigType.STRING).perConnection()
                            .description("The business's locale (e.g. pl-PL, en-US): decides dd/MM against MM/dd "
                                    + "when every date of a file fits both").build(),
                    ConfigProperty.builder(CsvImportConfig.DATE_FORMAT, ConfigType.STRING).perConnection().required()
                            .defaultValue(CsvImportConfig.AUTO)
                            .description("java.time pattern of date cells, or auto to pick ISO, dd.MM.yyyy, "
                                    + "dd/MM/yyyy, MM/dd/yyyy or dd-MM-yyyy from the whole column").build(),
                    ConfigProperty.builder(CsvImportConfig.TIME_FORMAT, ConfigType.STRING).perConnection().required()
                            .defaultValue(CsvImportConfig.AUTO)
                            .description("java.time pattern of time cells, or auto for 24 h or 12 h AM/PM").build(),
                    ConfigProperty.builder(CsvImportConfig.DATE_TIME_FORMAT, ConfigType.STRING).perConnection()
                            .required().defaultValue(CsvImportConfig.AUTO)
                            .description("java.time pattern of combined date-time cells, or auto").build(),
                    ConfigProperty.builder(CsvImportConfig.CURRENCY, ConfigType.STRING).perConnection().required()
                            .defaultValue("PLN")
                            .description("ISO 4217 currency of prices when the file names none").build(),
                    ConfigProperty.builder(CsvImportConfig.DELIMITER, ConfigType.ENUM).perConnection().required()
                            .allowedValues("auto", ",", ";", "tab").defaultValue("auto")
                            .description("CSV field delimiter; auto picks ',', ';' or tab from the header row")
                            .build(),
                    ConfigProperty.builder(CsvImportConfig.SHEET, ConfigType.STRING).perConnection()
                            .description("XLSX sheet to read; the first sheet when empty").build(),
                    ConfigProperty.builder(CsvImportConfig.DST, ConfigType.ENUM).perConnection().required()
                            .allowedValues("warn", "refuse").defaultValue("warn")
                            .description("A local time skipped or repeated by a daylight-saving change: warn "
                                    + "imports it with a warning on the row, refuse rejects the row").build(),
                    ConfigProperty.builder(CsvImportConfig.PROGRESS_INTERVAL, ConfigType.INTEGER).perConnection()
                            .required().defaultValue("10000").description("Report progress every this many rows")
                            .build()));

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
        CsvImportConfig config = CsvImportConfig.from(context.config());
        return new CsvImportConnector(DESCRIPTOR,
                new CsvFileImporter(ID, config, context.businessTimeZone()));
    }
}
