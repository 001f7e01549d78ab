package io.bookinghub.connectors.csvimport;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader: one record at a time, nothing kept between records. Fields may be quoted;
 * inside quotes a doubled quote is a quote and delimiters and line breaks are data. Records end at CRLF, LF
 * or a lone CR. A quote inside an unquoted field is kept as data (exports in the wild do that).
 *
 * <p>Memory is bounded by {@link #maxRecordChars}: an unclosed quote would otherwise swallow the rest of
 * the file into one field.
 */
final class CsvReader {
    /** The file cannot be read as CSV any further (unclosed quote, oversized record). */
    static final class CsvFormatException extends Exception {
        CsvFormatException(String message) {
            super(message, null, false, false);
        }
    }

    private static final int EOF = -1;

    private final Reader in;
    private final char delimiter;
    private final int maxRecordChars;
    private final char[] buffer = new char[16 * 1024];
    private int position;
    private int limit;
    private long recordNumber;
    private final StringBuilder field = new StringBuilder();

    CsvReader(Reader in, char delimiter, int maxRecordChars) {
        this.in = requireNonNull(in, "in is null");
        this.delimiter = delimiter;
        this.maxRecordChars = maxRecordChars;
    }

    /** 1-based number of the record last returned by {@link #next()} (the header is record 1). */
    long recordNumber() {
        return recordNumber;
    }

    private int read() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return EOF;
            }
        }
        return buffer[position++];
    }

    private int peek() throws IOException {
        int c = read();
        if (c != EOF) {
            position--;
        }
        return c;
    }

    /**
     * The next record's fields, or null at the end of the input. A blank line is a record with one empty
     * field; callers decide whether to skip it.
     */
    List<String> next() throws IOException, CsvFormatException {
        int c = read();
        if (c == EOF) {
            return null;
        }
        recordNumber++;
        List<String> fields = new ArrayList<>();
        int recordChars = 0;
        field.setLength(0);
        boolean quoted = false;
        boolean afterClosingQuote = false;
        boolean fieldStart = true;
        while (true) {
            if (++recordChars > maxRecordChars) {
                throw new CsvFormatException("row " + recordNumber + " is longer than " + maxRecordChars
                        + " characters; is a quote left open?");
            }
            if (quoted) {
                if (c == EOF) {
                    throw new CsvFormatException("row " + recordNumber + ": a quoted field is not closed before "
                            + "the end of the file");
                }
                if (c == '"') {
                    if (peek() == '"') {
                        read();
                        field.append('"');
                    } else {
                        quoted = false;
                        afterClosingQuote = true;
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                fieldStart = true;
                afterClosingQuote = false;
                c = read();
                continue;
            } else if (c == '\r' || c == '\n' || c == EOF) {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                fields.add(field.toString());
                return fields;
            } else if (c == '"' && fieldStart) {
                quoted = true;
            } else if (!afterClosingQuote || c != ' ') {
                // Text after a closing quote (e.g. "a"b) is kept, as most spreadsheet programs do.
                field.append((char) c);
            }
            fieldStart = false;
            c = read();
        }
    }
}
