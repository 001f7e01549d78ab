package io.bookinghub.toolkit;

import static java.util.Objects.requireNonNull;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.util.Locale;

/**
 * Date-time patterns as people write them in settings ({@code dd.MM.yyyy HH:mm}), compiled so that a wrong
 * date is an error rather than a guess.
 */
public final class DateTimePatterns {
    private DateTimePatterns() {
    }

    /**
     * A strict formatter for a user-supplied pattern: SMART resolution would read {@code 31.02} as
     * {@code 28.02}, so STRICT is used, and since STRICT needs {@code u} (proleptic year) where people
     * write {@code y} (year of era), unquoted {@code y} letters are read as {@code u}. Text (month names,
     * am/pm) is read case-insensitively, in {@link Locale#ROOT}.
     *
     * @throws IllegalArgumentException when the pattern is not a valid date-time pattern
     */
    public static DateTimeFormatter strict(String pattern) {
        requireNonNull(pattern, "pattern is null");
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(prolepticYear(pattern))
                .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    }

    private static String prolepticYear(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length());
        boolean literal = false;
        for (char c : pattern.toCharArray()) {
            if (c == '\'') {
                literal = !literal;
            }
            out.append(!literal && c == 'y' ? 'u' : c);
        }
        return out.toString();
    }
}
