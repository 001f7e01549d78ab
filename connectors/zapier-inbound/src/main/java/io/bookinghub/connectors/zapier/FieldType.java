package io.bookinghub.connectors.zapier;

/** The value type of a mapped field, which decides how a posted value is read and what a spec may say. */
enum FieldType {
    /** Text; a {@code map} translates values, unmapped values pass through. */
    TEXT,
    /** A whole number, from a JSON number or digits in a string. */
    INTEGER,
    /** true/false, yes/no or 1/0, case-insensitive. */
    BOOLEAN,
    /** A point in time: ISO-8601 by default, or the spec's {@code format}. */
    INSTANT,
    /** An {@link io.bookinghub.model.AppointmentStatus}; a {@code map} translates provider values to its names. */
    STATUS,
    /** An IANA time zone id such as {@code Europe/Berlin}. */
    ZONE,
    /** An amount, with a {@code currency} (ISO 4217) or a {@code currencyPointer}. */
    MONEY
}
