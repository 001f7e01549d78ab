package io.bookinghub.connectors.csvimport;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

/**
 * One sheet of an XLSX workbook, streamed row by row with fastexcel-reader (StAX over the zip entry; the
 * workbook is never built in memory). The first sheet is read unless the connection names one.
 *
 * <p>Cells become text as the CSV path sees them: a number formatted as a date or time (Excel stores both
 * as serial numbers: days since 1899-12-30, the fraction being the time of day) becomes ISO text
 * ({@code 2026-12-07}, {@code 10:30}, {@code 2026-12-07 10:30}); other numbers become plain decimals
 * ({@code 1200.5}); a row's number is the sheet's row number.
 */
final class XlsxTable implements Table {
    /** Excel's built-in date and time formats (ECMA-376 18.8.30); custom ones are recognised by pattern. */
    private static final Set<Integer> BUILT_IN_DATE_FORMATS = Set.of(14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47);
    // Text in quotes or brackets is literal or a colour/locale, never a date part.
    private static final Pattern LITERALS = Pattern.compile("\"[^\"]*\"|\\[[^]]*]|\\\\.");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");
    private static final DateTimeFormatter DATE_TIME_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final ReadableWorkbook workbook;
    private final String sheetName;
    private final Stream<Row> stream;
    private final Iterator<Row> rows;

    private XlsxTable(ReadableWorkbook workbook, Sheet sheet) throws IOException {
        this.workbook = requireNonNull(workbook, "workbook is null");
        this.sheetName = sheet.getName();
        this.stream = sheet.openStream();
        this.rows = stream.iterator();
    }

    /** Whether a file starts like a zip (an XLSX workbook) rather than text. */
    static boolean looksLikeXlsx(byte[] head) {
        return ReadableWorkbook.isOOXMLZipHeader(head);
    }

    /**
     * Opens a sheet.
     *
     * @param sheet the sheet's name, or null for the first sheet
     */
    static XlsxTable open(Path file, String sheet) throws IOException, FormatException {
        ReadableWorkbook workbook;
        try {
            workbook = new ReadableWorkbook(file.toFile(), new ReadingOptions(true, false));
        } catch (IOException | RuntimeException e) {
            throw new FormatException("the file is not a readable XLSX workbook: " + e.getMessage());
        }
        try {
            Sheet chosen = sheet == null ? workbook.getFirstSheet() : workbook.findSheet(sheet).orElse(null);
            if (chosen == null) {
                List<String> names = workbook.getSheets().map(Sheet::getName).toList();
                throw new FormatException("the workbook has no sheet '" + sheet + "'; its sheets are " + names);
            }
            return new XlsxTable(workbook, chosen);
        } catch (IOException | FormatException | RuntimeException e) {
            workbook.close();
            throw e;
        }
    }

    @Override
    public SheetRow next() throws IOException, FormatException {
        try {
            if (!rows.hasNext()) {
                return null;
            }
            Row row = rows.next();
            List<String> cells = new ArrayList<>(row.getCellCount());
            for (int i = 0; i < row.getCellCount(); i++) {
                cells.add(text(row.getCell(i)));
            }
            return new SheetRow(row.getRowNum(), cells);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            throw new FormatException("the sheet '" + sheetName + "' could not be read: " + e.getMessage());
        }
    }

    private static String text(Cell cell) {
        if (cell == null || cell.getType() == CellType.EMPTY) {
            return "";
        }
        if (cell.getType() == CellType.NUMBER) {
            if (isDateFormat(cell.getDataFormatId(), cell.getDataFormatString())) {
                BigDecimal serial = cell.asNumber();
                LocalDateTime at = cell.asDate();
                if (serial.compareTo(BigDecimal.ONE) < 0) {
                    return at.toLocalTime().format(TIME);
                }
                if (at.toLocalTime().equals(LocalTime.MIDNIGHT)) {
                    return at.toLocalDate().toString();
                }
                return at.format(at.getSecond() == 0 ? DATE_TIME : DATE_TIME_SECONDS);
            }
            return cell.asNumber().stripTrailingZeros().toPlainString();
        }
        if (cell.getType() == CellType.BOOLEAN) {
            return String.valueOf(cell.asBoolean());
        }
        String text = cell.getText();
        return text == null ? "" : text;
    }

    static boolean isDateFormat(Integer id, String format) {
        if (id != null && BUILT_IN_DATE_FORMATS.contains(id)) {
            return true;
        }
        if (format == null) {
            return false;
        }
        String bare = LITERALS.matcher(format).replaceAll("").toLowerCase(Locale.ROOT);
        return bare.matches(".*[dmyhs].*");
    }

    @Override
    public Shape shape() {
        return new Shape("XLSX", null, null, sheetName);
    }

    @Override
    public void close() throws IOException {
        stream.close();
        workbook.close();
    }
}
