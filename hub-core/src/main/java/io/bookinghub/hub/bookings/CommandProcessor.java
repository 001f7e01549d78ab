package io.bookinghub.hub.bookings;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookinghub.hub.api.ConnectorExceptionMapper;
import io.bookinghub.hub.api.ErrorBody;
import io.bookinghub.hub.connections.ConnectionDao;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.connections.ConnectorInstances;
import io.bookinghub.hub.model.ModelQueries;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.booking.AvailabilityQuery;
import io.bookinghub.spi.booking.BookingClient;
import io.bookinghub.spi.booking.Bookings;
import io.bookinghub.spi.booking.CancelBooking;
import io.bookinghub.spi.booking.CreateBooking;
import io.bookinghub.spi.booking.RescheduleBooking;
import io.bookinghub.spi.booking.WriteKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one claimed command one step towards its answer. A PENDING command is marked SENT (committed) and sent; a
 * command found SENT or UNKNOWN may have reached the provider, so it is first looked up there (by its client
 * reference, or by the target appointment's state) and sent again only when the provider has no trace of it, with the
 * same provider idempotency key. The provider's appointment is written to the shared model in the transaction that
 * confirms the command. A failure whose outcome cannot be known leaves the command UNKNOWN for a later look-up; only
 * refusals the provider states (a taken slot, a changed version, ...) reject it.
 */
final class CommandProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);
    /** Codes meaning the provider refused and changed nothing: a final answer. */
    private static final Set<ErrorCode> REFUSALS = EnumSet.of(ErrorCode.SLOT_UNAVAILABLE, ErrorCode.VERSION_MISMATCH,
            ErrorCode.NOT_FOUND, ErrorCode.INVALID_INPUT, ErrorCode.CONFLICT, ErrorCode.UNSUPPORTED,
            ErrorCode.FORBIDDEN, ErrorCode.AUTH_REQUIRED);
    private static final int ALTERNATIVES = 3;
    private static final Duration ALTERNATIVES_BEFORE = Duration.ofHours(3);
    private static final Duration ALTERNATIVES_AFTER = Duration.ofDays(2);

    private final Clock clock;
    private final Jdbi jdbi;
    private final CommandStore store;
    private final ConnectorInstances instances;
    private final RecordStore records;
    private final ModelQueries queries;
    private final ObjectMapper json;
    private final BookingsConfig config;

    CommandProcessor(Clock clock, Jdbi jdbi, CommandStore store, ConnectorInstances instances, RecordStore records,
            ModelQueries queries, ObjectMapper json, BookingsConfig config) {
        this.clock = requireNonNull(clock, "clock is null");
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.store = requireNonNull(store, "store is null");
        this.instances = requireNonNull(instances, "instances is null");
        this.records = requireNonNull(records, "records is null");
        this.queries = requireNonNull(queries, "queries is null");
        this.json = requireNonNull(json, "json is null");
        this.config = requireNonNull(config, "config is null");
    }

    /** One step of a command held by {@code claim}. Never throws for what the provider or connector does. */
    void process(CommandRow row, String claim) {
        Optional<ConnectionRow> connection = jdbi.onDemand(ConnectionDao.class).findById(row.connectionId())
                .filter(ConnectionRow::enabled);
        if (connection.isEmpty()) {
            // A command that may have been sent stays to be looked up once the connection is back.
            if (row.state() == CommandState.PENDING) {
                reject(row, claim, new ConnectorException(ErrorCode.CONFLICT, "The " + row.connectorId()
                        + " connection was disabled before the command was sent"));
            } else {
                store.unknown(row.id(), claim, clock.instant(), clock.instant().plus(backoff(row)),
                        "the " + row.connectorId() + " connection is disabled");
            }
            return;
        }
        try {
            instances.use(connection.get(), connector -> {
                step(connector.bookings(), row, claim);
                return null;
            });
        } catch (ConnectorException e) {
            // The instance could not be built (configuration, missing plugin): nothing was sent by this step.
            failed(row, claim, e, row.state() == CommandState.PENDING);
        } catch (RuntimeException e) {
            LOG.warn("Booking command {} failed unexpectedly: {}", row.id(), e.toString());
            store.unknown(row.id(), claim, clock.instant(), clock.instant().plus(backoff(row)),
                    "unexpected " + e.getClass().getName());
        }
    }

    private void step(Bookings bookings, CommandRow row, String claim) {
        CommandRequest request = request(row);
        if (row.state() != CommandState.PENDING) {
            Optional<Appointment> found;
            try {
                found = reconcile(bookings, row, request);
            } catch (ConnectorException e) {
                store.unknown(row.id(), claim, clock.instant(), clock.instant().plus(backoff(row)),
                        "look-up failed: " + e.getMessage());
                return;
            }
            if (found.isPresent()) {
                confirm(row, claim, CommandState.RECONCILED, found.get(), "found at the provider");
                return;
            }
            if (row.attempts() > config.getMaxAttempts()) {
                reject(row, claim, new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "The provider did not "
                        + "answer after " + config.getMaxAttempts() + " attempts and has no trace of the command; "
                        + "nothing was booked"));
                return;
            }
            if (!store.markSent(row.id(), claim, clock.instant(), "not found at the provider: sending again")) {
                return;
            }
        } else if (!store.markSent(row.id(), claim, clock.instant(), null)) {
            return;
        }
        Appointment answer;
        try {
            answer = send(bookings, row, request);
        } catch (ConnectorException e) {
            failed(row, claim, e, false);
            return;
        }
        confirm(row, claim, CommandState.CONFIRMED, answer, null);
    }

    /** A refusal is the command's answer; anything else may have happened at the provider and is looked up later. */
    private void failed(CommandRow row, String claim, ConnectorException e, boolean certainlyNotSent) {
        if (REFUSALS.contains(e.code()) || (certainlyNotSent && !e.code().retryable())) {
            reject(row, claim, e);
        } else {
            store.unknown(row.id(), claim, clock.instant(), clock.instant().plus(backoff(row)),
                    e.code() + ": " + e.getMessage());
        }
    }

    private Appointment send(Bookings bookings, CommandRow row, CommandRequest request) {
        WriteKey key = new WriteKey(row.providerKey(), row.clientReference());
        return switch (row.kind()) {
            case CREATE -> {
                CreateAppointmentBody b = request.create();
                yield bookings.create(new CreateBooking(key, b.service(), b.variant(), anyToNull(b.staff()),
                        Times.instant("start", b.start()), new BookingClient(b.client().id(), b.client().name(),
                                b.client().phone(), b.client().email()), b.notes()));
            }
            case RESCHEDULE -> bookings.reschedule(new RescheduleBooking(key, row.appointmentExternalId(),
                    Times.instant("start", request.reschedule().start()), request.reschedule().staff(),
                    request.ifMatch()));
            case CANCEL -> bookings.cancel(new CancelBooking(key, row.appointmentExternalId(),
                    request.cancel().reason(), "client".equals(request.cancel().by())
                            ? CancelBooking.CancelledBy.CLIENT : CancelBooking.CancelledBy.BUSINESS,
                    request.ifMatch()));
        };
    }

    /** Whether an attempt whose answer was lost took effect: the provider's record if it did. */
    private static Optional<Appointment> reconcile(Bookings bookings, CommandRow row, CommandRequest request) {
        return switch (row.kind()) {
            case CREATE -> bookings.lookupByClientReference(row.clientReference());
            case RESCHEDULE -> bookings.appointment(row.appointmentExternalId())
                    .filter(a -> a.start().equals(Times.instant("start", request.reschedule().start())));
            case CANCEL -> bookings.appointment(row.appointmentExternalId()).filter(a -> a.status().cancelled());
        };
    }

    /** Writes the provider's appointment to the shared model and confirms the command, in one transaction. */
    private void confirm(CommandRow row, String claim, CommandState state, Appointment appointment, String note) {
        Instant now = clock.instant();
        UUID appointmentId;
        try (Handle h = jdbi.open()) {
            h.begin();
            records.sinkInTransaction(h, row.businessId(), row.connectorId()).upsert(appointment);
            appointmentId = h.createQuery("SELECT id FROM appointments WHERE business_id = :b AND connector_id = :c "
                    + "AND external_id = :e").bind("b", row.businessId()).bind("c", row.connectorId())
                    .bind("e", appointment.ref().externalId()).mapTo(UUID.class).one();
            int status = row.kind() == CommandKind.CREATE ? 201 : 200;
            if (!CommandStore.confirm(h, row.id(), claim, state, appointment.ref().externalId(), appointmentId, status,
                    now, note)) {
                // The lease ran out and another worker holds the command: it decides, this attempt writes nothing.
                h.rollback();
                return;
            }
            h.commit();
        }
        answer(row.businessId(), row.id(), appointmentId);
    }

    /** Renders and stores a confirmed command's answer (the first rendering wins); returns it. */
    String answer(UUID businessId, UUID commandId, UUID appointmentId) {
        String body = queries.appointment(businessId, appointmentId, false).map(this::write)
                .orElseGet(() -> write(Map.of("id", appointmentId)));
        store.storeResponse(commandId, body);
        return store.find(commandId).map(CommandRow::response).orElse(body);
    }

    private void reject(CommandRow row, String claim, ConnectorException e) {
        int status = ConnectorExceptionMapper.status(e);
        ObjectNode body = json.valueToTree(new ErrorBody(status, e.code().name(), e.getMessage(), List.of()));
        if (e.code() == ErrorCode.SLOT_UNAVAILABLE) {
            body.set("alternatives", json.valueToTree(alternatives(row)));
        }
        store.reject(row.id(), claim, clock.instant(), status, write(body), e.code().name(), e.getMessage());
    }

    /** Free slots nearest the one asked for, live from the provider; none when it cannot tell. */
    private List<SlotView> alternatives(CommandRow row) {
        try {
            CommandRequest request = request(row);
            Target target = target(row, request);
            if (target == null) {
                return List.of();
            }
            Optional<ConnectionRow> connection = jdbi.onDemand(ConnectionDao.class).findById(row.connectionId());
            if (connection.isEmpty()) {
                return List.of();
            }
            List<AvailabilitySlot> slots = instances.use(connection.get(), c -> c.bookings().searchAvailability(
                    new AvailabilityQuery(target.service(), target.staff(), target.start().minus(ALTERNATIVES_BEFORE),
                            target.start().plus(ALTERNATIVES_AFTER))));
            return slots.stream().filter(s -> !s.start().equals(target.start()))
                    .sorted(Comparator.comparing((AvailabilitySlot s) -> Duration.between(target.start(), s.start())
                            .abs()).thenComparing(AvailabilitySlot::start))
                    .limit(ALTERNATIVES).sorted(Comparator.comparing(AvailabilitySlot::start)).map(SlotView::of)
                    .toList();
        } catch (RuntimeException e) {
            LOG.info("No alternatives for booking command {}: {}", row.id(), e.toString());
            return List.of();
        }
    }

    private record Target(String service, String staff, Instant start) {
    }

    private Target target(CommandRow row, CommandRequest request) {
        if (row.kind() == CommandKind.CREATE) {
            return new Target(request.create().service(), anyToNull(request.create().staff()),
                    Times.instant("start", request.create().start()));
        }
        if (row.kind() == CommandKind.RESCHEDULE) {
            return jdbi.withHandle(h -> h.createQuery("SELECT service_external_id, staff_external_id "
                    + "FROM appointment_segments WHERE appointment_id = :id ORDER BY position LIMIT 1")
                    .bind("id", request.appointmentId())
                    .map((rs, ctx) -> new Target(rs.getString(1), request.reschedule().staff() != null
                            ? request.reschedule().staff() : rs.getString(2),
                            Times.instant("start", request.reschedule().start())))
                    .findOne().filter(t -> t.service() != null).orElse(null));
        }
        return null;
    }

    private CommandRequest request(CommandRow row) {
        try {
            return json.readValue(row.request(), CommandRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("booking command " + row.id() + " holds an unreadable request", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a booking answer", e);
        }
    }

    /** Exponential in the command's attempts, capped. */
    Duration backoff(CommandRow row) {
        Duration base = config.getInitialBackoff();
        int doublings = Math.min(Math.max(row.attempts() - 1, 0), 20);
        Duration wait = base.multipliedBy(1L << doublings);
        return wait.compareTo(config.getMaxBackoff()) > 0 ? config.getMaxBackoff() : wait;
    }

    static String anyToNull(String staff) {
        return staff == null || staff.isBlank() || staff.equalsIgnoreCase("any") ? null : staff;
    }
}
