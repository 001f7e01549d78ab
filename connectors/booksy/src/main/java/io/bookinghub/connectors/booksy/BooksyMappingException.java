package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import io.bookinghub.model.RecordKind;

/**
 * A Booksy record that cannot be mapped to the shared model. The sync reports it with
 * {@link io.bookinghub.spi.sync.SyncSink#skipped} and goes on. The reason names the problem and
 * never carries the whole payload.
 */
public final class BooksyMappingException extends Exception {
    private final RecordKind kind;
    private final String externalId;

    public BooksyMappingException(RecordKind kind, String externalId, String reason) {
        super(requireNonNull(reason, "reason is null"), null, false, false);
        this.kind = requireNonNull(kind, "kind is null");
        this.externalId = externalId;
    }

    public RecordKind kind() {
        return kind;
    }

    /** Booksy's id of the record, or null when it had none. */
    public String externalId() {
        return externalId;
    }

    public String reason() {
        return getMessage();
    }
}
