package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A customer of the business.
 *
 * <p><b>Clients without a provider id.</b> Some providers send a booking's client only as name, email and
 * phone. Identify such a client by {@link #derivedExternalId(String, String)}: a stable key derived from the
 * email (else the phone), so the same person gets the same {@link ExternalRef} on every sync and webhook, and
 * the appointment's {@code clientExternalId} points at it. A client with neither email nor phone has no stable
 * identity: write no client record and leave the appointment's {@code clientExternalId} null (its name stays in
 * the appointment's raw JSON). Never derive an id from the name alone: two people share names, and merging their
 * histories is worse than having none.
 */
public record Client(ExternalRef ref, String name, String email, String phone, ProviderVersion version,
        String rawJson) {
    public Client {
        requireNonNull(ref, "ref is null");
        requireNonNull(name, "name is null");
        version = version == null ? ProviderVersion.UNKNOWN : version;
    }

    /**
     * The external id of a client the provider gives no id for: {@code derived-email:} followed by the hex SHA-256
     * of the email trimmed and in lower case, else {@code derived-phone:} and the hex SHA-256 of the phone's
     * digits (with a leading {@code +} kept), else empty. Hashed so the id, which appears in URLs, logs and
     * exports, does not itself carry the address or number; the prefixes keep these ids apart from any real
     * provider id. Changing the client's email in the provider yields a new client, as it would for the person
     * behind the booking form.
     *
     * @param email the client's email, or null or blank
     * @param phone the client's phone in any format, or null or blank
     */
    public static Optional<String> derivedExternalId(String email, String phone) {
        if (email != null && !email.isBlank()) {
            return Optional.of("derived-email:" + sha256(email.trim().toLowerCase(Locale.ROOT)));
        }
        String digits = phone == null ? "" : phone.replaceAll("[^0-9]", "");
        if (!digits.isEmpty()) {
            return Optional.of("derived-phone:" + sha256((phone.trim().startsWith("+") ? "+" : "") + digits));
        }
        return Optional.empty();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-256.
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /**
     * A client; email, phone, version and raw JSON are optional named steps. For a client without a
     * provider id, see {@link #derivedExternalId}.
     */
    public static Builder builder(ExternalRef ref, String name) {
        return new Builder(ref, name);
    }

    /**
     * Named steps for {@link Client}, so nullable neighbours of the same type cannot be swapped unnoticed.
     * {@link #build()} calls the record's constructor, which is where every rule lives.
     */
    public static final class Builder {
        private final ExternalRef ref;
        private final String name;
        private String email;
        private String phone;
        private ProviderVersion version;
        private String rawJson;

        private Builder(ExternalRef ref, String name) {
            this.ref = requireNonNull(ref, "ref is null");
            this.name = requireNonNull(name, "name is null");
        }

        public Builder email(String email) {
            this.email = email;
            return this;
        }

        public Builder phone(String phone) {
            this.phone = phone;
            return this;
        }

        public Builder version(ProviderVersion version) {
            this.version = version;
            return this;
        }

        public Builder rawJson(String rawJson) {
            this.rawJson = rawJson;
            return this;
        }

        /** @throws IllegalArgumentException or NullPointerException as the record's constructor does */
        public Client build() {
            return new Client(ref, name, email, phone, version, rawJson);
        }
    }
}
