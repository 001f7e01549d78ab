package io.bookinghub.toolkit.json;

import static java.util.Objects.requireNonNull;

/**
 * A provider record lacks a field or has one that cannot be read. The message names the field and quotes at most
 * 64 characters of the value, never the record: a sync reports it with {@code SyncSink.skipped} and goes on.
 */
public final class JsonFieldException extends RuntimeException {
    private final String field;
    private final String problem;

    public JsonFieldException(String field, String problem) {
        super(requireNonNull(field, "field is null") + ": " + requireNonNull(problem, "problem is null"), null, false,
                false);
        this.field = field;
        this.problem = problem;
    }

    /** What is wrong, without the field name (for a caller that names the field its own way). */
    public String problem() {
        return problem;
    }

    /** The field's name as the provider spells it. */
    public String field() {
        return field;
    }
}
