package io.bookinghub.hub.imports;

import io.bookinghub.hub.connections.ConnectionsFeature;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.hub.sync.RunLedger;
import io.bookinghub.hub.sync.SyncService;
import io.dropwizard.core.setup.Environment;

/** File uploads to FILE_IMPORT connectors, run as IMPORT runs of the run ledger. */
public final class ImportsFeature {
    private ImportsFeature() {
    }

    public static void register(Environment environment, ImportsConfig config, ConnectionsFeature connections,
            RunLedger ledger, RecordStore records) {
        ImportService imports = new ImportService(ledger, SyncService.Connectors.of(connections.instances()),
                records);
        environment.jersey().register(new ImportResource(connections.service(), imports, ledger.runs(), config));
    }
}
