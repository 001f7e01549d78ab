package io.bookinghub.hub.faults;

import io.bookinghub.hubtesting.HubProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * What a fault test started (databases, WireMock, hub processes), closed in reverse order after the test;
 * when the test did not reach {@link #passed()}, every hub's log tail is printed first.
 */
final class Started implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<HubProcess> hubs = new ArrayList<>();
    private boolean passed;

    <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    HubProcess hub(HubProcess hub) {
        hubs.add(hub);
        return add(hub);
    }

    void passed() {
        passed = true;
    }

    @Override
    public void close() throws Exception {
        if (!passed) {
            hubs.forEach(h -> System.err.println(h.logTail()));
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }
}
