package io.bookinghub.connectors.csvimport;

import static java.util.Objects.requireNonNull;

import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A CSV file read with FastCSV (RFC 4180: quoted fields may hold delimiters, quotes and line breaks; CRLF, LF
 * or CR line ends) in the {@link TextEncoding} detected for the whole file. Row numbers count records as a
 * spreadsheet shows them, blank lines included; the header is row 1.
 */
final class CsvTable implements Table {
    /** Longest field accepted; an unclosed quote would otherwise read the rest of the file into memory. */
    static final int MAX_FIELD_CHARS = 1_000_000;
    private static final String DELIMITERS = ",;\t";

    private final TextEncoding encoding;
    private final char delimiter;
    private final CsvReader<CsvRecord> reader;
    private final CloseableIterator<CsvRecord> records;
    private long number;

    private CsvTable(TextEncoding encoding, char delimiter, Reader text) {
        this.encoding = requireNonNull(encoding, "encoding is null");
        this.delimiter = delimiter;
        this.reader = CsvReader.builder()
                .fieldSeparator(delimiter)
                .skipEmptyLines(false)
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .allowExtraCharsAfterClosingQuote(true)
                .allowUnclosedQuote(false)
                .maxBufferSize(MAX_FIELD_CHARS)
                .ofCsvRecord(text);
        this.records = reader.iterator();
    }

    /**
     * Opens the file.
     *
     * @param delimiter the configured delimiter, or null to take the one of {@code , ; tab} that the header
     *                  row (outside quotes) holds most of
     */
    static CsvTable open(Path file, TextEncoding encoding, Character delimiter) throws IOException {
        char chosen = delimiter != null ? delimiter : detectDelimiter(file, encoding);
        return new CsvTable(encoding, chosen, reader(file, encoding));
    }

    private static Reader reader(Path file, TextEncoding encoding) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            in.skipNBytes(encoding.bomLength());
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new BufferedReader(new InputStreamReader(in, encoding.charset().newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)),
                64 * 1024);
    }

    private static char detectDelimiter(Path file, TextEncoding encoding) throws IOException {
        int[] counts = new int[DELIMITERS.length()];
        try (Reader in = reader(file, encoding)) {
            boolean quoted = false;
            for (int i = 0; i < 64 * 1024; i++) {
                int c = in.read();
                if (c == -1 || !quoted && (c == '\n' || c == '\r')) {
                    break;
                }
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && DELIMITERS.indexOf(c) >= 0) {
                    counts[DELIMITERS.indexOf(c)]++;
                }
            }
        }
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return DELIMITERS.charAt(best);
    }

    @Override
    public SheetRow next() throws IOException, FormatException {
        try {
            if (!records.hasNext()) {
                return null;
            }
            CsvRecord record = records.next();
            number++;
            return new SheetRow(number, record.getFields());
        } catch (CsvParseException e) {
            throw new FormatException("row " + (number + 1) + ": " + reason(e));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw new FormatException("the file is not valid " + encoding.charset().name() + " (in or after row "
                        + Math.max(number, 1) + ")");
            }
            throw e.getCause();
        }
    }

    private static String reason(CsvParseException e) {
        String m = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
        if (m.contains("maximum buffer size")) {
            return "a field is longer than " + MAX_FIELD_CHARS + " characters; is a quote left open?";
        }
        if (m.contains("Unclosed quoted field")) {
            return "a quoted field is not closed before the end of the file";
        }
        return m;
    }

    @Override
    public Shape shape() {
        return new Shape("CSV", encoding.describe(), delimiter == '\t' ? "\\t" : String.valueOf(delimiter), null);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
