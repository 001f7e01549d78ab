package io.bookinghub.toolkit.webhook;

import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.MALFORMED_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.MISSING_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.NO_SECRET;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.REPEATED_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.SIGNATURE_MISMATCH;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.TIMESTAMP_OUT_OF_TOLERANCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import io.bookinghub.spi.webhook.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded property test: for each scheme, thousands of generated requests (valid ones, valid ones with
 * harmless noise, and ones broken in a known way or filled with garbage) go through the verifier. A
 * request may pass only when it carries a correct MAC for its body; everything else must end in a
 * {@link WebhookVerificationException} with the predicted reason, and no other exception may escape.
 * Expected MACs come from the small reference implementation below, not from {@link WebhookSigner}.
 * A failure message names the seed and iteration so the case can be replayed.
 */
class VerifierFuzzTest {

    // Fixed so that runs are reproducible; -Dfuzz.seed=N explores other sequences.
    private static final long SEED = Long.getLong("fuzz.seed", 0x5EED_2024_0917L);
    private static final int ITERATIONS = 5_000;
    private static final long NOW = 1_700_000_000L;
    private static final long TOLERANCE = 300;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private static final String URL = "https://hub.example.test/webhooks/conn_42";

    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String HEX = "0123456789abcdef";
    // Never valid inside hex or base64, and not whitespace (which trimming could remove) nor a separator.
    private static final String BAD_CHARS = "!%~*\"#\u00e9\u0660\uff10\u00a0";

    enum Scheme {
        STANDARD_WEBHOOKS("standard-webhooks", true, List.of("webhook-id", "webhook-timestamp", "webhook-signature")),
        HEX_HMAC("hex-hmac", false, List.of(HexHmacVerifier.DEFAULT_HEADER)),
        TIMESTAMPED_HMAC("timestamped-hmac", true, List.of(TimestampedHmacVerifier.DEFAULT_HEADER)),
        URL_BODY_HMAC("url-body-hmac", false, List.of(UrlBodyHmacVerifier.DEFAULT_HEADER));

        final String configName;
        final boolean timed;
        final List<String> headers;

        Scheme(String configName, boolean timed, List<String> headers) {
            this.configName = configName;
            this.timed = timed;
            this.headers = headers;
        }
    }

    /** One generated request and what the verifier must do with it. */
    private record Case(String mode, byte[] body, List<String[]> headers, boolean accept, Reason reason) {
    }

    /** A correctly signed request before rendering, so that mutations can target its parts. */
    private static final class Draft {
        String id;
        String ts;
        String mac;
        byte[] body;
        /** Signature entries: Standard Webhooks tokens, Stripe-style items, or the single value. */
        List<String> entries = new ArrayList<>();
        int macEntry;
    }

    @ParameterizedTest
    @EnumSource(Scheme.class)
    void verifierPassesOnlyCorrectMacsAndThrowsOnlyVerificationExceptions(Scheme scheme) {
        long seed = SEED + scheme.ordinal();
        Fuzzer fuzzer = new Fuzzer(scheme, new Random(seed));
        List<String> failures = new ArrayList<>();
        int accepted = 0;
        Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);

        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            Case c = fuzzer.next();
            WebhookSignatureVerifier verifier = c.reason() == NO_SECRET ? fuzzer.withoutSecrets : fuzzer.verifier;
            String where = "seed=" + seed + " iteration=" + iteration + " mode=" + c.mode() + " headers="
                    + render(c.headers());
            WebhookRequest request = toRequest(c);
            try {
                verifier.verify(request);
                accepted++;
                if (!c.accept()) {
                    failures.add(where + ": accepted, expected " + c.reason());
                }
            } catch (WebhookVerificationException e) {
                reasons.merge(e.reason(), 1, Integer::sum);
                if (c.accept()) {
                    failures.add(where + ": rejected with " + e.reason() + " (" + e.getMessage() + "), expected pass");
                } else if (c.reason() != null && c.reason() != e.reason()) {
                    failures.add(where + ": rejected with " + e.reason() + " (" + e.getMessage() + "), expected "
                            + c.reason());
                }
                for (String secret : fuzzer.leakCandidates(c)) {
                    if (e.getMessage().contains(secret)) {
                        failures.add(where + ": message leaks a secret or expected signature: " + e.getMessage());
                    }
                }
            } catch (Throwable t) {
                failures.add(where + ": threw " + t);
            }
        }

        assertThat(failures).as("failures of %s with seed %d", scheme, seed).isEmpty();
        // The generator must really have exercised acceptance and every kind of refusal.
        assertThat(accepted).as("accepted requests of %s with seed %d", scheme, seed).isGreaterThan(ITERATIONS / 5);
        Set<Reason> expected = EnumSet.of(NO_SECRET, MISSING_HEADER, REPEATED_HEADER, MALFORMED_HEADER, SIGNATURE_MISMATCH);
        if (scheme.timed) {
            expected.add(TIMESTAMP_OUT_OF_TOLERANCE);
        }
        assertThat(reasons.keySet()).as("refusal reasons of %s with seed %d", scheme, seed)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private static WebhookRequest toRequest(Case c) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String[] h : c.headers()) {
            headers.computeIfAbsent(h[0], k -> new ArrayList<>()).add(h[1]);
        }
        return new WebhookRequest(c.body(), headers);
    }

    private static String render(List<String[]> headers) {
        StringBuilder sb = new StringBuilder("[");
        for (String[] h : headers) {
            sb.append(h[0]).append(": ").append(h[1]).append("; ");
        }
        return sb.append(']').toString();
    }

    private static final class Fuzzer {
        final Scheme scheme;
        final Random r;
        final List<String> secrets;
        final String foreignSecret;
        final WebhookSignatureVerifier verifier;
        final WebhookSignatureVerifier withoutSecrets;

        Fuzzer(Scheme scheme, Random r) {
            this.scheme = scheme;
            this.r = r;
            this.secrets = List.of(newSecret(), newSecret());
            this.foreignSecret = newSecret();
            assertThat(Set.of(secrets.get(0), secrets.get(1), foreignSecret)).hasSize(3);
            this.verifier = verifier(secrets);
            this.withoutSecrets = verifier(List.of());
        }

        private WebhookSignatureVerifier verifier(List<String> values) {
            WebhookVerifierConfig.Builder builder = WebhookVerifierConfig.builder(
                    SignatureScheme.fromConfigName(scheme.configName));
            for (int i = 0; i < values.size(); i++) {
                builder.secret("secret" + i, values.get(i));
            }
            return builder.tolerance(Duration.ofSeconds(TOLERANCE)).clock(CLOCK).notificationUrl(URL).verifier();
        }

        Case next() {
            int roll = r.nextInt(100);
            if (roll < 30) {
                return valid();
            } else if (roll < 37) {
                Draft d = sign(foreignSecret, inTolerance(), randomBody());
                return rendered("wrong-secret", d, SIGNATURE_MISMATCH);
            } else if (roll < 45) {
                Draft d = sign(configuredSecret(), inTolerance(), randomBody());
                d.body = tamper(d.body);
                return rendered("tampered-body", d, SIGNATURE_MISMATCH);
            } else if (roll < 52 && scheme.timed) {
                return rendered("out-of-tolerance", sign(configuredSecret(), outOfTolerance(), randomBody()),
                        TIMESTAMP_OUT_OF_TOLERANCE);
            } else if (roll < 60) {
                return missing();
            } else if (roll < 68) {
                return repeated();
            } else if (roll < 88) {
                return mutated();
            } else if (roll < 96) {
                return randomHeaders();
            }
            return rendered("no-secret", sign(configuredSecret(), inTolerance(), randomBody()), NO_SECRET);
        }

        /** Everything a refusal message must never contain for this case. */
        List<String> leakCandidates(Case c) {
            List<String> out = new ArrayList<>();
            for (String s : List.of(secrets.get(0), secrets.get(1), foreignSecret)) {
                out.add(s);
                if (s.startsWith("whsec_")) {
                    out.add(s.substring(6));
                }
            }
            // The MACs the verifier computes for this body; for the timed schemes they depend on the
            // request's own id and timestamp, so recompute from the values it carries when present.
            String id = single(c, "webhook-id");
            String ts = scheme == Scheme.TIMESTAMPED_HMAC ? timestampItem(c) : single(c, "webhook-timestamp");
            for (String s : secrets) {
                out.add(mac(s, id == null ? "id" : id, ts == null ? "0" : ts, c.body()));
            }
            return out;
        }

        private String single(Case c, String name) {
            return c.headers().stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst()
                    .orElse(null);
        }

        private String timestampItem(Case c) {
            String header = single(c, TimestampedHmacVerifier.DEFAULT_HEADER);
            if (header == null) {
                return null;
            }
            for (String item : header.split(",")) {
                if (item.trim().startsWith("t=")) {
                    return item.trim().substring(2);
                }
            }
            return null;
        }

        // --- generators of cases ---

        private Case valid() {
            Draft d = sign(configuredSecret(), inTolerance(), randomBody());
            boolean noisy = r.nextBoolean();
            if (noisy) {
                addHarmlessNoise(d);
            }
            List<String[]> headers = render(d, noisy);
            if (noisy) {
                addIrrelevantHeaders(headers);
                Collections.shuffle(headers, r);
            }
            return new Case(noisy ? "valid-with-noise" : "valid", d.body, headers, true, null);
        }

        private Case missing() {
            Draft d = sign(configuredSecret(), inTolerance(), randomBody());
            List<String[]> headers = render(d, false);
            String gone = pick(scheme.headers);
            headers.removeIf(h -> h[0].equalsIgnoreCase(gone));
            addIrrelevantHeaders(headers);
            return new Case("missing " + gone, d.body, headers, false, MISSING_HEADER);
        }

        private Case repeated() {
            Draft d = sign(configuredSecret(), inTolerance(), randomBody());
            List<String[]> headers = render(d, false);
            String[] original = headers.get(r.nextInt(headers.size()));
            String name = r.nextBoolean() ? original[0] : randomCase(original[0]);
            String value;
            switch (r.nextInt(3)) {
                case 0 -> value = original[1];
                case 1 -> {
                    Draft other = sign(configuredSecret(), inTolerance(), d.body);
                    value = render(other, false).stream().filter(h -> h[0].equalsIgnoreCase(original[0]))
                            .findFirst().orElseThrow()[1];
                }
                default -> value = garbage();
            }
            headers.add(r.nextInt(headers.size() + 1), new String[] {name, value});
            return new Case("repeated " + original[0], d.body, headers, false, REPEATED_HEADER);
        }

        private Case randomHeaders() {
            List<String[]> headers = new ArrayList<>();
            int n = r.nextInt(7);
            for (int i = 0; i < n; i++) {
                String name = r.nextInt(3) > 0 ? randomCase(pick(scheme.headers)) : randomString(r.nextInt(12));
                headers.add(new String[] {name, garbage()});
            }
            // Wholly random headers cannot carry a correct MAC, so any refusal reason is right.
            return new Case("random-headers", randomBody(), headers, false, null);
        }

        /** A correctly signed request with exactly one part broken in a way whose outcome is known. */
        private Case mutated() {
            Draft d = sign(configuredSecret(), inTolerance(), randomBody());
            int op = r.nextInt(13);
            String name;
            Reason reason;
            switch (op) {
                case 0 -> {
                    name = "mac-first-char";
                    setMac(d, changeFirstChar(d.mac));
                    reason = SIGNATURE_MISMATCH;
                }
                case 1 -> {
                    name = "mac-truncated";
                    setMac(d, d.mac.substring(0, r.nextInt(d.mac.length() - 4)));
                    reason = MALFORMED_HEADER;
                }
                case 2 -> {
                    name = "mac-extended";
                    setMac(d, d.mac + randomFrom(macAlphabet(), 1 + r.nextInt(4)));
                    reason = MALFORMED_HEADER;
                }
                case 3 -> {
                    name = "mac-bad-char";
                    int at = r.nextInt(d.mac.length() + 1);
                    setMac(d, d.mac.substring(0, at) + BAD_CHARS.charAt(r.nextInt(BAD_CHARS.length()))
                            + d.mac.substring(at));
                    reason = MALFORMED_HEADER;
                }
                case 4 -> {
                    name = "mac-random";
                    byte[] random = new byte[32];
                    r.nextBytes(random);
                    setMac(d, isHex() ? hex(random) : b64(random));
                    reason = SIGNATURE_MISMATCH;
                }
                case 5 -> {
                    name = "header-garbage";
                    List<String[]> headers = render(d, false);
                    String[] h = headers.get(r.nextInt(headers.size()));
                    String before = h[1];
                    do {
                        h[1] = garbage();
                    } while (h[1].equals(before));
                    return new Case(name + " " + h[0], d.body, headers, false, null);
                }
                case 12 -> {
                    // Differs only at the very end, so a comparison that stops early would miss it.
                    name = "mac-last-byte";
                    byte[] bytes = isHex() ? HexFormat.of().parseHex(d.mac) : Base64.getDecoder().decode(d.mac);
                    bytes[bytes.length - 1] ^= (byte) (1 << r.nextInt(8));
                    setMac(d, isHex() ? hex(bytes) : b64(bytes));
                    reason = SIGNATURE_MISMATCH;
                }
                default -> {
                    return schemeSpecificMutation(d, op);
                }
            }
            return rendered("mutated " + name, d, reason);
        }

        private Case schemeSpecificMutation(Draft d, int op) {
            switch (scheme) {
                case STANDARD_WEBHOOKS -> {
                    switch (op) {
                        case 6 -> {
                            d.entries.set(d.macEntry, "v" + (2 + r.nextInt(8)) + "," + d.mac);
                            return rendered("unknown-version-only", d, SIGNATURE_MISMATCH);
                        }
                        case 7 -> {
                            d.entries.set(d.macEntry, r.nextBoolean() ? "v1" + d.mac : "v1;" + d.mac);
                            return rendered("entry-without-comma", d, MALFORMED_HEADER);
                        }
                        case 8 -> {
                            d.ts = timestampGarbage(d.ts);
                            return rendered("timestamp-garbage", d, MALFORMED_HEADER);
                        }
                        case 9 -> {
                            d.ts = "0" + d.ts;
                            return rendered("timestamp-leading-zero", d, SIGNATURE_MISMATCH);
                        }
                        case 10 -> {
                            d.id = d.id + randomString(1 + r.nextInt(3));
                            return rendered("id-changed", d, SIGNATURE_MISMATCH);
                        }
                        default -> {
                            d.entries.clear();
                            d.entries.add(" ".repeat(r.nextInt(3)));
                            d.macEntry = 0;
                            d.id = r.nextBoolean() ? "" : d.id;
                            return rendered("empty-signature-or-id", d, MALFORMED_HEADER);
                        }
                    }
                }
                case HEX_HMAC -> {
                    String prefix = pick(List.of("", "sha1=", "sha256:", "sha-256=", "sha512=", "sha256 =", "=",
                            "sha256=sha256="));
                    d.entries.set(0, prefix + d.mac);
                    return rendered("prefix " + prefix, d, MALFORMED_HEADER);
                }
                case TIMESTAMPED_HMAC -> {
                    switch (op) {
                        case 6 -> {
                            d.entries.removeIf(e -> e.startsWith("t="));
                            return rendered("no-timestamp", d, MALFORMED_HEADER);
                        }
                        case 7 -> {
                            d.entries.add(r.nextInt(d.entries.size() + 1), "t=" + d.ts);
                            return rendered("two-timestamps", d, MALFORMED_HEADER);
                        }
                        case 8 -> {
                            String garbage = timestampGarbage(d.ts);
                            d.entries.replaceAll(e -> e.startsWith("t=") ? "t=" + garbage : e);
                            return rendered("timestamp-garbage", d, MALFORMED_HEADER);
                        }
                        case 9 -> {
                            d.entries.replaceAll(e -> e.startsWith("t=") ? "t=0" + d.ts : e);
                            return rendered("timestamp-leading-zero", d, SIGNATURE_MISMATCH);
                        }
                        case 10 -> {
                            d.entries.set(d.macEntry, "v0=" + d.mac);
                            return rendered("no-v1", d, SIGNATURE_MISMATCH);
                        }
                        default -> {
                            d.entries.add(r.nextInt(d.entries.size() + 1), r.nextBoolean() ? "" : "junk");
                            return rendered("item-without-equals", d, MALFORMED_HEADER);
                        }
                    }
                }
                default -> {
                    setMac(d, r.nextBoolean() ? "" : "sha256=" + d.mac);
                    return rendered("not-base64", d, MALFORMED_HEADER);
                }
            }
        }

        private Case rendered(String mode, Draft d, Reason reason) {
            List<String[]> headers = render(d, false);
            if (r.nextBoolean()) {
                addIrrelevantHeaders(headers);
            }
            return new Case(mode, d.body, headers, false, reason);
        }

        // --- reference signing, independent of the code under test ---

        private Draft sign(String secret, long timestamp, byte[] body) {
            Draft d = new Draft();
            d.body = body;
            d.ts = Long.toString(timestamp);
            d.id = "msg_" + randomFrom("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 1 + r.nextInt(24));
            d.mac = mac(secret, d.id, d.ts, body);
            switch (scheme) {
                case STANDARD_WEBHOOKS -> d.entries.add("v1," + d.mac);
                case HEX_HMAC -> d.entries.add("sha256=" + d.mac);
                case TIMESTAMPED_HMAC -> {
                    d.entries.add("t=" + d.ts);
                    d.entries.add("v1=" + d.mac);
                    d.macEntry = 1;
                }
                case URL_BODY_HMAC -> d.entries.add(d.mac);
            }
            return d;
        }

        String mac(String secret, String id, String ts, byte[] body) {
            return switch (scheme) {
                case STANDARD_WEBHOOKS -> b64(hmac(Base64.getDecoder().decode(secret.replaceFirst("^whsec_", "")),
                        concat(utf8(id + "." + ts + "."), body)));
                case HEX_HMAC -> hex(hmac(utf8(secret), body));
                case TIMESTAMPED_HMAC -> hex(hmac(utf8(secret), concat(utf8(ts + "."), body)));
                case URL_BODY_HMAC -> b64(hmac(utf8(secret), concat(utf8(URL), body)));
            };
        }

        /** Replaces the MAC inside its entry, keeping the entry's prefix. */
        private void setMac(Draft d, String mac) {
            String entry = d.entries.get(d.macEntry);
            d.entries.set(d.macEntry, entry.substring(0, entry.length() - d.mac.length()) + mac);
            d.mac = mac;
        }

        private List<String[]> render(Draft d, boolean noisy) {
            List<String[]> headers = new ArrayList<>();
            switch (scheme) {
                case STANDARD_WEBHOOKS -> {
                    headers.add(new String[] {name("webhook-id", noisy), d.id});
                    headers.add(new String[] {name("webhook-timestamp", noisy), d.ts});
                    StringBuilder sb = new StringBuilder(noisy ? " ".repeat(r.nextInt(2)) : "");
                    for (int i = 0; i < d.entries.size(); i++) {
                        if (i > 0) {
                            sb.append(noisy ? " ".repeat(1 + r.nextInt(2)) : " ");
                        }
                        sb.append(d.entries.get(i));
                    }
                    sb.append(noisy ? " ".repeat(r.nextInt(2)) : "");
                    headers.add(new String[] {name("webhook-signature", noisy), sb.toString()});
                }
                case TIMESTAMPED_HMAC -> {
                    List<String> items = new ArrayList<>();
                    for (String e : d.entries) {
                        items.add(noisy && r.nextBoolean() ? " " + e + " " : e);
                    }
                    headers.add(new String[] {name(scheme.headers.get(0), noisy), String.join(",", items)});
                }
                default -> {
                    String value = d.entries.get(0);
                    headers.add(new String[] {name(scheme.headers.get(0), noisy), noisy && r.nextBoolean()
                            ? " " + value + " " : value});
                }
            }
            return headers;
        }

        /** Changes that a correct verifier must tolerate: extra entries, letter case, padding. */
        private void addHarmlessNoise(Draft d) {
            switch (scheme) {
                case STANDARD_WEBHOOKS -> {
                    int extra = 1 + r.nextInt(3);
                    for (int i = 0; i < extra; i++) {
                        String entry = switch (r.nextInt(3)) {
                            case 0 -> "v1," + b64(randomBytes(32));
                            case 1 -> "v1a," + b64(randomBytes(64));
                            default -> "v" + (2 + r.nextInt(8)) + "," + randomFrom(B64 + ",.-_", 1 + r.nextInt(40));
                        };
                        insertEntry(d, entry);
                    }
                }
                case TIMESTAMPED_HMAC -> {
                    int extra = 1 + r.nextInt(3);
                    for (int i = 0; i < extra; i++) {
                        String entry = switch (r.nextInt(3)) {
                            case 0 -> "v1=" + hex(randomBytes(32));
                            case 1 -> "v0=" + hex(randomBytes(32));
                            default -> "x" + r.nextInt(10) + "=" + randomFrom(B64 + ".-_ ", r.nextInt(20)).trim();
                        };
                        insertEntry(d, entry);
                    }
                    if (r.nextBoolean()) {
                        setMac(d, d.mac.toUpperCase(Locale.ROOT));
                    }
                }
                case HEX_HMAC -> {
                    if (r.nextBoolean()) {
                        setMac(d, d.mac.toUpperCase(Locale.ROOT));
                    }
                    if (r.nextBoolean()) {
                        d.entries.set(0, "SHA256=" + d.mac);
                    }
                }
                case URL_BODY_HMAC -> setMac(d, d.mac.replace("=", ""));
            }
        }

        private void insertEntry(Draft d, String entry) {
            int at = r.nextInt(d.entries.size() + 1);
            d.entries.add(at, entry);
            if (at <= d.macEntry) {
                d.macEntry++;
            }
        }

        private void addIrrelevantHeaders(List<String[]> headers) {
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                headers.add(new String[] {"X-Fuzz-" + randomFrom(HEX, 1 + r.nextInt(6)), garbage()});
            }
        }

        // --- random values ---

        private String newSecret() {
            if (scheme == Scheme.STANDARD_WEBHOOKS) {
                String key = b64(randomBytes(24 + r.nextInt(41)));
                return r.nextInt(4) > 0 ? "whsec_" + key : key;
            }
            return randomFrom("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'. \u00e9\u20ac",
                    12 + r.nextInt(30));
        }

        private String configuredSecret() {
            return secrets.get(r.nextInt(secrets.size()));
        }

        private long inTolerance() {
            return NOW - TOLERANCE + r.nextInt((int) (2 * TOLERANCE + 1));
        }

        private long outOfTolerance() {
            long beyond = TOLERANCE + 1 + (r.nextBoolean() ? r.nextInt(10) : r.nextInt(100_000_000));
            long t = r.nextBoolean() ? NOW - beyond : NOW + beyond;
            return r.nextInt(20) == 0 ? 0 : t;
        }

        private String timestampGarbage(String ts) {
            return switch (r.nextInt(12)) {
                case 0 -> "";
                case 1 -> "-" + ts;
                case 2 -> "+" + ts;
                case 3 -> " " + ts;
                case 4 -> ts + ".0";
                case 5 -> "1.7e9";
                case 6 -> randomFrom("123456789", 1) + randomFrom(HEX.substring(0, 10), 18 + r.nextInt(10));
                case 7 -> "9223372036854775808";
                case 8 -> ts.chars().mapToObj(ch -> String.valueOf((char) ('\u0660' + ch - '0')))
                        .reduce("", String::concat);
                case 9 -> ts.substring(0, 5) + BAD_CHARS.charAt(r.nextInt(BAD_CHARS.length())) + ts.substring(5);
                case 10 -> "0x" + Long.toHexString(Long.parseLong(ts));
                default -> randomFrom("abcdefghijklmnopqrstuvwxyz", 1 + r.nextInt(10));
            };
        }

        private byte[] randomBody() {
            return switch (r.nextInt(5)) {
                case 0 -> new byte[0];
                case 1 -> randomBytes(1 + r.nextInt(256));
                case 2 -> utf8(randomString(r.nextInt(200)));
                default -> utf8("{\"id\":\"evt_" + r.nextInt(1_000_000) + "\",\"type\":\"booking.updated\",\"n\":"
                        + r.nextLong() + "}");
            };
        }

        /** A different body: bit flip, byte added or removed, or whitespace inserted as a re-serialiser would. */
        private byte[] tamper(byte[] body) {
            if (body.length == 0) {
                return new byte[] {(byte) r.nextInt(256)};
            }
            switch (r.nextInt(4)) {
                case 0 -> {
                    byte[] copy = body.clone();
                    copy[r.nextInt(copy.length)] ^= (byte) (1 << r.nextInt(8));
                    return copy;
                }
                case 1 -> {
                    byte[] copy = java.util.Arrays.copyOf(body, body.length + 1);
                    copy[body.length] = (byte) r.nextInt(256);
                    return copy;
                }
                case 2 -> {
                    return java.util.Arrays.copyOf(body, body.length - 1);
                }
                default -> {
                    int at = r.nextInt(body.length + 1);
                    byte[] space = r.nextBoolean() ? new byte[] {' '} : new byte[] {'\n', ' ', ' '};
                    return concat(java.util.Arrays.copyOfRange(body, 0, at), space,
                            java.util.Arrays.copyOfRange(body, at, body.length));
                }
            }
        }

        /** Values of every shape: random text, digits, well-formed but random MACs, near-miss formats. */
        private String garbage() {
            return switch (r.nextInt(10)) {
                case 0 -> "";
                case 1 -> randomString(r.nextInt(80));
                case 2 -> Long.toString(NOW + r.nextInt(100) - 50);
                case 3 -> b64(randomBytes(32));
                case 4 -> "v1," + b64(randomBytes(32)) + (r.nextBoolean() ? " v2,xyz" : "");
                case 5 -> "t=" + (NOW + r.nextInt(100) - 50) + ",v1=" + hex(randomBytes(32));
                case 6 -> "sha256=" + hex(randomBytes(32));
                case 7 -> randomFrom(" ,=;tv1" + HEX, r.nextInt(40));
                case 8 -> hex(randomBytes(r.nextInt(40)));
                default -> randomFrom(B64 + "=", r.nextInt(60));
            };
        }

        private String changeFirstChar(String mac) {
            String alphabet = macAlphabet();
            // Hex is compared case-insensitively, base64 is not.
            char first = isHex() ? Character.toLowerCase(mac.charAt(0)) : mac.charAt(0);
            char replacement;
            do {
                replacement = alphabet.charAt(r.nextInt(alphabet.length()));
            } while (replacement == first);
            return replacement + mac.substring(1);
        }

        private boolean isHex() {
            return scheme == Scheme.HEX_HMAC || scheme == Scheme.TIMESTAMPED_HMAC;
        }

        private String macAlphabet() {
            return isHex() ? HEX : B64;
        }

        private String name(String header, boolean noisy) {
            return noisy ? randomCase(header) : header;
        }

        private String randomCase(String s) {
            StringBuilder sb = new StringBuilder(s.length());
            for (char c : s.toCharArray()) {
                sb.append(r.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
            }
            return sb.toString();
        }

        private <T> T pick(List<T> items) {
            return items.get(r.nextInt(items.size()));
        }

        private byte[] randomBytes(int n) {
            byte[] bytes = new byte[n];
            r.nextBytes(bytes);
            return bytes;
        }

        private String randomFrom(String alphabet, int length) {
            StringBuilder sb = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            return sb.toString();
        }

        /** Any characters: ASCII, controls, Latin-1, BMP and the occasional surrogate pair. */
        private String randomString(int length) {
            StringBuilder sb = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                switch (r.nextInt(4)) {
                    case 0 -> sb.append((char) (0x20 + r.nextInt(0x5f)));
                    case 1 -> sb.append((char) r.nextInt(0x100));
                    case 2 -> sb.append((char) (0x100 + r.nextInt(0xd700)));
                    default -> sb.appendCodePoint(0x10000 + r.nextInt(0x1000));
                }
            }
            return sb.toString();
        }
    }

    // --- reference HMAC ---

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(HEX.charAt((b >> 4) & 0xf)).append(HEX.charAt(b & 0xf));
        }
        return sb.toString();
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
