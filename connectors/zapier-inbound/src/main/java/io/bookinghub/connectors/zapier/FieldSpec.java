package io.bookinghub.connectors.zapier;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Money;
import io.bookinghub.toolkit.DateTimePatterns;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Arrays;
import java.util.Collections;
import java.util.Currency;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of the mapping language: where a field's value comes from and how it is read. Immutable and
 * validated when parsed, so evaluating it can only fail because of the posted data.
 *
 * <p>A spec is either a JSON Pointer string ({@code "/customer/name"}) or an object with exactly one of
 * {@code pointer} or {@code constant} and, depending on the field's {@link FieldType}:
 * <ul>
 *   <li>{@code default} (with {@code pointer}): the value used when the pointer finds nothing, JSON null or a
 *       blank string</li>
 *   <li>{@code format} ({@link FieldType#INSTANT}): {@code iso} (default), {@code epoch-seconds},
 *       {@code epoch-millis}, or a {@link DateTimeFormatter} pattern</li>
 *   <li>{@code zone} ({@link FieldType#INSTANT}): the IANA zone local date-times are read in; default the
 *       business's time zone</li>
 *   <li>{@code map} ({@link FieldType#TEXT}, {@link FieldType#STATUS}): an object translating posted values
 *       (exact match) to field values</li>
 *   <li>{@code currency} or {@code currencyPointer} ({@link FieldType#MONEY}, exactly one)</li>
 * </ul>
 */
final class FieldSpec {
    static final String ISO = "iso";
    static final String EPOCH_SECONDS = "epoch-seconds";
    static final String EPOCH_MILLIS = "epoch-millis";

    private static final int MAX_TEXT = 10_000;
    private static final Pattern INVALID_ESCAPE = Pattern.compile("~(?![01])");
    private static final Set<String> COMMON_KEYS = Set.of("pointer", "constant", "default");

    private final String where;
    private final FieldType type;
    private final JsonPointer pointer;
    private final String pointerText;
    private final JsonNode constant;
    private final JsonNode defaultValue;
    private final String format;
    private final DateTimeFormatter pattern;
    private final ZoneId zone;
    private final Map<String, String> map;
    private final String currency;
    private final JsonPointer currencyPointer;

    private FieldSpec(String where, FieldType type, JsonPointer pointer, String pointerText, JsonNode constant,
            JsonNode defaultValue, String format, DateTimeFormatter pattern, ZoneId zone, Map<String, String> map,
            String currency, JsonPointer currencyPointer) {
        this.where = where;
        this.type = type;
        this.pointer = pointer;
        this.pointerText = pointerText;
        this.constant = constant;
        this.defaultValue = defaultValue;
        this.format = format;
        this.pattern = pattern;
        this.zone = zone;
        this.map = map;
        this.currency = currency;
        this.currencyPointer = currencyPointer;
    }

    /** A plain pointer spec (ISO-8601 for instants), for configuration properties such as {@code versionPointer}. */
    static FieldSpec pointer(String where, FieldType type, String pointerText) throws MappingException {
        return parse(where, type, JsonNodeFactory.instance.textNode(pointerText));
    }

    /**
     * Parses and validates one spec; constants and defaults are checked against the field's type now, so a
     * typo fails at configuration time rather than on the first event.
     *
     * @param where the name errors use, e.g. {@code mapping.start}
     */
    static FieldSpec parse(String where, FieldType type, JsonNode node) throws MappingException {
        requireNonNull(where, "where is null");
        requireNonNull(type, "type is null");
        if (node != null && node.isTextual()) {
            JsonPointer pointer = compilePointer(where, node.asText());
            return new FieldSpec(where, type, pointer, node.asText(), null, null, ISO, null, null, Map.of(),
                    null, null).checked();
        }
        if (node == null || !node.isObject()) {
            throw new MappingException(where, "must be a JSON Pointer such as \"/id\" or an object with "
                    + "\"pointer\" or \"constant\"");
        }
        Set<String> allowed = new LinkedHashSet<>(COMMON_KEYS);
        switch (type) {
            case INSTANT -> allowed.addAll(List.of("format", "zone"));
            case TEXT, STATUS -> allowed.add("map");
            case MONEY -> allowed.addAll(List.of("currency", "currencyPointer"));
            default -> {
            }
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new MappingException(where, "unknown key '" + key + "' for a " + type + " field; allowed: "
                        + allowed);
            }
        }
        boolean hasPointer = node.has("pointer");
        boolean hasConstant = node.has("constant");
        if (hasPointer == hasConstant) {
            throw new MappingException(where, "needs exactly one of \"pointer\" and \"constant\"");
        }
        JsonPointer pointer = null;
        String pointerText = null;
        if (hasPointer) {
            if (!node.get("pointer").isTextual()) {
                throw new MappingException(where, "pointer must be a string such as \"/id\"");
            }
            pointerText = node.get("pointer").asText();
            pointer = compilePointer(where, pointerText);
        }
        JsonNode constant = hasConstant ? scalarSetting(where, "constant", node.get("constant")) : null;
        JsonNode defaultValue = null;
        if (node.has("default")) {
            if (hasConstant) {
                throw new MappingException(where, "default only applies to a pointer, not to a constant");
            }
            defaultValue = scalarSetting(where, "default", node.get("default"));
        }

        String format = ISO;
        DateTimeFormatter pattern = null;
        if (node.has("format")) {
            if (!node.get("format").isTextual() || node.get("format").asText().isBlank()) {
                throw new MappingException(where, "format must be iso, epoch-seconds, epoch-millis or a "
                        + "date-time pattern");
            }
            format = node.get("format").asText();
            if (!format.equals(ISO) && !format.equals(EPOCH_SECONDS) && !format.equals(EPOCH_MILLIS)) {
                pattern = compilePattern(where, format);
            }
        }
        ZoneId zone = null;
        if (node.has("zone")) {
            zone = parseZone(where, "zone", node.get("zone"));
        }
        Map<String, String> map = Map.of();
        if (node.has("map")) {
            map = parseMap(where, type, node.get("map"));
        }
        String currency = null;
        JsonPointer currencyPointer = null;
        if (type == FieldType.MONEY) {
            if (node.has("currency") == node.has("currencyPointer")) {
                throw new MappingException(where, "needs exactly one of \"currency\" (an ISO 4217 code) and "
                        + "\"currencyPointer\"");
            }
            if (node.has("currency")) {
                currency = currencyCode(where, node.get("currency").isTextual() ? node.get("currency").asText() : "");
            } else {
                if (!node.get("currencyPointer").isTextual()) {
                    throw new MappingException(where, "currencyPointer must be a string such as \"/currency\"");
                }
                currencyPointer = compilePointer(where, node.get("currencyPointer").asText());
            }
        }
        return new FieldSpec(where, type, pointer, pointerText, constant, defaultValue, format, pattern, zone, map,
                currency, currencyPointer).checked();
    }

    // Evaluates constants and defaults once, so a wrong one is a configuration error, not a parked event.
    private FieldSpec checked() throws MappingException {
        if (type == FieldType.MONEY) {
            if (currency == null && currencyPointer == null) {
                throw new MappingException(where, "needs a currency: write it as {\"pointer\": \"...\", "
                        + "\"currency\": \"EUR\"} or with a \"currencyPointer\"");
            }
            // With a currencyPointer the currency only exists in a posted body; the amount can be checked now.
            for (JsonNode fixed : new JsonNode[] {constant, defaultValue}) {
                if (fixed != null) {
                    amount(scalar(fixed));
                }
            }
            return this;
        }
        JsonNode empty = JsonNodeFactory.instance.objectNode();
        for (JsonNode fixed : new JsonNode[] {constant, defaultValue}) {
            if (fixed != null) {
                convert(scalar(fixed), empty, ZoneOffset.UTC);
            }
        }
        return this;
    }

    String where() {
        return where;
    }

    FieldType type() {
        return type;
    }

    /**
     * The field's value in {@code item}, converted to its type ({@link String}, {@link Long}, {@link Boolean},
     * {@link Instant}, {@link AppointmentStatus}, {@link ZoneId} or {@link Money}), or null when there is none.
     *
     * @param businessZone the zone local date-times are read in unless the spec names one
     * @throws MappingException when the value is there but cannot be read as the field's type
     */
    Object value(JsonNode item, ZoneId businessZone) throws MappingException {
        String text = sourceText(item);
        return text == null ? null : convert(text, item, businessZone);
    }

    /** The value as posted (or the constant or default), before conversion; null when there is none. */
    String sourceText(JsonNode item) throws MappingException {
        String text = scalar(pointer != null ? item.at(pointer) : constant);
        if (text == null && defaultValue != null) {
            text = scalar(defaultValue);
        }
        return text;
    }

    private Object convert(String text, JsonNode item, ZoneId businessZone) throws MappingException {
        return switch (type) {
            case TEXT -> map.getOrDefault(text, text);
            case INTEGER -> integer(text);
            case BOOLEAN -> bool(text);
            case INSTANT -> instant(text, zone != null ? zone : businessZone);
            case STATUS -> status(map.getOrDefault(text, text));
            case ZONE -> parseZone(where, "value", JsonNodeFactory.instance.textNode(text));
            case MONEY -> money(text, item);
        };
    }

    // ------------------------------------------------------------------ reading values

    /** A scalar as text: null for missing, JSON null and blank strings. */
    private String scalar(JsonNode node) throws MappingException {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isContainerNode()) {
            throw new MappingException(where, (pointerText == null ? "the value" : pointerText) + " holds "
                    + (node.isArray() ? "an array" : "an object") + ", not a single value");
        }
        String text;
        if (node.isBigDecimal() || node.isFloatingPointNumber()) {
            text = node.decimalValue().toPlainString();
        } else {
            text = node.asText().trim();
        }
        if (text.length() > MAX_TEXT) {
            throw new MappingException(where, "value is longer than " + MAX_TEXT + " characters");
        }
        return text.isEmpty() ? null : text;
    }

    private Long integer(String text) throws MappingException {
        try {
            return new BigDecimal(text).stripTrailingZeros().longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new MappingException(where, "is not a whole number");
        }
    }

    private Boolean bool(String text) throws MappingException {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> Boolean.TRUE;
            case "false", "no", "0" -> Boolean.FALSE;
            default -> throw new MappingException(where, "is not true/false, yes/no or 1/0");
        };
    }

    private AppointmentStatus status(String text) throws MappingException {
        String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (AppointmentStatus s : AppointmentStatus.values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new MappingException(where, "value is neither a key of \"map\" nor one of "
                + List.of(AppointmentStatus.values()));
    }

    private Instant instant(String text, ZoneId localZone) throws MappingException {
        if (format.equals(EPOCH_SECONDS) || format.equals(EPOCH_MILLIS)) {
            long n = integer(text);
            try {
                return format.equals(EPOCH_SECONDS) ? Instant.ofEpochSecond(n) : Instant.ofEpochMilli(n);
            } catch (DateTimeException e) {
                throw new MappingException(where, "is out of range for " + format);
            }
        }
        DateTimeFormatter formatter = pattern != null ? pattern : DateTimeFormatter.ISO_DATE_TIME;
        TemporalAccessor parsed;
        try {
            parsed = formatter.parseBest(text, ZonedDateTime::from, LocalDateTime::from);
        } catch (DateTimeException e) {
            throw new MappingException(where, "is not a date-time in format " + (pattern != null ? "'" + format + "'"
                    : "ISO-8601 (e.g. 2026-03-28T10:00:00+01:00)"));
        }
        if (parsed instanceof ZonedDateTime zoned) {
            return zoned.toInstant();
        }
        LocalDateTime local = (LocalDateTime) parsed;
        if (localZone.getRules().getValidOffsets(local).isEmpty()) {
            // Such a time cannot be on anyone's calendar; guessing would shift the booking by the gap.
            throw new MappingException(where, "is a local time that does not exist in " + localZone.getId()
                    + " (daylight-saving gap)");
        }
        // An ambiguous local time (autumn overlap) takes the earlier offset, i.e. its first occurrence.
        return ZonedDateTime.ofLocal(local, localZone, null).toInstant();
    }

    private BigDecimal amount(String text) throws MappingException {
        try {
            BigDecimal amount = new BigDecimal(text);
            if (amount.signum() < 0) {
                throw new MappingException(where, "is a negative amount");
            }
            return amount;
        } catch (NumberFormatException e) {
            throw new MappingException(where, "is not a decimal amount such as 12.50");
        }
    }

    private Money money(String text, JsonNode item) throws MappingException {
        BigDecimal amount = amount(text);
        String code = currency;
        if (code == null) {
            String posted = scalar(item.at(currencyPointer));
            if (posted == null) {
                throw new MappingException(where, "has an amount but no currency at the currencyPointer");
            }
            code = currencyCode(where, posted);
        }
        return new Money(amount, code);
    }

    // ------------------------------------------------------------------ validating settings

    private static JsonPointer compilePointer(String where, String text) throws MappingException {
        if (!text.startsWith("/")) {
            throw new MappingException(where, "a JSON Pointer must start with '/', e.g. \"/customer/name\"");
        }
        if (INVALID_ESCAPE.matcher(text).find()) {
            // Jackson would keep a lone '~' as is; RFC 6901 says it is an error, and it usually is a typo.
            throw new MappingException(where, "is not a valid JSON Pointer: '~' must be followed by 0 or 1");
        }
        try {
            return JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            throw new MappingException(where, "is not a valid JSON Pointer (RFC 6901; escape '~' as ~0, '/' as ~1)");
        }
    }

    private static JsonNode scalarSetting(String where, String key, JsonNode value) throws MappingException {
        if (value == null || value.isNull() || value.isContainerNode()) {
            throw new MappingException(where, key + " must be a string, number or boolean");
        }
        return value;
    }

    // Strict: 31.02 is refused instead of read as 28.02; case-insensitive, so "pm" and "PM" both read.
    private static DateTimeFormatter compilePattern(String where, String pattern) throws MappingException {
        DateTimeFormatter formatter;
        try {
            formatter = DateTimePatterns.strict(pattern);
        } catch (IllegalArgumentException e) {
            throw new MappingException(where, "format is not a date-time pattern: " + e.getMessage());
        }
        // A pattern that cannot read back what it writes (a date without a time, say) would fail every event.
        ZonedDateTime sample = ZonedDateTime.of(2026, 11, 28, 17, 45, 30, 0, ZoneId.of("Europe/Berlin"));
        try {
            formatter.parseBest(formatter.format(sample), ZonedDateTime::from, LocalDateTime::from);
        } catch (DateTimeException e) {
            throw new MappingException(where, "format '" + pattern + "' must contain a date and a time of day");
        }
        return formatter;
    }

    private static ZoneId parseZone(String where, String what, JsonNode node) throws MappingException {
        if (!node.isTextual()) {
            throw new MappingException(where, what + " must be an IANA time zone id such as Europe/Berlin");
        }
        try {
            return ZoneId.of(node.asText().trim());
        } catch (DateTimeException e) {
            throw new MappingException(where, what + " is not a known time zone id (e.g. Europe/Berlin)");
        }
    }

    private static Map<String, String> parseMap(String where, FieldType type, JsonNode node) throws MappingException {
        if (!node.isObject() || node.isEmpty()) {
            throw new MappingException(where, "map must be a non-empty object from posted values to field values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode target = e.getValue();
            if (!target.isValueNode() || target.isNull() || target.asText().isBlank()) {
                throw new MappingException(where, "map value for '" + e.getKey() + "' must be a non-blank string");
            }
            String value = target.asText().trim();
            if (type == FieldType.STATUS) {
                String name = value.toUpperCase(Locale.ROOT);
                if (Arrays.stream(AppointmentStatus.values()).noneMatch(s -> s.name().equals(name))) {
                    throw new MappingException(where, "map value for '" + e.getKey() + "' is '" + value
                            + "', not one of " + List.of(AppointmentStatus.values()));
                }
                value = name;
            }
            out.put(e.getKey().trim(), value);
        }
        return Collections.unmodifiableMap(out);
    }

    private static String currencyCode(String where, String code) throws MappingException {
        String upper = code.trim().toUpperCase(Locale.ROOT);
        try {
            Currency.getInstance(upper);
            return upper;
        } catch (IllegalArgumentException e) {
            throw new MappingException(where, "currency is not an ISO 4217 code");
        }
    }

    @Override
    public String toString() {
        return "FieldSpec[" + where + ", " + type + ", " + (pointerText != null ? "pointer " + pointerText
                : "constant") + "]";
    }
}
