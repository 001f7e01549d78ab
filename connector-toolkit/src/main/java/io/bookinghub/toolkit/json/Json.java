package io.bookinghub.toolkit.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reading provider JSON records field by field. Required readers throw {@link JsonFieldException} naming the
 * field; optional readers return empty for a missing or {@code null} field but still throw for one that is present
 * and wrong (a {@code start} of {@code "tomorrow"} is an error, not an absent value).
 *
 * <p>Times: {@link #instant} accepts an ISO-8601 date-time with an offset or {@code Z}
 * ({@code 2026-03-28T10:00:00+01:00}) and never guesses a zone for one without; {@link #offsetDateTime} keeps the
 * offset the provider wrote, for connectors that must know the local wall time.
 */
public final class Json {
    /**
     * One shared mapper, thread-safe once configured, and configured only here. Strict, because a document that
     * parses leniently may not be what it seems: decimals stay exact ({@code 12.10} does not become
     * {@code 12.0999...}), and duplicate keys or anything after the document are errors.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private Json() {
    }

    /**
     * Parses a whole document (a webhook body, a JSON setting) with an error that says where it broke and never
     * quotes the input, as Jackson's own messages do (the input may be personal data or a secret). Blank text is
     * {@link com.fasterxml.jackson.databind.node.MissingNode}.
     *
     * @throws JsonFieldException for {@code what}: "not valid JSON (line L, column C)"
     */
    public static JsonNode parse(String what, String text) {
        requireNonNull(what, "what is null");
        try {
            return MAPPER.readTree(requireNonNull(text, "text is null"));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new JsonFieldException(what, "not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
    }

    /** The text as a JSON object or array; empty when it is blank, not JSON, or a bare scalar. */
    public static Optional<JsonNode> parseContainer(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            return node != null && node.isContainerNode() ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /**
     * The text as a JSON object, e.g. a webhook body or a stored payload.
     *
     * @throws JsonFieldException for field {@code body} when it is not one
     */
    public static JsonNode object(String text) {
        return parseContainer(text).filter(JsonNode::isObject)
                .orElseThrow(() -> new JsonFieldException("body", "not a JSON object"));
    }

    /** A string (or number, as text) field; blank counts as missing. */
    public static String text(JsonNode node, String field) {
        return optionalText(node, field).orElseThrow(() -> new JsonFieldException(field, "missing"));
    }

    public static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = value(node, field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
            throw new JsonFieldException(field, "not a text value");
        }
        return value.asText().isBlank() ? Optional.empty() : Optional.of(value.asText());
    }

    /** An id: a non-blank string or an integer, at most 255 characters. */
    public static String id(JsonNode node, String field) {
        JsonNode value = value(node, field);
        if (value == null || !(value.isTextual() || value.isIntegralNumber()) || value.asText().isBlank()) {
            throw new JsonFieldException(field, "missing");
        }
        if (value.asText().length() > 255) {
            throw new JsonFieldException(field, "longer than 255 characters");
        }
        return value.asText();
    }

    /** An integer field (a JSON integer, or a string holding one). */
    public static long longValue(JsonNode node, String field) {
        OptionalLong value = optionalLong(node, field);
        if (value.isEmpty()) {
            throw new JsonFieldException(field, "missing");
        }
        return value.getAsLong();
    }

    public static OptionalLong optionalLong(JsonNode node, String field) {
        JsonNode value = value(node, field);
        if (value == null) {
            return OptionalLong.empty();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return OptionalLong.of(value.asLong());
        }
        if (value.isTextual()) {
            try {
                return OptionalLong.of(Long.parseLong(value.asText().trim()));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new JsonFieldException(field, "not an integer: '" + abbreviate(value.asText()) + "'");
    }

    /** A boolean field, {@code fallback} when missing. */
    public static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode value = value(node, field);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new JsonFieldException(field, "not true or false");
        }
        return value.asBoolean();
    }

    /** An ISO-8601 date-time with an offset or {@code Z}, as an instant. */
    public static Instant instant(JsonNode node, String field) {
        return offsetDateTime(node, field).toInstant();
    }

    public static Optional<Instant> optionalInstant(JsonNode node, String field) {
        return optionalOffsetDateTime(node, field).map(OffsetDateTime::toInstant);
    }

    /** An ISO-8601 date-time with an offset or {@code Z}, keeping the offset the provider wrote. */
    public static OffsetDateTime offsetDateTime(JsonNode node, String field) {
        return optionalOffsetDateTime(node, field).orElseThrow(() -> new JsonFieldException(field, "missing"));
    }

    public static Optional<OffsetDateTime> optionalOffsetDateTime(JsonNode node, String field) {
        Optional<String> text = optionalText(node, field);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.get()));
        } catch (DateTimeException e) {
            throw new JsonFieldException(field, "not an ISO-8601 date-time with an offset: '"
                    + abbreviate(text.get()) + "'");
        }
    }

    /** The elements of an array field; empty when the field is missing or null. */
    public static List<JsonNode> array(JsonNode node, String field) {
        JsonNode value = value(node, field);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new JsonFieldException(field, "not an array");
        }
        List<JsonNode> out = new ArrayList<>(value.size());
        value.forEach(out::add);
        return out;
    }

    /** An object field; empty when missing or null. */
    public static Optional<JsonNode> optionalObject(JsonNode node, String field) {
        JsonNode value = value(node, field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw new JsonFieldException(field, "not an object");
        }
        return Optional.of(value);
    }

    /** At most 64 characters of a provider value, for an error message. */
    public static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }

    /** The field's value, or null when it is missing or JSON null. */
    private static JsonNode value(JsonNode node, String field) {
        requireNonNull(field, "field is null");
        if (node == null || !node.isObject()) {
            throw new JsonFieldException(field, "the record is not a JSON object");
        }
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }
}
