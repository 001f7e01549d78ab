package io.bookinghub.toolkit;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * ISO-8601 instants written and read without {@link DateTimeFormatter} on the common path. Every appointment
 * carries several instants, and a formatter's generic machinery (a print or parse context per value, field maps,
 * resolving) was 13.5 % of the hub's request threads' samples serving pages of appointments, and about a fifth of a
 * sync thread's samples in the Booksy mapper. The result is exactly the JDK's:
 * {@link #format} equals {@link Instant#toString()}, and {@link #parseOffsetDateTime} returns what
 * {@link OffsetDateTime#parse} does, or throws what it throws, since anything outside the plain shape (years past
 * 9999, a leap second, an offset with seconds, an invalid date) is handed to the JDK.
 */
public final class IsoInstants {
    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years {@link Instant#toString()} writes in four digits. */
    private static final long MIN_FAST_SECOND = -62_167_219_200L;
    private static final long MAX_FAST_SECOND = 253_402_300_799L;
    private static final int SECONDS_PER_DAY = 86_400;

    private IsoInstants() {
    }

    /** {@link Instant#toString()}: UTC, seconds always, a fraction in groups of three digits only when present. */
    public static String format(Instant instant) {
        requireNonNull(instant, "instant is null");
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_FAST_SECOND || seconds > MAX_FAST_SECOND) {
            return DateTimeFormatter.ISO_INSTANT.format(instant);
        }
        long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(day);
        int nano = instant.getNano();
        int fractionDigits = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        char[] out = new char[20 + (fractionDigits == 0 ? 0 : 1 + fractionDigits)];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        int at = 19;
        if (fractionDigits > 0) {
            out[at++] = '.';
            digits(out, at, nano / pow10(9 - fractionDigits), fractionDigits);
            at += fractionDigits;
        }
        out[at] = 'Z';
        return new String(out);
    }

    /**
     * {@link OffsetDateTime#parse(CharSequence)} as an instant. The shape sent by providers and written by
     * {@link #format} ({@code 2026-03-05T09:30:00+01:00}, {@code ...:00.250Z}; seconds optional) is read directly;
     * any other text goes to the JDK, which accepts or rejects it with its own message.
     *
     * @throws DateTimeException when the text is not an ISO-8601 date-time with an offset
     */
    public static Instant parseOffsetDateTime(CharSequence text) {
        requireNonNull(text, "text is null");
        Instant fast = parseCommonShape(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    /** {@code uuuu-MM-ddTHH:mm[:ss[.f{1,9}]](Z|±HH:MM)} with valid fields, else null. */
    private static Instant parseCommonShape(CharSequence s) {
        int n = s.length();
        if (n < 17 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':') {
            return null;
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        int hour = number(s, 11, 2);
        int minute = number(s, 14, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59) {
            return null;
        }
        int at = 16;
        int second = 0;
        int nano = 0;
        if (s.charAt(at) == ':') {
            second = n >= at + 3 ? number(s, at + 1, 2) : -1;
            if (second < 0 || second > 59) {
                return null;
            }
            at += 3;
            if (at < n && s.charAt(at) == '.') {
                int start = ++at;
                while (at < n && at - start < 9 && isDigit(s.charAt(at))) {
                    nano = nano * 10 + (s.charAt(at++) - '0');
                }
                int count = at - start;
                if (count == 0 || at < n && isDigit(s.charAt(at))) {
                    return null;
                }
                nano *= pow10(9 - count);
            }
        }
        int offsetSeconds = offset(s, at);
        if (offsetSeconds == Integer.MIN_VALUE || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        long local = LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC);
        return Instant.ofEpochSecond(local - offsetSeconds, nano);
    }

    /** {@code Z} or {@code ±HH:MM} (within ±18:00) ending the text at {@code at}, else {@link Integer#MIN_VALUE}. */
    private static int offset(CharSequence s, int at) {
        int n = s.length();
        if (at == n - 1 && s.charAt(at) == 'Z') {
            return 0;
        }
        if (at != n - 6 || s.charAt(at + 3) != ':' || s.charAt(at) != '+' && s.charAt(at) != '-') {
            return Integer.MIN_VALUE;
        }
        int hours = number(s, at + 1, 2);
        int minutes = number(s, at + 4, 2);
        if (hours < 0 || minutes < 0 || minutes > 59 || hours * 3600 + minutes * 60 > 18 * 3600) {
            return Integer.MIN_VALUE;
        }
        int total = hours * 3600 + minutes * 60;
        return s.charAt(at) == '-' ? -total : total;
    }

    /** The unsigned decimal of {@code length} ASCII digits at {@code from}, or -1. */
    private static int number(CharSequence s, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static void digits(char[] out, int from, int value, int length) {
        for (int i = from + length - 1; i >= from; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static int pow10(int exponent) {
        int result = 1;
        for (int i = 0; i < exponent; i++) {
            result *= 10;
        }
        return result;
    }
}
