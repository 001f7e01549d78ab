package io.bookinghub.connectors.csvimport;

import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDate;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/** Writes a large appointments workbook as Excel would: serial dates and times with date formats. */
final class XlsxVolume {
    private XlsxVolume() {
    }

    /**
     * @param clients how many distinct client names the rows cycle through (texts live in the workbook's
     *                shared-strings table, which the reader keeps as it goes)
     */
    static void write(OutputStream out, int rows, int clients) throws IOException {
        Workbook workbook = new Workbook(out, "volume", "1.0");
        Worksheet sheet = workbook.newWorksheet("Wizyty");
        String[] header = {"ID wizyty", "Data wizyty", "Godzina", "Czas trwania (min)", "Usługa", "Klient", "Cena"};
        for (int c = 0; c < header.length; c++) {
            sheet.value(0, c, header[c]);
        }
        for (int r = 1; r <= rows; r++) {
            sheet.value(r, 0, r);
            sheet.value(r, 1, LocalDate.of(2026, 4, 1 + r % 28));
            sheet.style(r, 1).format("dd.mm.yyyy").set();
            sheet.value(r, 2, (8 + r % 10) / 24.0);
            sheet.style(r, 2).format("hh:mm").set();
            sheet.value(r, 3, 45);
            sheet.value(r, 4, "Strzyżenie");
            sheet.value(r, 5, "Klientka " + r % clients);
            sheet.value(r, 6, 120.5);
            if (r % 10_000 == 0) {
                sheet.flush();
            }
        }
        workbook.finish();
    }
}
