package io.bookinghub.bench;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.bookinghub.connectors.csvimport.CsvImportConnectorFactory;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.fileimport.FileImporter;
import io.bookinghub.testkit.CountingSyncSink;
import io.bookinghub.testkit.TestContext;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;

/**
 * Throughput and memory of the config-less CSV/XLSX importer on a 1,000,000-row appointments export, run in
 * one JVM with a small heap ({@code bench/run.sh --import} uses {@code -Xmx64m}): finishing at all shows the
 * import streams. Each import is compared with a baseline from the same run that only parses the same file
 * (FastCSV over the same bytes; fastexcel-reader over the same sheet), so the ratio is what detection, the
 * second pass, mapping and the records cost on top of reading.
 *
 * <p>The CSV is what a Polish salon's Excel writes: windows-1250, {@code ;}, CRLF, a quoted note with a line
 * break, {@code 1 200,00 zł} prices, every client distinct. The XLSX has Excel serial dates and times;
 * its client names cycle through {@code --xlsx-clients} values, because fastexcel-reader keeps the
 * workbook's shared-strings table in memory as it reads it (see docs/importing.md).
 *
 * <p>Options: {@code --rows N} (1000000), {@code --xlsx-clients N} (10000), {@code --dir PATH} (a temporary
 * directory), {@code --formats csv,xlsx}.
 */
public final class ImportBenchmark {
    private static final Charset WINDOWS_1250 = Charset.forName("windows-1250");

    private ImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--rows", "1000000", "--xlsx-clients", "10000",
                "--formats", "csv,xlsx", "--dir", ""));
        for (int i = 0; i < args.length; i++) {
            if (!o.containsKey(args[i]) || i + 1 >= args.length) {
                System.err.println("usage: ImportBenchmark [--rows N] [--xlsx-clients N] [--formats csv,xlsx] "
                        + "[--dir PATH]");
                System.exit(2);
            }
            o.put(args[i], args[++i]);
        }
        int rows = Integer.parseInt(o.get("--rows"));
        int xlsxClients = Integer.parseInt(o.get("--xlsx-clients"));
        String formats = o.get("--formats");
        Path dir = o.get("--dir").isEmpty() ? Files.createTempDirectory("import-bench") : Path.of(o.get("--dir"));
        System.out.printf(Locale.ROOT, "max heap %d MiB, %d rows%n", Runtime.getRuntime().maxMemory() >> 20, rows);
        if (formats.contains("csv")) {
            Path csv = dir.resolve("appointments.csv");
            writeCsv(csv, rows);
            measure("csv", csv, rows, () -> parseCsv(csv));
            Files.deleteIfExists(csv);
        }
        if (formats.contains("xlsx")) {
            Path xlsx = dir.resolve("appointments.xlsx");
            writeXlsx(xlsx, rows, xlsxClients);
            measure("xlsx", xlsx, rows, () -> parseXlsx(xlsx));
            Files.deleteIfExists(xlsx);
        }
    }

    private interface Baseline {
        long rows() throws IOException;
    }

    private static void measure(String format, Path file, int rows, Baseline baseline) throws IOException {
        long size = Files.size(file);
        long t0 = System.nanoTime();
        long parsed = baseline.rows();
        long parseNanos = System.nanoTime() - t0;

        CountingSyncSink sink = new CountingSyncSink();
        FileImporter importer = new CsvImportConnectorFactory().create(TestContext.of(new CsvImportConnectorFactory(),
                Map.of())).fileImport();
        long t1 = System.nanoTime();
        try (InputStream in = Files.newInputStream(file)) {
            importer.importFile("auto", in, false, sink);
        }
        long importNanos = System.nanoTime() - t1;
        long imported = sink.upserts(RecordKind.APPOINTMENT);
        if (imported != rows || sink.skipped() != 0) {
            throw new IllegalStateException(format + ": imported " + imported + " of " + rows + ", skipped "
                    + sink.skipped() + " (first: " + sink.firstSkipReason() + ")");
        }
        System.out.printf(Locale.ROOT, "%s: %,d bytes; parse only %,d rows in %.1f s (%,.0f rows/s); import %,d "
                        + "appointments + %,d client upserts in %.1f s (%,.0f rows/s); import/parse time %.2f; "
                        + "sum of heap-pool peaks %d MiB%n",
                format, size, parsed, parseNanos / 1e9, parsed / (parseNanos / 1e9), imported,
                sink.upserts(RecordKind.CLIENT), importNanos / 1e9, rows / (importNanos / 1e9),
                (double) importNanos / parseNanos, HeapProbe.sumOfPoolPeaks() >> 20);
    }

    static void writeCsv(Path file, int rows) throws IOException {
        try (Writer out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), WINDOWS_1250),
                1 << 16)) {
            out.write("Data wizyty;Godzina;Czas trwania (min);Usługa;Pracownik;Klient;Telefon;Cena;Status;Uwagi\r\n");
            for (int r = 1; r <= rows; r++) {
                out.write(String.format(Locale.ROOT, "%02d.%02d.2026;%02d:%02d;45;Strzyżenie damskie;Łucja;"
                                + "Klientka Żółć %d;+48 5%08d;\"1 2%02d,50 zł\";Zarezerwowana;\"Uwaga; "
                                + "linia pierwsza\r\nlinia druga\"\r\n",
                        1 + r % 28, 1 + (r / 28) % 12, 8 + r % 10, (r % 4) * 15, r, r, r % 100));
            }
        }
    }

    static void writeXlsx(Path file, int rows, int clients) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            Workbook workbook = new Workbook(out, "bench", "1.0");
            Worksheet sheet = workbook.newWorksheet("Wizyty");
            String[] header = {"Data wizyty", "Godzina", "Czas trwania (min)", "Usługa", "Klient", "Cena", "Status"};
            for (int c = 0; c < header.length; c++) {
                sheet.value(0, c, header[c]);
            }
            for (int r = 1; r <= rows; r++) {
                sheet.value(r, 0, LocalDate.of(2026, 1 + (r / 28) % 12, 1 + r % 28));
                sheet.style(r, 0).format("dd.mm.yyyy").set();
                sheet.value(r, 1, (8 + r % 10 + (r % 4) / 4.0) / 24.0);
                sheet.style(r, 1).format("hh:mm").set();
                sheet.value(r, 2, 45);
                sheet.value(r, 3, "Strzyżenie damskie");
                sheet.value(r, 4, "Klientka " + r % clients);
                sheet.value(r, 5, 1200.5);
                sheet.value(r, 6, "Zarezerwowana");
                if (r % 10_000 == 0) {
                    sheet.flush();
                }
            }
            workbook.finish();
        }
    }

    private static long parseCsv(Path file) throws IOException {
        long n = 0;
        try (Reader reader = Files.newBufferedReader(file, WINDOWS_1250);
                CsvReader<CsvRecord> csv = CsvReader.builder().fieldSeparator(';').ofCsvRecord(reader)) {
            for (CsvRecord ignored : csv) {
                n++;
            }
        }
        return n - 1;
    }

    private static long parseXlsx(Path file) throws IOException {
        long n = 0;
        try (ReadableWorkbook workbook = new ReadableWorkbook(file.toFile());
                Stream<Row> rows = workbook.getFirstSheet().openStream()) {
            for (Iterator<Row> it = rows.iterator(); it.hasNext(); it.next()) {
                n++;
            }
        }
        return n - 1;
    }
}
