package io.bookinghub.hub.sync;

import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.StaffMember;
import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.sync.SyncResult;
import io.bookinghub.spi.sync.SyncSink;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A provider's data set, read the way a real connector would: clients carry a provider version that
 * doubles as the incremental watermark ("clients" cursor); staff members are read on full syncs only.
 */
final class FakeProvider {
    record Row(String name, long version) {
    }

    final String connectorId;
    final Map<String, Row> clients = new ConcurrentSkipListMap<>();
    final Map<String, String> staff = new ConcurrentSkipListMap<>();
    private final AtomicLong versions = new AtomicLong();
    /** The cursor value the last incremental run started from, null if none. */
    volatile String lastCursorSeen;

    FakeProvider(String connectorId) {
        this.connectorId = connectorId;
    }

    FakeProvider client(String id, String name) {
        clients.put(id, new Row(name, versions.incrementAndGet()));
        return this;
    }

    FakeProvider staff(String id, String name) {
        staff.put(id, name);
        return this;
    }

    SyncResult sync(SyncRequest request, SyncSink sink) {
        long since = 0;
        lastCursorSeen = null;
        if (request.mode() == SyncMode.INCREMENTAL) {
            lastCursorSeen = sink.cursor("clients").orElse(null);
            since = lastCursorSeen == null ? 0 : Long.parseLong(lastCursorSeen);
        }
        long max = since;
        int done = 0;
        for (var e : clients.entrySet()) {
            done++;
            if (e.getValue().version() <= since) {
                continue;
            }
            sink.upsert(client(e.getKey(), e.getValue()));
            max = Math.max(max, e.getValue().version());
            sink.progress("clients", done, clients.size());
        }
        sink.saveCursor("clients", Long.toString(max));
        if (request.mode() == SyncMode.FULL) {
            staff.forEach((id, name) -> sink.upsert(new StaffMember(new ExternalRef(connectorId, id), name, null, null,
                    null, true, null)));
        }
        return SyncResult.completed();
    }

    Client client(String id, Row row) {
        return new Client(new ExternalRef(connectorId, id), row.name(), null, null,
                new ProviderVersion(row.version(), null), "{\"id\":\"" + id + "\"}");
    }
}
