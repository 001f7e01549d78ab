package io.bookinghub.model;

/** The kinds of records in the shared model. */
public enum RecordKind {
    BUSINESS,
    LOCATION,
    STAFF_MEMBER,
    SERVICE,
    CLIENT,
    APPOINTMENT,
    AVAILABILITY_SLOT
}
