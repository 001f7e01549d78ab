package io.bookinghub.hub.sync;

import com.google.common.base.Ticker;
import io.bookinghub.hub.connections.ConnectionsFeature;
import io.bookinghub.hub.metrics.HubMetrics;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.hub.tracing.HubTracing;
import io.dropwizard.core.setup.Environment;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/** The sync engine: the run ledger, the executing service, the schedule and the sync routes. */
public final class SyncFeature {
    private SyncFeature() {
    }

    /**
     * Registers the sync routes and manages the service and scheduler (stopped before connector instances
     * and the database, which were managed earlier).
     *
     * @return the ledger every run, sync or import, is recorded in
     */
    public static RunLedger register(Environment environment, Jdbi jdbi, Clock clock, SyncConfig config,
            ConnectionsFeature connections, RecordStore records, HubMetrics metrics, HubTracing tracing) {
        RunLedger ledger = new RunLedger(jdbi, clock, Ticker.systemTicker(), config, records,
                ManagementFactory.getRuntimeMXBean().getName(), metrics, tracing);
        SyncService service = new SyncService(jdbi, config, SyncService.Connectors.of(connections.instances()),
                ledger);
        environment.lifecycle().manage(service);
        environment.lifecycle().manage(new SyncScheduler(jdbi, clock, config, service));
        environment.jersey().register(new SyncResource.Trigger(connections.service(), service, config));
        environment.jersey().register(new SyncResource.Runs(connections.service(), ledger));
        return ledger;
    }
}
