package io.bookinghub.connectors.csvimport;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.fileimport.FileImporter;

/**
 * A CSV import connection. It only imports files: every other facet keeps the SPI's default, which fails
 * with UNSUPPORTED. Stateless between imports, so one instance serves concurrent uploads.
 */
final class CsvImportConnector implements BookingConnector {
    private final ConnectorDescriptor descriptor;
    private final CsvFileImporter importer;

    CsvImportConnector(ConnectorDescriptor descriptor, CsvFileImporter importer) {
        this.descriptor = requireNonNull(descriptor, "descriptor is null");
        this.importer = requireNonNull(importer, "importer is null");
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public FileImporter fileImport() {
        return importer;
    }
}
