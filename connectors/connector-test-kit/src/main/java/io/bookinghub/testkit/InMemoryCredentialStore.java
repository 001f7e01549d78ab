package io.bookinghub.testkit;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.CredentialStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * Credential store whose {@link #update} is serialized like the hub's row lock, so a connector's
 * refresh-exactly-once logic can be tested with several threads (or several contexts sharing one store,
 * like several hub processes).
 */
public final class InMemoryCredentialStore implements CredentialStore {
    private Map<String, String> values = Map.of();
    private int updates;
    private final List<String> reauthorizationReasons = new CopyOnWriteArrayList<>();

    @Override
    public synchronized Map<String, String> load() {
        return values;
    }

    @Override
    public synchronized void save(Map<String, String> credentials) {
        values = Map.copyOf(requireNonNull(credentials, "credentials is null"));
    }

    @Override
    public synchronized void clear() {
        values = Map.of();
    }

    @Override
    public synchronized Map<String, String> update(UnaryOperator<Map<String, String>> update) {
        requireNonNull(update, "update is null");
        updates++;
        values = Map.copyOf(requireNonNull(update.apply(values), "update returned null"));
        return values;
    }

    @Override
    public void markReauthorizationRequired(String reason) {
        reauthorizationReasons.add(requireNonNull(reason, "reason is null"));
    }

    /** How many times {@link #update} ran. */
    public synchronized int updates() {
        return updates;
    }

    /** Reasons passed to {@link #markReauthorizationRequired}, oldest first. */
    public List<String> reauthorizationReasons() {
        return List.copyOf(reauthorizationReasons);
    }
}
