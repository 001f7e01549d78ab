package io.bookinghub.connectors.zapier;

import io.bookinghub.model.RecordKind;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a connection's posted objects are, and which fields its {@code mapping} may name. The field names are
 * the mapping language's vocabulary; {@link RecordMapper} documents how each becomes part of a model record.
 */
enum ZapierRecordKind {
    APPOINTMENT("appointment", RecordKind.APPOINTMENT, fields(
            "externalId", FieldType.TEXT,
            "start", FieldType.INSTANT,
            "end", FieldType.INSTANT,
            "durationMinutes", FieldType.INTEGER,
            "status", FieldType.STATUS,
            "providerStatus", FieldType.TEXT,
            "cancellationReason", FieldType.TEXT,
            "timeZone", FieldType.ZONE,
            "clientExternalId", FieldType.TEXT,
            "clientName", FieldType.TEXT,
            "clientEmail", FieldType.TEXT,
            "clientPhone", FieldType.TEXT,
            "staffExternalId", FieldType.TEXT,
            "staffName", FieldType.TEXT,
            "serviceExternalId", FieldType.TEXT,
            "serviceName", FieldType.TEXT,
            "locationExternalId", FieldType.TEXT,
            "price", FieldType.MONEY,
            "clientNote", FieldType.TEXT,
            "businessNote", FieldType.TEXT)),
    CLIENT("client", RecordKind.CLIENT, fields(
            "externalId", FieldType.TEXT,
            "name", FieldType.TEXT,
            "email", FieldType.TEXT,
            "phone", FieldType.TEXT)),
    SERVICE("service", RecordKind.SERVICE, fields(
            "externalId", FieldType.TEXT,
            "name", FieldType.TEXT,
            "category", FieldType.TEXT,
            "description", FieldType.TEXT,
            "durationMinutes", FieldType.INTEGER,
            "price", FieldType.MONEY,
            "active", FieldType.BOOLEAN));

    private final String id;
    private final RecordKind recordKind;
    private final Map<String, FieldType> fields;

    ZapierRecordKind(String id, RecordKind recordKind, Map<String, FieldType> fields) {
        this.id = id;
        this.recordKind = recordKind;
        this.fields = fields;
    }

    private static Map<String, FieldType> fields(Object... pairs) {
        Map<String, FieldType> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], (FieldType) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(out);
    }

    /** The {@code recordKind} configuration value. */
    String id() {
        return id;
    }

    RecordKind recordKind() {
        return recordKind;
    }

    /** Field names in documentation order, with their types. */
    Map<String, FieldType> fields() {
        return fields;
    }

    /** The type of every event parsed for this kind. */
    String eventType() {
        return id + ".upserted";
    }

    static Optional<ZapierRecordKind> byId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id.trim().toLowerCase(Locale.ROOT))).findFirst();
    }

    static List<String> ids() {
        return Arrays.stream(values()).map(ZapierRecordKind::id).toList();
    }
}
