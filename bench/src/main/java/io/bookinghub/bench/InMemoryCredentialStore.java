package io.bookinghub.bench;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.CredentialStore;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The bench's credential store: one connection, one process, so a monitor stands in for the hub's row lock. */
final class InMemoryCredentialStore implements CredentialStore {
    private Map<String, String> credentials = Map.of();
    private String reauthorizationReason;

    @Override
    public synchronized Map<String, String> load() {
        return credentials;
    }

    @Override
    public synchronized void save(Map<String, String> credentials) {
        this.credentials = Map.copyOf(requireNonNull(credentials, "credentials is null"));
    }

    @Override
    public synchronized void clear() {
        credentials = Map.of();
    }

    @Override
    public synchronized Map<String, String> update(UnaryOperator<Map<String, String>> update) {
        requireNonNull(update, "update is null");
        credentials = Map.copyOf(requireNonNull(update.apply(credentials), "update returned null"));
        return credentials;
    }

    @Override
    public synchronized void markReauthorizationRequired(String reason) {
        reauthorizationReason = reason;
    }

    synchronized String reauthorizationReason() {
        return reauthorizationReason;
    }

    /** Never lists values: they are tokens. */
    @Override
    public String toString() {
        return "InMemoryCredentialStore[" + credentials.keySet() + "]";
    }
}
