package io.bookinghub.connectors.booksy;

import io.bookinghub.spi.CredentialStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** Credential store whose update() is serialized like the hub's row lock. */
final class InMemoryCredentialStore implements CredentialStore {
    private Map<String, String> values = Map.of();
    final List<String> reauthorizationReasons = new CopyOnWriteArrayList<>();
    int updates;

    @Override
    public synchronized Map<String, String> load() {
        return values;
    }

    @Override
    public synchronized void save(Map<String, String> credentials) {
        values = Map.copyOf(credentials);
    }

    @Override
    public synchronized void clear() {
        values = Map.of();
    }

    @Override
    public synchronized Map<String, String> update(UnaryOperator<Map<String, String>> update) {
        updates++;
        values = Map.copyOf(update.apply(values));
        return values;
    }

    @Override
    public void markReauthorizationRequired(String reason) {
        reauthorizationReasons.add(reason);
    }
}
