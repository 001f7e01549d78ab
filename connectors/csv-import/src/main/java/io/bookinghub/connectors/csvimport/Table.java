package io.bookinghub.connectors.csvimport;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * The rows of an uploaded file, read once from the start, one at a time: a CSV text ({@link CsvTable}) or an
 * XLSX sheet ({@link XlsxTable}). Cells are text; spreadsheet dates arrive as ISO text. Nothing is kept
 * between rows.
 */
interface Table extends Closeable {

    /**
     * A row and its number as a spreadsheet shows it (the header is row 1 in a CSV file).
     *
     * @param cells the row's cells; a blank line is one empty cell
     */
    record SheetRow(long number, List<String> cells) {
        public SheetRow {
            cells = List.copyOf(cells);
        }

        boolean blank() {
            return cells.stream().allMatch(String::isBlank);
        }
    }

    /** The file cannot be read any further (an unclosed quote, an oversized field, a broken workbook). */
    final class FormatException extends Exception {
        FormatException(String message) {
            super(message, null, false, false);
        }
    }

    /** The next row, or null at the end of the file. */
    SheetRow next() throws IOException, FormatException;

    /**
     * How the file is read: format ({@code CSV} or {@code XLSX}), and the encoding and delimiter of a CSV file or
     * the sheet of a workbook (null where they do not apply).
     */
    record Shape(String format, String encoding, String delimiter, String sheet) {
        public Shape {
            requireNonNull(format, "format is null");
        }
    }

    /** What was detected to read the file. */
    Shape shape();

    @Override
    void close() throws IOException;
}
