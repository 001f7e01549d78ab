package io.bookinghub.spi.fileimport;

import io.bookinghub.spi.sync.SyncSink;
import java.io.InputStream;

/** Imports an uploaded file (e.g. a CSV export) into the shared model, for FILE_IMPORT connectors. */
public interface FileImporter {

    /**
     * Streams the file into the sink. Rows that cannot be taken are reported through
     * {@link SyncSink#skipped} (with row number and reason) and the import goes on.
     *
     * @param kind   what the file holds, e.g. {@code appointments}
     * @param input  the file's bytes; read once, in bounded memory
     * @param dryRun when true, nothing is written; the sink only counts
     */
    void importFile(String kind, InputStream input, boolean dryRun, SyncSink sink);
}
