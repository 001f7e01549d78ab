package io.bookinghub.spi.fileimport;

import io.bookinghub.spi.sync.SyncSink;

/**
 * The sink of a file import: a {@link SyncSink} that also takes what is particular to a file, as typed data: how
 * the file was read ({@link #report}) and each row that could not be taken or was taken with a warning
 * ({@link #rowIssue}). The hub shows both in the answer to an upload.
 *
 * <p>In a dry run the hub's sink writes nothing but still classifies every upsert (created, updated, unchanged)
 * read-only, so an importer calls {@code upsert} in a dry run exactly as in a real import.
 *
 * @since SPI 1.1.0
 */
public interface FileImportSink extends SyncSink {

    /** How the file was read; called once, before the first row. The default ignores it. */
    default void report(ImportReport report) {
    }

    /**
     * A row that was skipped or imported with a warning. The default passes it on as {@link #skipped} or
     * {@link #warning} with {@link RowIssue#message()}, so a skipped row counts as skipped in the run either way.
     */
    default void rowIssue(RowIssue issue) {
        if (issue.level() == RowIssue.Level.SKIPPED) {
            skipped(issue.kind(), issue.externalId(), issue.message());
        } else {
            warning(issue.kind(), issue.externalId(), issue.message());
        }
    }
}
