package io.bookinghub.hub.bookings;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.hub.api.ErrorBody;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.connections.ConnectionDao;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.connections.ConnectorInstances;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * The request side of two-way booking: checks a write, commits it as a command with its Idempotency-Key (or finds the
 * command that key already made), takes the first step itself so that the common case needs no worker, and waits a
 * little for the final answer, which every retry with the same key and body then gets again.
 */
public final class BookingService {
    /** What an Idempotency-Key may be: printable ASCII without spaces, as most APIs accept. */
    private static final Pattern KEY = Pattern.compile("[!-~]{1,255}");
    private static final long POLL_MILLIS = 20;

    private final Clock clock;
    private final Jdbi jdbi;
    private final CommandStore store;
    private final CommandProcessor processor;
    private final ConnectorInstances instances;
    private final ObjectMapper json;
    private final BookingsConfig config;
    private final String nodeId;

    BookingService(Clock clock, Jdbi jdbi, CommandStore store, CommandProcessor processor, ConnectorInstances instances,
            ObjectMapper json, BookingsConfig config, String nodeId) {
        this.clock = requireNonNull(clock, "clock is null");
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.store = requireNonNull(store, "store is null");
        this.processor = requireNonNull(processor, "processor is null");
        this.instances = requireNonNull(instances, "instances is null");
        this.json = requireNonNull(json, "json is null");
        this.config = requireNonNull(config, "config is null");
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
    }

    Response create(HubPrincipal principal, UUID businessId, String key, CreateAppointmentBody body) {
        requireKey(key);
        if (!Times.instant("start", body.start()).isAfter(clock.instant())) {
            throw invalid("start", "must be in the future");
        }
        ConnectionRow connection = connectionFor(businessId, body.connector());
        return submit(principal, businessId, key, new CommandRequest(body, null, null, null, null), connection, null);
    }

    Response reschedule(HubPrincipal principal, UUID businessId, UUID appointmentId, String key, String ifMatch,
            RescheduleBody body) {
        requireKey(key);
        if (!Times.instant("start", body.start()).isAfter(clock.instant())) {
            throw invalid("start", "must be in the future");
        }
        Long version = version(ifMatch);
        Target target = target(businessId, appointmentId);
        return submit(principal, businessId, key, new CommandRequest(null, body, null, appointmentId, version),
                target.connection(), target.externalId());
    }

    Response cancel(HubPrincipal principal, UUID businessId, UUID appointmentId, String key, String ifMatch,
            CancelBody body) {
        requireKey(key);
        Long version = version(ifMatch);
        Target target = target(businessId, appointmentId);
        return submit(principal, businessId, key, new CommandRequest(null, null, body, appointmentId, version),
                target.connection(), target.externalId());
    }

    private Response submit(HubPrincipal principal, UUID businessId, String key, CommandRequest request,
            ConnectionRow connection, String externalId) {
        String requestJson = write(request);
        String hash = sha256(connection.connectorId() + "\n" + requestJson);
        Instant now = clock.instant();
        CommandRow row = new CommandRow(UUID.randomUUID(), businessId, connection.id(), connection.connectorId(),
                request.kind(), key, hash, requestJson, externalId, null, CommandState.PENDING, 1, now, null, null,
                null, null, null, null, "[]", principal.keyId(), now, now, null);
        String claim = nodeId + ":" + UUID.randomUUID();
        CommandStore.Inserted result = store.insertOrFind(row, claim, now.plus(config.getLease()));
        if (!result.inserted()) {
            if (!result.row().requestHash().equals(hash)) {
                throw new ConnectorException(ErrorCode.INVALID_INPUT, "This Idempotency-Key was already used with "
                        + "another request; use a new key for a new request");
            }
            return await(result.row().id());
        }
        processor.process(result.row(), claim);
        return await(result.row().id());
    }

    /**
     * The command's final answer once it has one, else, after {@code requestWait}, 202 with the command: the
     * provider's answer is still outstanding and the same request with the same key will return it.
     */
    private Response await(UUID commandId) {
        Instant deadline = clock.instant().plus(config.getRequestWait());
        while (true) {
            CommandRow row = store.find(commandId).orElseThrow(() -> new ConnectorException(ErrorCode.NOT_FOUND,
                    "The command " + commandId + " no longer exists"));
            if (row.state().finished() && row.responseStatus() != null) {
                String body = row.response() != null ? row.response()
                        : processor.answer(row.businessId(), row.id(), row.appointmentId());
                return Response.status(row.responseStatus()).type(MediaType.APPLICATION_JSON_TYPE).entity(body)
                        .build();
            }
            if (!clock.instant().isBefore(deadline)) {
                return Response.status(Response.Status.ACCEPTED).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(CommandView.of(row)).build();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Response.status(Response.Status.ACCEPTED).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(CommandView.of(row)).build();
            }
        }
    }

    /**
     * The connection a new booking goes to: the one named, else the business's one enabled connection whose
     * connector declares WRITE_BACK.
     */
    ConnectionRow connectionFor(UUID businessId, String connector) {
        List<ConnectionRow> enabled = jdbi.onDemand(ConnectionDao.class).listForBusiness(businessId).stream()
                .filter(ConnectionRow::enabled).filter(r -> connector == null || r.connectorId().equals(connector))
                .toList();
        if (enabled.isEmpty()) {
            throw unsupported(connector == null ? "The business has no enabled connection; connect a provider that "
                    + "can book (WRITE_BACK) first" : "The business has no enabled '" + connector + "' connection");
        }
        List<ConnectionRow> writable = enabled.stream().filter(r -> canWrite(r.connectorId())).toList();
        if (writable.size() == 1) {
            return writable.get(0);
        }
        if (writable.size() > 1) {
            throw invalid("connector", "the business has several connections that can book ("
                    + String.join(", ", writable.stream().map(ConnectionRow::connectorId).toList()) + "): name one");
        }
        throw unsupported("Connector '" + enabled.get(0).connectorId() + "' cannot book appointments (it does not "
                + "support WRITE_BACK): its appointments come from the provider's own exports or events");
    }

    private record Target(ConnectionRow connection, String externalId) {
    }

    /** The appointment to move or cancel, and the enabled connection of the provider it came from. */
    private Target target(UUID businessId, UUID appointmentId) {
        record Stored(String connectorId, String externalId) {
        }
        Optional<Stored> stored = jdbi.withHandle(h -> h.createQuery("SELECT connector_id, external_id FROM appointments "
                + "WHERE business_id = :b AND id = :id AND deleted_at IS NULL").bind("b", businessId)
                .bind("id", appointmentId).map((rs, ctx) -> new Stored(rs.getString(1), rs.getString(2))).findOne());
        if (stored.isEmpty()) {
            throw new ConnectorException(ErrorCode.NOT_FOUND, "No appointment " + appointmentId);
        }
        ConnectionRow connection = jdbi.onDemand(ConnectionDao.class).find(businessId, stored.get().connectorId())
                .filter(ConnectionRow::enabled).orElseThrow(() -> unsupported("The appointment's '"
                        + stored.get().connectorId() + "' connection is not enabled"));
        if (!canWrite(connection.connectorId())) {
            throw unsupported("Appointments from connector '" + connection.connectorId() + "' cannot be changed "
                    + "through the hub: it does not support WRITE_BACK");
        }
        return new Target(connection, stored.get().externalId());
    }

    private boolean canWrite(String connectorId) {
        try {
            return instances.installed(connectorId).descriptor().capabilities().contains(Capability.WRITE_BACK);
        } catch (ConnectorException notInstalled) {
            return false;
        }
    }

    private static void requireKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new WebApplicationException(ErrorBody.invalid(List.of(new ConfigValidationException.FieldError(
                    "Idempotency-Key", "header required: 1-255 printable characters without spaces, one per "
                    + "intended write (a UUID will do)"))).response());
        }
    }

    /** If-Match: the provider version the caller last saw ({@code "3"}, {@code 3} or {@code W/"3"}). */
    private static Long version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        String v = ifMatch.trim();
        v = v.startsWith("W/") ? v.substring(2) : v;
        v = v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new WebApplicationException(ErrorBody.invalid(List.of(new ConfigValidationException.FieldError(
                    "If-Match", "must be the appointment's providerVersion, e.g. \"3\""))).response());
        }
    }

    private static ConfigValidationException invalid(String field, String message) {
        return new ConfigValidationException(List.of(new ConfigValidationException.FieldError(field, message)));
    }

    private static WebApplicationException unsupported(String message) {
        return new WebApplicationException(message, new ErrorBody(409, ErrorCode.UNSUPPORTED.name(), message,
                List.of()).response());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store a booking request", e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
