package io.bookinghub.hub.imports;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.api.BadRequestException;
import io.bookinghub.hub.api.ErrorBody;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.connections.ConnectionService;
import io.bookinghub.hub.sync.SyncLogView;
import io.bookinghub.hub.sync.SyncRunDao;
import io.bookinghub.spi.ConnectorException;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * {@code POST /admin/businesses/{businessId}/connections/{connectorId}/imports?kind=...&dryRun=...}: uploads a
 * file (the raw request body, any content type) to a FILE_IMPORT connector. The body is streamed straight to
 * the connector, never held whole, and the import runs in the request as a sync run of mode IMPORT (trigger
 * "upload"); the answer is the finished run with its first row errors. Its own root resource, for the reason
 * given on {@code SyncResource}.
 *
 * <p>{@code kind} may be left out when the connector accepts {@code auto} (it then tells the kind from the
 * file's headers).
 *
 * <p>Statuses: 200 when the file was read (rows that could not be taken are listed, the others landed); 422
 * when {@code kind} is missing (and the connector cannot infer it) or the connector refuses the kind or the
 * file itself; 400 when the connector
 * cannot import files; 404 for an unknown business (or another business's admin), connection or connector;
 * 409 when a sync or import of the connection is running or the connection is disabled; 413 when the body is
 * larger than {@code imports.maxBytes}.
 */
@Path("/admin/businesses/{businessId}/connections/{connectorId}/imports")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@RolesAllowed(Role.BUSINESS_ADMIN_NAME)
public final class ImportResource {
    static final String TRIGGER = "upload";
    /** The kind an importer that lists it accepts to tell the kind from the file itself. */
    static final String AUTO_KIND = "auto";

    private final ConnectionService connections;
    private final ImportService imports;
    private final SyncRunDao runs;
    private final ImportsConfig config;

    public ImportResource(ConnectionService connections, ImportService imports, SyncRunDao runs,
            ImportsConfig config) {
        this.connections = requireNonNull(connections, "connections is null");
        this.imports = requireNonNull(imports, "imports is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.config = requireNonNull(config, "config is null");
    }

    @POST
    public ImportView upload(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId, @QueryParam("kind") String kind,
            @QueryParam("dryRun") String dryRunParam,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
        boolean dryRun = BadRequestException.flag("dryRun", dryRunParam, false);
        principal.requireAccess(businessId);
        // A declared length is refused before anything is read; a chunked body is cut off by the stream.
        if (declaredLength(contentLength) > config.getMaxBytes()) {
            throw tooLarge("the upload is larger than imports.maxBytes (" + config.getMaxBytes() + " bytes)");
        }
        ConnectionRow row = connections.require(businessId, connectorId);
        Set<String> kinds = imports.kinds(row);
        String asked;
        if (kind != null && !kind.isBlank()) {
            asked = kind.trim();
        } else if (kinds.contains(AUTO_KIND)) {
            // The importer tells the kind from the file's headers.
            asked = AUTO_KIND;
        } else {
            throw BadRequestException.parameter("kind", "required: what the file holds, e.g. kind=appointments");
        }
        if (!kinds.isEmpty() && kinds.stream().noneMatch(k -> k.equalsIgnoreCase(asked))) {
            throw BadRequestException.parameter("kind", "unknown kind '" + asked + "'; accepted: "
                    + String.join(", ", new TreeSet<>(kinds)));
        }
        CappedInputStream capped = new CappedInputStream(body, config.getMaxBytes());
        ImportResult result;
        try {
            result = imports.runImport(row, asked, capped, dryRun, TRIGGER);
        } catch (ConnectorException e) {
            if (capped.exceeded()) {
                // Whether rows before the cap landed depends on the connector (the CSV importer reads a file only
                // once it has all of it); the run's counts say.
                throw tooLarge("the upload is larger than imports.maxBytes (" + config.getMaxBytes()
                        + " bytes); the import stopped there" + (dryRun ? "" : " (see the run's counts for rows "
                        + "imported before it)") + ": " + e.getMessage());
            }
            throw e;
        }
        List<SyncLogView> logs = runs.logs(result.run().id(), null, config.getErrorsInResponse());
        boolean truncated = logs.size() > config.getErrorsInResponse();
        return ImportView.of(result, asked, dryRun, truncated ? logs.subList(0, config.getErrorsInResponse()) : logs,
                truncated, config.getErrorsInResponse());
    }

    private static long declaredLength(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static WebApplicationException tooLarge(String message) {
        return new WebApplicationException(message, Response.status(413).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(413, "TOO_LARGE", message, List.of())).build());
    }
}
