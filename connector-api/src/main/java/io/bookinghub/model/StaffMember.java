package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

/** A person who performs services. */
public record StaffMember(ExternalRef ref, String name, String email, String phone, String locationExternalId,
        boolean active, String rawJson) {
    public StaffMember {
        requireNonNull(ref, "ref is null");
        requireNonNull(name, "name is null");
    }

    /**
     * A staff member; active unless {@link Builder#active(boolean) active(false)}.
     */
    public static Builder builder(ExternalRef ref, String name) {
        return new Builder(ref, name);
    }

    /**
     * Named steps for {@link StaffMember}, so nullable neighbours of the same type cannot be swapped unnoticed.
     * {@link #build()} calls the record's constructor, which is where every rule lives.
     */
    public static final class Builder {
        private final ExternalRef ref;
        private final String name;
        private String email;
        private String phone;
        private String locationExternalId;
        private boolean active = true;
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

        public Builder locationExternalId(String locationExternalId) {
            this.locationExternalId = locationExternalId;
            return this;
        }

        public Builder active(boolean active) {
            this.active = active;
            return this;
        }

        public Builder rawJson(String rawJson) {
            this.rawJson = rawJson;
            return this;
        }

        /** @throws IllegalArgumentException or NullPointerException as the record's constructor does */
        public StaffMember build() {
            return new StaffMember(ref, name, email, phone, locationExternalId, active, rawJson);
        }
    }
}
