package io.bookinghub.connectors.csvimport;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** How header and status texts are compared: case, diacritics, bracketed notes and punctuation ignored. */
final class Words {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern BRACKETED = Pattern.compile("\\([^)]*\\)|\\[[^]]*]");
    private static final Pattern NOT_ALNUM = Pattern.compile("[^a-z0-9]+");

    private Words() {
    }

    /**
     * The comparable form of a text: {@code "Czas trwania (min)"} → {@code "czastrwania"}, {@code "Duración"}
     * → {@code "duracion"}, {@code "Nie przyszedł"} → {@code "nieprzyszedl"}, {@code "E-mail"} →
     * {@code "email"}. A text that is only a bracketed note keeps the note's words.
     */
    static String key(String text) {
        String s = text.strip();
        String unbracketed = BRACKETED.matcher(s).replaceAll(" ");
        if (!unbracketed.isBlank()) {
            s = unbracketed;
        }
        // ł and Ł have no decomposition; æ/œ/ß are not in the languages that need them in a header.
        s = s.replace('ł', 'l').replace('Ł', 'L');
        s = MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("");
        return NOT_ALNUM.matcher(s.toLowerCase(Locale.ROOT)).replaceAll("");
    }
}
