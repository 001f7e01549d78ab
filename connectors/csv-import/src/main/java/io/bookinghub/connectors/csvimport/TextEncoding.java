package io.bookinghub.connectors.csvimport;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The text encoding of an exported file, decided from the whole file rather than its first bytes.
 *
 * <ol>
 *   <li>A byte-order mark decides: UTF-8, UTF-16 LE or UTF-16 BE (Excel's "Unicode text" is UTF-16 LE with a
 *       mark).</li>
 *   <li>Otherwise a file that is valid UTF-8 throughout is UTF-8 (legacy text with letters beyond ASCII
 *       practically never is).</li>
 *   <li>Otherwise it is one of the single-byte encodings Excel writes in Booksy's European markets:
 *       Windows-1250 or ISO-8859-2 (Polish) or Windows-1252 (Spanish, Portuguese, English). Each candidate
 *       decodes every byte above 0x7F; a byte scores +1 when it decodes to a letter of that encoding's own
 *       languages (Polish letters for 1250/8859-2; Western European letters for 1252), 0 for another letter
 *       and -1 for a symbol or control character. The highest total wins; a tie goes to the earlier
 *       candidate in {@link #LEGACY}. Polish text decoded as 1252 shows symbols (ą → ¹, ł → ³, ż → ¿) and
 *       Spanish text decoded as 1250 shows Central European letters (ñ → ń, á stays á but is not Polish), so
 *       real exports are not close calls.</li>
 * </ol>
 * ICU4J's CharsetDetector would do this statistically, but it is a 14 MB library for three candidates.
 */
record TextEncoding(Charset charset, int bomLength) {
    static final Charset WINDOWS_1250 = Charset.forName("windows-1250");
    static final Charset ISO_8859_2 = Charset.forName("ISO-8859-2");
    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    static final List<Charset> LEGACY = List.of(WINDOWS_1250, ISO_8859_2, WINDOWS_1252);

    private static final String POLISH = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ";
    private static final String WESTERN = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿœßÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝŒ";

    TextEncoding {
        requireNonNull(charset, "charset is null");
    }

    /** The encoding's name as the dry run reports it, e.g. {@code UTF-8 (BOM)} or {@code windows-1250}. */
    String describe() {
        return charset.name() + (bomLength > 0 ? " (BOM)" : "");
    }

    static TextEncoding detect(Path file) throws IOException {
        byte[] head = new byte[3];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 3);
        }
        if (n >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            return new TextEncoding(StandardCharsets.UTF_8, 3);
        }
        if (n >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
            return new TextEncoding(StandardCharsets.UTF_16LE, 2);
        }
        if (n >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
            return new TextEncoding(StandardCharsets.UTF_16BE, 2);
        }
        long[] counts = new long[256];
        boolean utf8 = scan(file, counts);
        return new TextEncoding(utf8 ? StandardCharsets.UTF_8 : legacy(counts), 0);
    }

    /** Counts every byte value and tells whether the whole file is valid UTF-8. */
    private static boolean scan(Path file, long[] counts) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
        CharBuffer chars = CharBuffer.allocate(64 * 1024);
        boolean valid = true;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[32 * 1024];
            int read;
            while ((read = in.read(chunk)) > 0) {
                for (int i = 0; i < read; i++) {
                    counts[chunk[i] & 0xFF]++;
                }
                if (valid) {
                    bytes.put(chunk, 0, read).flip();
                    valid = decode(decoder, bytes, chars, false);
                    bytes.compact();
                }
            }
        }
        if (valid) {
            bytes.flip();
            valid = decode(decoder, bytes, chars, true) && !decoder.flush(chars).isError();
        }
        return valid;
    }

    private static boolean decode(CharsetDecoder decoder, ByteBuffer bytes, CharBuffer chars, boolean end) {
        while (true) {
            chars.clear();
            CoderResult result = decoder.decode(bytes, chars, end);
            if (result.isError()) {
                return false;
            }
            if (result.isUnderflow()) {
                return true;
            }
        }
    }

    private static Charset legacy(long[] counts) {
        Charset best = LEGACY.get(0);
        long bestScore = Long.MIN_VALUE;
        for (Charset candidate : LEGACY) {
            String home = candidate.equals(WINDOWS_1252) ? WESTERN : POLISH;
            long score = 0;
            for (int b = 0x80; b < 0x100; b++) {
                if (counts[b] > 0) {
                    score += counts[b] * weight(decodeByte(candidate, b), home);
                }
            }
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }

    private static int weight(char c, String home) {
        if (home.indexOf(c) >= 0) {
            return 1;
        }
        return Character.isLetter(c) ? 0 : -1;
    }

    private static char decodeByte(Charset charset, int b) {
        String s = new String(new byte[] {(byte) b}, charset);
        return s.isEmpty() ? '\uFFFD' : s.charAt(0);
    }
}
