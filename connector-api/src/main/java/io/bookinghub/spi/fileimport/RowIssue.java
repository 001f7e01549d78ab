package io.bookinghub.spi.fileimport;

import static java.util.Objects.requireNonNull;

import io.bookinghub.model.RecordKind;

/**
 * A row of an imported file that could not be taken ({@link Level#SKIPPED}) or was taken with something the admin
 * should know ({@link Level#WARNING}, e.g. a local time a daylight-saving change skips).
 *
 * @param level      whether the row was skipped or imported with a warning
 * @param kind       what kind of record the row is
 * @param externalId the record's id when the file gives one (or the importer derived it), else null
 * @param row        the row's number in the file, 1 for the first line or spreadsheet row
 * @param column     the header of the column concerned, or null when the whole row is meant
 * @param reason     why, in words for the admin (no secrets, no full payload)
 * @since SPI 1.1.0
 */
public record RowIssue(Level level, RecordKind kind, String externalId, long row, String column, String reason) {
    /** What happened to the row. */
    public enum Level {
        SKIPPED, WARNING
    }

    public RowIssue {
        requireNonNull(level, "level is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(reason, "reason is null");
        if (row < 1) {
            throw new IllegalArgumentException("row must be at least 1, got " + row);
        }
        if (reason.isBlank()) {
            throw new IllegalArgumentException("reason is blank");
        }
    }

    /** The issue in the words of a run's log, e.g. {@code row 17, column 'Price': not a price: 'abc'}. */
    public String message() {
        return "row " + row + (column == null ? "" : ", column '" + column + "'") + ": " + reason;
    }
}
