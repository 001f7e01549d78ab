package io.bookinghub.connectors.zapier;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.toolkit.json.Json;
import io.bookinghub.toolkit.json.JsonFieldException;
import java.time.ZoneId;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connection's validated {@code mapping}: for each model field of its record kind, the {@link FieldSpec} that
 * reads it from a posted object. Immutable and thread-safe.
 *
 * <p>Required entries: appointment needs {@code externalId}, {@code start} and one of {@code end} or
 * {@code durationMinutes}; client needs {@code name}; service needs {@code name} and {@code durationMinutes}.
 */
final class Mapping {
    static final String PREFIX = ZapierConfig.MAPPING + ".";

    private final ZapierRecordKind kind;
    private final Map<String, FieldSpec> specs;

    private Mapping(ZapierRecordKind kind, Map<String, FieldSpec> specs) {
        this.kind = kind;
        this.specs = Collections.unmodifiableMap(specs);
    }

    /**
     * Parses the configuration value.
     *
     * @throws MappingException naming {@code mapping} (not JSON, not an object) or {@code mapping.<field>}
     */
    static Mapping parse(String json, ZapierRecordKind kind) throws MappingException {
        requireNonNull(kind, "kind is null");
        JsonNode root;
        try {
            root = json == null ? null : Json.parse(ZapierConfig.MAPPING, json);
        } catch (JsonFieldException e) {
            throw new MappingException(ZapierConfig.MAPPING, "is " + e.problem());
        }
        if (root == null || !root.isObject()) {
            throw new MappingException(ZapierConfig.MAPPING, "must be a JSON object from field names to specs, "
                    + "e.g. {\"externalId\": \"/id\"}");
        }
        Map<String, FieldSpec> specs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            FieldType type = kind.fields().get(entry.getKey());
            if (type == null) {
                throw new MappingException(PREFIX + entry.getKey(), "unknown field for recordKind " + kind.id()
                        + "; known fields: " + kind.fields().keySet());
            }
            specs.put(entry.getKey(), FieldSpec.parse(PREFIX + entry.getKey(), type, entry.getValue()));
        }
        switch (kind) {
            case APPOINTMENT -> {
                require(specs, kind, "externalId");
                require(specs, kind, "start");
                if (!specs.containsKey("end") && !specs.containsKey("durationMinutes")) {
                    throw new MappingException(PREFIX + "end", "an appointment needs \"end\" or \"durationMinutes\"");
                }
            }
            case CLIENT -> require(specs, kind, "name");
            case SERVICE -> {
                require(specs, kind, "name");
                require(specs, kind, "durationMinutes");
            }
        }
        return new Mapping(kind, specs);
    }

    private static void require(Map<String, FieldSpec> specs, ZapierRecordKind kind, String field)
            throws MappingException {
        if (!specs.containsKey(field)) {
            throw new MappingException(PREFIX + field, "is required for recordKind " + kind.id());
        }
    }

    ZapierRecordKind kind() {
        return kind;
    }

    boolean has(String field) {
        return specs.containsKey(field);
    }

    /**
     * The field's converted value, or null when the field is not mapped or the posted object has no value
     * for it (see {@link FieldSpec#value}).
     */
    <T> T value(String field, JsonNode item, ZoneId businessZone, Class<T> type) throws MappingException {
        FieldSpec spec = spec(field);
        return spec == null ? null : type.cast(spec.value(item, businessZone));
    }

    /** Like {@link #value}, but an absent value is an error naming the field. */
    <T> T required(String field, JsonNode item, ZoneId businessZone, Class<T> type)
            throws MappingException {
        T value = value(field, item, businessZone, type);
        if (value == null) {
            throw new MappingException(PREFIX + field, "the posted object has no value for it and no default is "
                    + "configured");
        }
        return value;
    }

    /** The value as posted, before conversion; null when the field is unmapped or has no value. */
    String sourceText(String field, JsonNode item) throws MappingException {
        FieldSpec spec = spec(field);
        return spec == null ? null : spec.sourceText(item);
    }

    private FieldSpec spec(String field) {
        if (!kind.fields().containsKey(field)) {
            throw new IllegalArgumentException("recordKind " + kind.id() + " has no field " + field);
        }
        return specs.get(field);
    }

    @Override
    public String toString() {
        return "Mapping[" + kind.id() + ", fields=" + specs.keySet() + "]";
    }
}
