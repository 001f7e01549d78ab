package io.bookinghub.connectors.csvimport;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.RecordKind;
import io.bookinghub.testkit.CountingSyncSink;
import io.bookinghub.testkit.TestContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * A 200,000-row export, generated while it is read, imports in bounded memory. Surefire runs this class alone
 * with {@code -Xmx16m} (see the pom) and the test first proves that the file is larger than that heap, so an
 * importer that kept rows (or records) would die with OutOfMemoryError. It is the heap, not the row count,
 * that makes the proof, so the file is only as large as needed to exceed it. No timing is asserted.
 */
class CsvImportVolumeTest {
    private static final int ROWS = 200_000;
    private static final int BAD_EVERY = 50_000;

    /** Booksy-preset rows, semicolon separated with quoted fields, CRLF, produced on demand. */
    static final class GeneratedExport extends InputStream {
        private final int rows;
        private byte[] current = ("\uFEFF\"Appointment ID\";\"Date\";\"Start time\";\"End time\";\"Service\";\"Staff\";"
                + "\"Client\";\"Client phone\";\"Client email\";\"Price\";\"Status\";\"Notes\"\r\n")
                .getBytes(StandardCharsets.UTF_8);
        private int position;
        private int row;
        private long served;

        GeneratedExport(int rows) {
            this.rows = rows;
        }

        long bytesServed() {
            return served;
        }

        private boolean advance() {
            if (position < current.length) {
                return true;
            }
            if (row == rows) {
                return false;
            }
            row++;
            int day = 1 + row % 28;
            int hour = 8 + row % 10;
            String price = row % BAD_EVERY == 0 ? "n/a" : (row % 200) + ",50 zł";
            current = String.format("\"A-%d\";\"%02d.04.2026\";\"%02d:00\";\"%02d:45\";\"Haircut; wash\";\"Ola\";"
                            + "\"Client %d\";\"+48 600 %06d\";\"client%d@example.com\";\"%s\";\"Confirmed\";"
                            + "\"note, line one\r\nline two\"\r\n",
                    row, day, hour, hour, row, row, row, price).getBytes(StandardCharsets.UTF_8);
            position = 0;
            return true;
        }

        @Override
        public int read() {
            if (!advance()) {
                return -1;
            }
            served++;
            return current[position++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!advance()) {
                return -1;
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            served += n;
            return n;
        }
    }

    @Test
    void anExportLargerThanTheHeapImportsInBoundedMemory() {
        long[] checked = {0};
        String[] lastId = {null};
        CountingSyncSink sink = new CountingSyncSink(record -> {
            if (!(record instanceof Appointment a)) {
                return;
            }
            lastId[0] = a.ref().externalId();
            if (a.ref().externalId().equals("A-123457")) {
                // Spot check one record deep in the file: 123457 % 28 = 5 -> 6 April, 08:00 + 7 h -> 15:00.
                assertThat(a.start()).hasToString("2026-04-06T13:00:00Z");
                assertThat(a.price().amount()).isEqualByComparingTo(new BigDecimal("57.50"));
                assertThat(a.businessNote()).isEqualTo("note, line one\r\nline two");
                checked[0]++;
            }
        });
        GeneratedExport export = new GeneratedExport(ROWS);
        TestContext context = TestContext.of(new CsvImportConnectorFactory(), Map.of());

        new CsvImportConnectorFactory().create(context).fileImport().importFile("appointments", export, false, sink);

        assertThat(export.bytesServed()).as("the file must be larger than the heap for this test to prove streaming")
                .isGreaterThan(Runtime.getRuntime().maxMemory());
        assertThat(sink.upserts(RecordKind.APPOINTMENT)).isEqualTo(ROWS - ROWS / BAD_EVERY);
        assertThat(sink.skipped()).isEqualTo(ROWS / BAD_EVERY);
        assertThat(sink.firstSkipReason()).isEqualTo("row " + (BAD_EVERY + 1) + ", column 'Price': not a price: 'n/a'");
        // The last row is one of the bad rows, so the last record written is the one before it.
        assertThat(lastId[0]).isEqualTo("A-" + (ROWS - 1));
        assertThat(checked[0]).isEqualTo(1);
        // Every client is written once, linked from its row.
        assertThat(sink.upserts(RecordKind.CLIENT)).isEqualTo(ROWS - ROWS / BAD_EVERY);
        // Every 10,000 rows (the default interval), then the three end-of-import reports: rows read, valid, invalid
        // (what was detected is a typed report; created/updated/unchanged are the run's own counts).
        assertThat(sink.progressCalls()).isEqualTo(ROWS / 10_000 + 3);
    }

    @Test
    void anXlsxSheetStreamsInBoundedMemory() throws Exception {
        int rows = 100_000;
        Path file = Files.createTempFile("volume-", ".xlsx");
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                XlsxVolume.write(out, rows, 5_000);
            }
            CountingSyncSink sink = new CountingSyncSink(record -> { });
            TestContext context = TestContext.of(new CsvImportConnectorFactory(), Map.of());
            try (InputStream in = Files.newInputStream(file)) {
                new CsvImportConnectorFactory().create(context).fileImport().importFile("auto", in, false, sink);
            }
            // The sheet's XML alone is larger than the heap, so a reader that built it in memory would fail.
            try (ZipFile zip = new ZipFile(file.toFile())) {
                assertThat(zip.getEntry("xl/worksheets/sheet1.xml").getSize())
                        .isGreaterThan(Runtime.getRuntime().maxMemory());
            }
            assertThat(sink.upserts(RecordKind.APPOINTMENT)).isEqualTo(rows);
            assertThat(sink.skipped()).isZero();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
