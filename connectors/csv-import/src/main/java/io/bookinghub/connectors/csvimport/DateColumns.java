package io.bookinghub.connectors.csvimport;

import io.bookinghub.toolkit.DateTimePatterns;
import java.text.ParsePosition;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the dates and times of an export whose format nobody configured. The date format is chosen once per
 * file from every date cell (see {@link Detector}), never row by row, so {@code 03/04/2026} means the same day
 * in every row. Times are 24-hour ({@code 9:05}, {@code 14:30}, {@code 14:30:00}) or 12-hour with AM/PM
 * ({@code 2:30 PM}, {@code 2:30pm}, {@code 2:30 p.m.}); a date-time cell is a date, a space or {@code T}, and
 * a time.
 */
final class DateColumns {
    /** The date formats recognised, in the order a tie is reported. */
    static final List<String> FORMATS = List.of("uuuu-MM-dd", "dd.MM.uuuu", "dd/MM/uuuu", "MM/dd/uuuu",
            "dd-MM-uuuu");
    private static final Map<String, DateTimeFormatter> PARSERS = parsers();
    private static final Pattern TIME = Pattern.compile(
            "(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*(?:([AaPp])\\.?\\s*[Mm]\\.?)?");
    private static final Pattern DATE_TIME = Pattern.compile("(\\S+?)(?:T|,?\\s+)(\\d.*)");

    private DateColumns() {
    }

    // One or two digit days and months (9.3.2026 as well as 09.03.2026), strict about the calendar.
    private static Map<String, DateTimeFormatter> parsers() {
        Map<String, DateTimeFormatter> parsers = new LinkedHashMap<>();
        for (String format : FORMATS) {
            parsers.put(format, DateTimePatterns.strict(format.replace("dd", "d").replace("MM", "M")));
        }
        return parsers;
    }

    /** The display form of a format, e.g. {@code dd.MM.yyyy}. */
    static String display(String format) {
        return format.replace("uuuu", "yyyy");
    }

    static LocalDate date(String text, String format) {
        DateTimeFormatter parser = PARSERS.get(format);
        if (parser == null) {
            throw new IllegalArgumentException("unknown date format " + format);
        }
        try {
            return LocalDate.parse(text.strip(), parser);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a date in the format " + display(format)
                    + " (the format of this file's dates)");
        }
    }

    static LocalTime time(String text) {
        Matcher m = TIME.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a time (expected e.g. 14:30 or 2:30 PM)");
        }
        int hour = Integer.parseInt(m.group(1));
        int minute = Integer.parseInt(m.group(2));
        int second = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        if (m.group(4) != null) {
            if (hour < 1 || hour > 12) {
                throw new IllegalArgumentException("'" + text + "' is not a 12-hour time");
            }
            boolean pm = Character.toLowerCase(m.group(4).charAt(0)) == 'p';
            hour = hour % 12 + (pm ? 12 : 0);
        }
        if (hour > 23 || minute > 59 || second > 59) {
            throw new IllegalArgumentException("'" + text + "' is not a time of day");
        }
        return LocalTime.of(hour, minute, second);
    }

    static LocalDateTime dateTime(String text, String format) {
        Matcher m = DATE_TIME.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a date and time (expected e.g. "
                    + display(format) + " 14:30)");
        }
        return LocalDateTime.of(date(m.group(1), format), time(m.group(2)));
    }

    /** The date part of a date or date-time cell. */
    private static String datePart(String text) {
        Matcher m = DATE_TIME.matcher(text.strip());
        return m.matches() ? m.group(1) : text.strip();
    }

    /**
     * Counts, over every date cell of a file, which formats read each cell, and then picks the format.
     *
     * <p>The format that reads the most cells wins. When several read equally many, every cell fits each of
     * them (e.g. all days are 12 or less in {@code 03/04/2026}): the business's locale decides between
     * {@code dd/MM} and {@code MM/dd} (month first only in the United States), and without a locale the file
     * is refused, naming the candidates and a sample, rather than guessed.
     */
    static final class Detector {
        private final long[] counts = new long[FORMATS.size()];
        private String sample;
        private String column;

        void add(String header, String text) {
            if (text == null || text.isBlank()) {
                return;
            }
            String date = datePart(text);
            boolean any = false;
            for (int i = 0; i < FORMATS.size(); i++) {
                DateTimeFormatter parser = PARSERS.get(FORMATS.get(i));
                // Most cells fail most formats: a cheap unresolved parse first, so failures throw nothing.
                ParsePosition position = new ParsePosition(0);
                if (parser.parseUnresolved(date, position) == null || position.getIndex() != date.length()) {
                    continue;
                }
                try {
                    LocalDate.parse(date, parser);
                    counts[i]++;
                    any = true;
                } catch (DateTimeParseException e) {
                    // the right shape but not a calendar date (31.02.2026): not this format
                }
            }
            if (any && sample == null) {
                sample = text.strip();
                column = header;
            }
        }

        /**
         * The file's date format.
         *
         * @param locale the business's locale, or null when unknown
         * @throws IllegalArgumentException when the file fits several formats and the locale does not decide
         */
        String format(Locale locale) {
            long best = 0;
            for (long c : counts) {
                best = Math.max(best, c);
            }
            if (best == 0) {
                return FORMATS.get(0);
            }
            List<String> tied = new ArrayList<>();
            for (int i = 0; i < FORMATS.size(); i++) {
                if (counts[i] == best) {
                    tied.add(FORMATS.get(i));
                }
            }
            if (tied.size() == 1) {
                return tied.get(0);
            }
            if (tied.equals(List.of("dd/MM/uuuu", "MM/dd/uuuu")) && locale != null && !locale.getCountry().isEmpty()) {
                return locale.getCountry().equals("US") ? "MM/dd/uuuu" : "dd/MM/uuuu";
            }
            throw new IllegalArgumentException("the dates in column '" + column + "' fit more than one format ("
                    + String.join(", ", tied.stream().map(DateColumns::display).toList()) + "), e.g. '" + sample
                    + "'; set the connection's locale (e.g. pl-PL or en-US) or its dateFormat");
        }
    }
}
