package io.bookinghub.spi.fileimport;

import io.bookinghub.spi.sync.SyncSink;
import java.io.InputStream;
import java.util.Set;

/** Imports an uploaded file (e.g. a CSV export) into the shared model, for FILE_IMPORT connectors. */
public interface FileImporter {

    /**
     * The kinds {@link #importFile} accepts, so the hub can refuse any other before it starts a run (listing
     * these). Empty, the default, means the importer decides in {@code importFile}.
     */
    default Set<String> kinds() {
        return Set.of();
    }

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
