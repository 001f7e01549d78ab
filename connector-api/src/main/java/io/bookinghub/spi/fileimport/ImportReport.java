package io.bookinghub.spi.fileimport;

import static java.util.Objects.requireNonNull;

import io.bookinghub.model.RecordKind;
import java.util.List;

/**
 * How a file importer read a file, reported once before its rows ({@link FileImportSink#report}), so a dry run
 * can show the admin what was detected and which column went to which field.
 *
 * @param format     the file's format, e.g. {@code CSV} or {@code XLSX}
 * @param kind       what the file holds as the importer names it, e.g. {@code appointments} (also when it inferred it)
 * @param recordKind the model records its rows become
 * @param encoding   the text encoding, e.g. {@code windows-1250 (BOM)}; null for a binary format
 * @param delimiter  the field delimiter, e.g. {@code ;} or {@code \t}; null for a binary format
 * @param dateFormat the date format of the file's dates, e.g. {@code dd.MM.yyyy}; null when it has no dates
 * @param sheet      the sheet read from a workbook; null for a text file
 * @param columns    every column of the header row, in file order
 * @since SPI 1.1.0
 */
public record ImportReport(String format, String kind, RecordKind recordKind, String encoding, String delimiter,
        String dateFormat, String sheet, List<ColumnMapping> columns) {
    public ImportReport {
        requireNonNull(format, "format is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(recordKind, "recordKind is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        if (format.isBlank()) {
            throw new IllegalArgumentException("format is blank");
        }
        if (kind.isBlank()) {
            throw new IllegalArgumentException("kind is blank");
        }
        if (delimiter != null && delimiter.isEmpty()) {
            throw new IllegalArgumentException("delimiter is empty; use null when the format has none");
        }
    }
}
