package io.bookinghub.testkit;

import io.bookinghub.spi.ConnectorAudit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every audit row so tests can assert on calls and check that no secret reached the audit. */
public final class RecordingAudit implements ConnectorAudit {
    /** One {@link ConnectorAudit#event} call. */
    public record Event(String type, String message) {
    }

    private final List<ApiCall> calls = new CopyOnWriteArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void apiCall(ApiCall call) {
        calls.add(call);
    }

    @Override
    public void event(String type, String message) {
        events.add(new Event(type, message));
    }

    public List<ApiCall> calls() {
        return List.copyOf(calls);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Every audited string (paths, errors, event types and messages), for secrecy checks. */
    public List<String> allText() {
        List<String> out = new ArrayList<>();
        for (ApiCall c : calls) {
            out.add(c.method());
            out.add(c.path());
            if (c.error() != null) {
                out.add(c.error());
            }
        }
        for (Event e : events) {
            out.add(String.valueOf(e.type()));
            out.add(String.valueOf(e.message()));
        }
        return out;
    }
}
