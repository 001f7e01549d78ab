package io.bookinghub.connectors.csvimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
    private static List<List<String>> read(String text, char delimiter) throws Exception {
        CsvReader reader = new CsvReader(new StringReader(text), delimiter, 1000);
        List<List<String>> out = new ArrayList<>();
        List<String> record;
        while ((record = reader.next()) != null) {
            out.add(record);
        }
        return out;
    }

    @Test
    void readsPlainRecordsWithAnyLineEnd() throws Exception {
        assertThat(read("a,b\r\nc,d\ne,f\rg,h", ',')).containsExactly(List.of("a", "b"), List.of("c", "d"),
                List.of("e", "f"), List.of("g", "h"));
    }

    @Test
    void aTrailingLineBreakDoesNotAddARecord() throws Exception {
        assertThat(read("a;b\r\n", ';')).containsExactly(List.of("a", "b"));
    }

    @Test
    void quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws Exception {
        assertThat(read("\"x, y\",\"say \"\"hi\"\"\",\"line1\r\nline2\nline3\"\r\nnext,row", ','))
                .containsExactly(List.of("x, y", "say \"hi\"", "line1\r\nline2\nline3"), List.of("next", "row"));
    }

    @Test
    void emptyFieldsAreKept() throws Exception {
        assertThat(read(",\"\",x,", ',')).containsExactly(List.of("", "", "x", ""));
    }

    @Test
    void theOtherDelimiterIsData() throws Exception {
        assertThat(read("1,50;2,00", ';')).containsExactly(List.of("1,50", "2,00"));
    }

    @Test
    void recordNumbersCountRecordsNotLines() throws Exception {
        CsvReader reader = new CsvReader(new StringReader("h\n\"a\nb\"\nc\n"), ',', 1000);
        reader.next();
        reader.next();
        reader.next();
        assertThat(reader.recordNumber()).isEqualTo(3);
    }

    @Test
    void anUnclosedQuoteIsAFormatErrorNamingTheRow() throws Exception {
        CsvReader reader = new CsvReader(new StringReader("h\nok\n\"never closed\n"), ',', 1000);
        reader.next();
        reader.next();
        assertThatThrownBy(reader::next).isInstanceOf(CsvReader.CsvFormatException.class)
                .hasMessageContaining("row 3").hasMessageContaining("not closed");
    }

    @Test
    void anOversizedRecordStopsInsteadOfFillingMemory() throws Exception {
        CsvReader reader = new CsvReader(new StringReader("\"" + "x".repeat(5000)), ',', 1000);
        assertThatThrownBy(reader::next).isInstanceOf(CsvReader.CsvFormatException.class)
                .hasMessageContaining("longer than 1000 characters");
    }
}
