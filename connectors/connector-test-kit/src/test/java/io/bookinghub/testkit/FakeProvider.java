package io.bookinghub.testkit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The provider stand-in for the fake connector: clients and appointments with versions and updated-at. */
final class FakeProvider {
    record FakeClient(String id, String name, long version, Instant updatedAt) {
    }

    record FakeAppointment(String id, String clientId, Instant start, int minutes, BigDecimal price, String status,
            long version, Instant updatedAt) {
    }

    private final Map<String, FakeClient> clients = new TreeMap<>();
    private final Map<String, FakeAppointment> appointments = new TreeMap<>();
    private int failStatus;

    FakeProvider() {
        Instant t = TestContext.DEFAULT_NOW.minusSeconds(86_400);
        clients.put("c-1", new FakeClient("c-1", "Anna Nowak", 1, t));
        clients.put("c-2", new FakeClient("c-2", "Jan Kowalski", 1, t));
        appointments.put("a-1", new FakeAppointment("a-1", "c-1", Instant.parse("2026-03-28T09:00:00Z"), 30,
                new BigDecimal("80.00"), "BOOKED", 1, t));
        appointments.put("a-2", new FakeAppointment("a-2", "c-2", Instant.parse("2026-03-29T09:00:00Z"), 45,
                new BigDecimal("120.50"), "CONFIRMED", 1, t));
    }

    synchronized List<FakeClient> clients() {
        check();
        return List.copyOf(clients.values());
    }

    synchronized List<FakeAppointment> appointments() {
        check();
        return List.copyOf(appointments.values());
    }

    synchronized FakeClient client(String id) {
        check();
        return clients.get(id);
    }

    synchronized void renameClient(String id, String name, Instant at) {
        FakeClient c = clients.get(id);
        clients.put(id, new FakeClient(id, name, c.version() + 1, at));
    }

    synchronized void failWith(int status) {
        this.failStatus = status;
    }

    private void check() {
        if (failStatus != 0) {
            throw new FakeHttpException(failStatus);
        }
    }

    static final class FakeHttpException extends RuntimeException {
        final int status;

        FakeHttpException(int status) {
            super("HTTP " + status);
            this.status = status;
        }
    }
}
