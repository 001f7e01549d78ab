package io.bookinghub.hub.bookings;

import io.bookinghub.hub.connections.ConnectorInstances;
import io.bookinghub.hub.model.ModelQueries;
import io.bookinghub.hub.model.RecordStore;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Two-way booking assembled: the app API's availability and write routes, the admin command log, and the command
 * workers. {@link #register} is all HubApplication needs to call.
 */
public final class BookingsFeature {
    private BookingsFeature() {
    }

    /**
     * @param longestProviderCall the outbound policy's cap on one call: a command's lease must outlast it, or a live
     *                            node's command could be looked up by another while its call still runs
     * @throws IllegalArgumentException naming {@code bookings.lease} when it does not
     */
    public static void register(Environment environment, Jdbi jdbi, Clock clock, BookingsConfig config,
            Duration longestProviderCall, ConnectorInstances instances, RecordStore records) {
        if (config.getLease().compareTo(longestProviderCall) <= 0) {
            throw new IllegalArgumentException("bookings.lease (" + config.getLease() + ") must be longer than "
                    + "outbound.maxRequestTimeout (" + longestProviderCall + ")");
        }
        // Only has to be unique among live nodes; it names who holds a claim in the command log.
        String nodeId = "bookings-" + UUID.randomUUID();
        CommandStore store = new CommandStore(jdbi);
        CommandProcessor processor = new CommandProcessor(clock, jdbi, store, instances, records, new ModelQueries(jdbi),
                environment.getObjectMapper(), config);
        BookingService service = new BookingService(clock, jdbi, store, processor, instances,
                environment.getObjectMapper(), config, nodeId);
        environment.lifecycle().manage(new CommandWorkers(clock, store, processor, config, nodeId));
        environment.jersey().register(new BookingResource(service, new Availability(clock, jdbi, service, instances)));
        environment.jersey().register(new CommandAdminResource(jdbi, store));
    }
}
