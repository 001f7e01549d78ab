package io.bookinghub.connectors.csvimport;

import io.bookinghub.model.AppointmentStatus;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Currency;
import java.util.HashMap;
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
    private static final Pattern CURRENCY_TEXT_ONLY = Pattern.compile("[0-9,.\\s\\u00A0\\u2007\\u202F'-]+");
    private static final Map<String, String> CURRENCY_SYMBOLS = Map.of("zł", "PLN", "zl", "PLN", "€", "EUR",
            "r$", "BRL", "£", "GBP", "us$", "USD");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern MINUTES = Pattern.compile("\\d{1,5}");
    private static final Pattern HOURS_MINUTES = Pattern.compile("(\\d{1,3}):([0-5]\\d)");
    private static final Pattern WORDS = Pattern.compile(
            "(?:(\\d{1,3})\\s*(?:h|hr|hrs|hour|hours|godz\\.?))?\\s*(?:(\\d{1,4})\\s*(?:m|min|mins|minutes|minut)\\.?)?");

    /**
     * The built-in status vocabulary (English, Polish, Spanish, Portuguese), keyed by {@link Words#key}; documented
     * in docs/importing.md. A connection's {@code statusMapping} is consulted first.
     */
    private static final Map<String, AppointmentStatus> STATUSES = vocabulary(Map.of(
            AppointmentStatus.BOOKED, List.of("booked", "pending", "waiting", "new", "scheduled", "reserved",
                    "zarezerwowana", "zarezerwowano", "oczekująca", "oczekuje", "nowa", "zaplanowana",
                    "reservada", "reservado", "pendiente", "programada", "agendada", "agendado", "pendente",
                    "marcada", "marcado"),
            AppointmentStatus.CONFIRMED, List.of("confirmed", "potwierdzona", "potwierdzono", "confirmada",
                    "confirmado"),
            AppointmentStatus.ARRIVED, List.of("arrived", "in progress", "checked in", "w trakcie",
                    "klient przyszedł", "przyszedł", "przyszła", "en curso", "llegó", "em andamento", "chegou",
                    "em atendimento"),
            AppointmentStatus.COMPLETED, List.of("completed", "finished", "done", "zakończona", "zrealizowana",
                    "wykonana", "odbyła się", "completada", "completado", "finalizada", "finalizado",
                    "realizada", "realizado", "concluída", "concluído", "atendida"),
            AppointmentStatus.NO_SHOW, List.of("no-show", "no show", "nie przyszedł", "nie przyszła",
                    "nie przyszedł(a)", "nieobecność", "nie stawił się", "nie stawiła się", "no se presentó",
                    "no asistió", "no vino", "ausente", "não compareceu", "faltou", "falta"),
            AppointmentStatus.CANCELLED_BY_CLIENT, List.of("cancelled by client", "canceled by client",
                    "cancelled by customer", "canceled by customer", "odwołana przez klienta",
                    "anulowana przez klienta", "odwołana przez klientkę", "cancelada por el cliente",
                    "cancelado por el cliente", "cancelada pelo cliente", "cancelado pelo cliente"),
            AppointmentStatus.CANCELLED_BY_BUSINESS, List.of("cancelled by business", "canceled by business",
                    "cancelled by salon", "cancelled by provider", "declined", "rejected",
                    "odwołana przez salon", "odwołana przez firmę", "odrzucona",
                    "cancelada por el negocio", "cancelada por el salón", "rechazada",
                    "cancelada pelo estabelecimento", "cancelada pelo salão", "recusada"),
            // A cancellation that names no party stays without one rather than being blamed on the business.
            AppointmentStatus.CANCELLED, List.of("cancelled", "canceled", "odwołana", "anulowana", "cancelada",
                    "cancelado")));

    private static Map<String, AppointmentStatus> vocabulary(Map<AppointmentStatus, List<String>> words) {
        Map<String, AppointmentStatus> byKey = new HashMap<>();
        words.forEach((status, texts) -> texts.forEach(t -> {
            AppointmentStatus previous = byKey.put(Words.key(t), status);
            if (previous != null && previous != status) {
                throw new IllegalStateException("status '" + t + "' means both " + previous + " and " + status);
            }
        }));
        return Map.copyOf(byKey);
    }

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

    /**
     * The model status for an export status: the connection's mapping first (keyed by {@link Words#key}), then
     * the built-in vocabulary; empty means unknown. A blank status reads as booked.
     */
    static Optional<AppointmentStatus> status(String text, Map<String, AppointmentStatus> overrides) {
        if (text == null || text.isBlank()) {
            return Optional.of(AppointmentStatus.BOOKED);
        }
        String key = Words.key(text);
        AppointmentStatus mapped = overrides.get(key);
        return Optional.ofNullable(mapped != null ? mapped : STATUSES.get(key));
    }

    /**
     * The currency a price cell names, e.g. {@code "1 200,00 zł"} → PLN, {@code "€ 35"} → EUR,
     * {@code "R$ 80"} → BRL, {@code "80 USD"} → USD; empty when it names none. A bare {@code $} names none
     * (several countries write it).
     */
    static Optional<String> currencyIn(String text) {
        String letters = CURRENCY_TEXT_ONLY.matcher(text).replaceAll("").strip();
        if (letters.isEmpty()) {
            return Optional.empty();
        }
        String symbol = CURRENCY_SYMBOLS.get(letters.toLowerCase(Locale.ROOT));
        if (symbol != null) {
            return Optional.of(symbol);
        }
        return isoCurrency(letters);
    }

    /** The ISO 4217 code a text is, in any case, or empty. */
    static Optional<String> isoCurrency(String text) {
        String upper = text.strip().toUpperCase(Locale.ROOT);
        if (!upper.matches("[A-Z]{3}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Currency.getInstance(upper).getCurrencyCode());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
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
                canonical.append(WHITESPACE.matcher(v.trim().toLowerCase(Locale.ROOT)).replaceAll(" "));
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
