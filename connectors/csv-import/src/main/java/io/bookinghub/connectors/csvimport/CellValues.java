package io.bookinghub.connectors.csvimport;

import io.bookinghub.model.AppointmentStatus;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of the cell values an export holds: prices, durations, statuses, and the stable row key. */
final class CellValues {
    private static final Pattern CURRENCY_TEXT = Pattern.compile("^[^0-9,.-]+|[^0-9,.]+$");
    private static final Pattern SPACES = Pattern.compile("[\\s\\u00A0\\u2007\\u202F']+");
    private static final Pattern MINUTES = Pattern.compile("\\d{1,5}");
    private static final Pattern HOURS_MINUTES = Pattern.compile("(\\d{1,3}):([0-5]\\d)");
    private static final Pattern WORDS = Pattern.compile(
            "(?:(\\d{1,3})\\s*(?:h|hr|hrs|hour|hours|godz\\.?))?\\s*(?:(\\d{1,4})\\s*(?:m|min|mins|minutes|minut)\\.?)?");

    /** Booksy's export statuses (English and Polish) to the model's; keys are lower case. */
    private static final Map<String, AppointmentStatus> STATUSES = Map.ofEntries(
            Map.entry("booked", AppointmentStatus.BOOKED),
            Map.entry("pending", AppointmentStatus.BOOKED),
            Map.entry("waiting", AppointmentStatus.BOOKED),
            Map.entry("oczekująca", AppointmentStatus.BOOKED),
            Map.entry("confirmed", AppointmentStatus.CONFIRMED),
            Map.entry("potwierdzona", AppointmentStatus.CONFIRMED),
            Map.entry("arrived", AppointmentStatus.ARRIVED),
            Map.entry("in progress", AppointmentStatus.ARRIVED),
            Map.entry("finished", AppointmentStatus.COMPLETED),
            Map.entry("completed", AppointmentStatus.COMPLETED),
            Map.entry("zakończona", AppointmentStatus.COMPLETED),
            Map.entry("cancelled by client", AppointmentStatus.CANCELLED_BY_CLIENT),
            Map.entry("canceled by client", AppointmentStatus.CANCELLED_BY_CLIENT),
            Map.entry("cancelled by customer", AppointmentStatus.CANCELLED_BY_CLIENT),
            Map.entry("odwołana przez klienta", AppointmentStatus.CANCELLED_BY_CLIENT),
            Map.entry("cancelled by business", AppointmentStatus.CANCELLED_BY_BUSINESS),
            Map.entry("canceled by business", AppointmentStatus.CANCELLED_BY_BUSINESS),
            Map.entry("cancelled", AppointmentStatus.CANCELLED_BY_BUSINESS),
            Map.entry("canceled", AppointmentStatus.CANCELLED_BY_BUSINESS),
            Map.entry("declined", AppointmentStatus.CANCELLED_BY_BUSINESS),
            Map.entry("odwołana", AppointmentStatus.CANCELLED_BY_BUSINESS),
            Map.entry("no-show", AppointmentStatus.NO_SHOW),
            Map.entry("no show", AppointmentStatus.NO_SHOW),
            Map.entry("noshow", AppointmentStatus.NO_SHOW),
            Map.entry("nieobecność", AppointmentStatus.NO_SHOW));

    private CellValues() {
    }

    /**
     * A price as exported: optional currency text around it ("zł", "PLN", "€"), spaces or apostrophes as
     * thousands separators, and either decimal separator. A single ',' or '.' is the decimal separator; when
     * both occur the last one is, and the other groups thousands; the same one repeated only groups.
     *
     * @throws IllegalArgumentException with a reason fit for a row error
     */
    static BigDecimal price(String text) {
        String s = SPACES.matcher(text.trim()).replaceAll("");
        s = CURRENCY_TEXT.matcher(s).replaceAll("");
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("is negative: '" + text + "'");
        }
        int comma = s.lastIndexOf(',');
        int dot = s.lastIndexOf('.');
        String normalized;
        if (comma >= 0 && dot >= 0) {
            char decimal = comma > dot ? ',' : '.';
            char grouping = decimal == ',' ? '.' : ',';
            normalized = s.replace(String.valueOf(grouping), "").replace(decimal, '.');
        } else if (comma >= 0 || dot >= 0) {
            char sep = comma >= 0 ? ',' : '.';
            long count = s.chars().filter(c -> c == sep).count();
            normalized = count == 1 ? s.replace(sep, '.') : s.replace(String.valueOf(sep), "");
        } else {
            normalized = s;
        }
        if (!normalized.matches("\\d+(\\.\\d+)?")) {
            throw new IllegalArgumentException("not a price: '" + text + "'");
        }
        return new BigDecimal(normalized);
    }

    /**
     * A service duration: minutes ("45"), hours and minutes ("1:30"), or words ("1h 30min", "90 min",
     * "2 godz.").
     *
     * @throws IllegalArgumentException with a reason fit for a row error
     */
    static Duration duration(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        Matcher hm = HOURS_MINUTES.matcher(s);
        Matcher words = WORDS.matcher(s);
        if (MINUTES.matcher(s).matches()) {
            d = Duration.ofMinutes(Long.parseLong(s));
        } else if (hm.matches()) {
            d = Duration.ofHours(Long.parseLong(hm.group(1))).plusMinutes(Long.parseLong(hm.group(2)));
        } else if (!s.isEmpty() && words.matches() && (words.group(1) != null || words.group(2) != null)) {
            d = Duration.ofHours(words.group(1) == null ? 0 : Long.parseLong(words.group(1)))
                    .plusMinutes(words.group(2) == null ? 0 : Long.parseLong(words.group(2)));
        } else {
            throw new IllegalArgumentException("not a duration: '" + text + "' (expected minutes, H:MM or 1h 30min)");
        }
        if (d.isZero()) {
            throw new IllegalArgumentException("must be longer than zero: '" + text + "'");
        }
        return d;
    }

    /** The model status for an export status; empty means unknown. A blank status reads as booked. */
    static Optional<AppointmentStatus> status(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(AppointmentStatus.BOOKED);
        }
        String key = text.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        return Optional.ofNullable(STATUSES.get(key));
    }

    /**
     * The stable key of a row without an id: {@code csv-} and 32 hex digits of SHA-256 over the tag and the
     * values (trimmed, lower-cased, inner whitespace collapsed; absent values count as empty). The same
     * identifying values always give the same key, whatever the row's position or other columns.
     */
    static String rowKey(String tag, List<String> values) {
        StringBuilder canonical = new StringBuilder(tag);
        for (String v : values) {
            canonical.append('\u001f');
            if (v != null) {
                canonical.append(v.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " "));
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return "csv-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
