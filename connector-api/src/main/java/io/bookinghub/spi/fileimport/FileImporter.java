package io.bookinghub.spi.fileimport;

import io.bookinghub.spi.sync.SyncSink;
import java.io.InputStream;
import java.util.Set;

/**
 * Imports an uploaded file (e.g. a CSV export) into the shared model, for FILE_IMPORT connectors.
 *
 * <p>Implement exactly one of the two {@code importFile} methods. Since SPI 1.1.0 the hub calls
 * {@link #importFile(String, InputStream, boolean, FileImportSink)}, whose sink also takes a typed
 * {@link ImportReport} and {@link RowIssue}s; an importer written for SPI 1.0 implements only
 * {@link #importFile(String, InputStream, boolean, SyncSink)}, which the new method's default calls, and keeps
 * working unchanged. One that implements neither fails each import with an {@link UnsupportedOperationException}
 * naming its class.
 *
 * <p>Dry runs: when {@code dryRun} is true the hub guarantees that nothing is written, whatever the importer
 * does: upserts are not stored, deletes do nothing and cursors are not saved. An importer should therefore call
 * {@code upsert} in a dry run just as in a real import: the hub then classifies each record read-only with the
 * rules of a real write (content hash, provider version), so the dry run can tell how many records would be
 * created, updated or left unchanged. Upserts answer {@link io.bookinghub.spi.sync.UpsertOutcome#PENDING} then.
 */
public interface FileImporter {

    /**
     * The kinds {@link #importFile} accepts, so the hub can refuse any other before it starts a run (listing
     * these). Empty, the default, means the importer decides in {@code importFile}.
     */
    default Set<String> kinds() {
        return Set.of();
    }

    /**
     * Streams the file into the sink (SPI 1.1.0). Rows that cannot be taken are reported through
     * {@link FileImportSink#rowIssue} (level SKIPPED, with row number, column and reason) and the import goes on;
     * how the file was read through {@link FileImportSink#report} before the first row.
     *
     * <p>The default calls {@link #importFile(String, InputStream, boolean, SyncSink)}, for importers written for
     * SPI 1.0.
     *
     * @param kind   what the file holds, e.g. {@code appointments}
     * @param input  the file's bytes; read once, in bounded memory
     * @param dryRun when true, nothing is written (the hub guarantees it); upsert anyway, the sink classifies
     * @param sink   where records, row issues and the report go
     * @since SPI 1.1.0
     */
    default void importFile(String kind, InputStream input, boolean dryRun, FileImportSink sink) {
        importFile(kind, input, dryRun, (SyncSink) sink);
    }

    /**
     * Streams the file into the sink (SPI 1.0). Rows that cannot be taken are reported through
     * {@link SyncSink#skipped} (with row number and reason) and the import goes on.
     *
     * <p>Implement this only for an importer that must run on an SPI 1.0 hub; otherwise implement
     * {@link #importFile(String, InputStream, boolean, FileImportSink)}. The default throws
     * {@link UnsupportedOperationException} naming the class, since an importer must implement one of the two.
     *
     * @param kind   what the file holds, e.g. {@code appointments}
     * @param input  the file's bytes; read once, in bounded memory
     * @param dryRun when true, nothing is written; the sink only counts
     */
    default void importFile(String kind, InputStream input, boolean dryRun, SyncSink sink) {
        throw new UnsupportedOperationException(getClass().getName() + " implements neither importFile method of "
                + "FileImporter; implement importFile(String, InputStream, boolean, FileImportSink)");
    }
}
