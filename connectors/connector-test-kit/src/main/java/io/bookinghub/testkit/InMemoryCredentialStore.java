package io.bookinghub.testkit;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.CredentialStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * Credential store with the hub's {@link CredentialStore#update} contract: one caller at a time holds the lease
 * and runs its function outside the store's monitor (others wait), and the result is compare-and-set on a
 * version. So a connector's refresh-exactly-once logic can be tested with several threads (or several contexts
 * sharing one store, like several hub processes), and a {@link #save} that lands during a refresh wins.
 */
public final class InMemoryCredentialStore implements CredentialStore {
    private Map<String, String> values = Map.of();
    private long version;
    private boolean leased;
    private int updates;
    private final List<String> reauthorizationReasons = new CopyOnWriteArrayList<>();

    @Override
    public synchronized Map<String, String> load() {
        return values;
    }

    @Override
    public synchronized void save(Map<String, String> credentials) {
        values = Map.copyOf(requireNonNull(credentials, "credentials is null"));
        version++;
    }

    @Override
    public synchronized void clear() {
        values = Map.of();
        version++;
    }

    @Override
    public Map<String, String> update(UnaryOperator<Map<String, String>> update) {
        requireNonNull(update, "update is null");
        Map<String, String> current;
        long leasedVersion;
        synchronized (this) {
            while (leased) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the credentials lease", e);
                }
            }
            leased = true;
            updates++;
            current = values;
            leasedVersion = version;
        }
        Map<String, String> next = null;
        Map<String, String> stored;
        try {
            next = Map.copyOf(requireNonNull(update.apply(current), "update returned null"));
        } finally {
            synchronized (this) {
                if (next != null && version == leasedVersion && !next.equals(values)) {
                    values = next;
                    version++;
                }
                stored = values;
                leased = false;
                notifyAll();
            }
        }
        return stored;
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
