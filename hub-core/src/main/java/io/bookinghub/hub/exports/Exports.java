package io.bookinghub.hub.exports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import de.siegmar.fastcsv.writer.CsvWriter;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Streams an export: one read-only REPEATABLE READ transaction (the file is one consistent snapshot, however long
 * it takes to send), a server-side cursor read {@value #FETCH_SIZE} rows at a time, each row written to the answer
 * as it arrives. Memory stays what one fetch takes, whatever the number of rows.
 */
final class Exports {
    /** Rows PostgreSQL sends per round trip of the cursor. */
    static final int FETCH_SIZE = 1000;

    private final Jdbi jdbi;
    private final ObjectWriter json;

    Exports(Jdbi jdbi, ObjectMapper mapper) {
        this.jdbi = jdbi;
        // One JSON document per line: no pretty printing, whatever the mapper is set to.
        this.json = mapper.writer().without(SerializationFeature.INDENT_OUTPUT);
    }

    <T> StreamingOutput csv(ExportTable<T> table, ExportFilter filter, boolean timeRanged, ZoneId zone) {
        return out -> read(table, filter, timeRanged, rows -> {
            Writer writer = writer(out);
            CsvWriter csv = CsvWriter.builder().build(writer);
            csv.writeRecord(table.headers());
            while (rows.hasNext()) {
                csv.writeRecord(table.cells().apply(rows.next(), zone));
            }
            csv.flush();
        });
    }

    <T> StreamingOutput ndjson(ExportTable<T> table, ExportFilter filter, boolean timeRanged) {
        return out -> read(table, filter, timeRanged, rows -> {
            Writer writer = writer(out);
            while (rows.hasNext()) {
                writer.write(json.writeValueAsString(rows.next()));
                writer.write('\n');
            }
            writer.flush();
        });
    }

    private <T> void read(ExportTable<T> table, ExportFilter filter, boolean timeRanged, RowsWriter<T> write)
            throws IOException {
        try {
            jdbi.useTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
                h.execute("SET TRANSACTION READ ONLY");
                try (Stream<T> rows = filter.apply(h.createQuery(table.sql()), timeRanged).setFetchSize(FETCH_SIZE)
                        .map(table.mapper()).stream()) {
                    write.write(rows.iterator());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            // A client that hung up: Jetty's EofException, which the hub does not log as its own failure.
            throw e.getCause();
        }
    }

    private static Writer writer(OutputStream out) {
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
    }

    @FunctionalInterface
    private interface RowsWriter<T> {
        void write(Iterator<T> rows) throws IOException;
    }
}
