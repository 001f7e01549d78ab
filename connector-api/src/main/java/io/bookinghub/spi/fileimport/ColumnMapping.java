package io.bookinghub.spi.fileimport;

import static java.util.Objects.requireNonNull;

/**
 * One column of an imported file and the field it feeds.
 *
 * @param header the column's header as the file spells it (may be empty)
 * @param field  the importer's field, e.g. {@code date}, or null when the column is not read
 * @since SPI 1.1.0
 */
public record ColumnMapping(String header, String field) {
    public ColumnMapping {
        requireNonNull(header, "header is null");
        if (field != null && field.isBlank()) {
            throw new IllegalArgumentException("field is blank; use null for a column that is not read");
        }
    }
}
