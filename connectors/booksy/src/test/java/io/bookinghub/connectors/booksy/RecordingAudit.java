package io.bookinghub.connectors.booksy;

import io.bookinghub.spi.ConnectorAudit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

final class RecordingAudit implements ConnectorAudit {
    record Event(String type, String message) {
    }

    final List<ApiCall> calls = new CopyOnWriteArrayList<>();
    final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void apiCall(ApiCall call) {
        calls.add(call);
    }

    @Override
    public void event(String type, String message) {
        events.add(new Event(type, message));
    }
}
