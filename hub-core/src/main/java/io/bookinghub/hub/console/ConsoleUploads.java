package io.bookinghub.hub.console;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.console.ConsoleSessions.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Files uploaded for a preview, kept in the database until the owner confirms (or for an hour), so that the
 * confirmed import reads exactly the previewed bytes on whichever node serves the confirm. Only the session that
 * uploaded a file can use it.
 */
final class ConsoleUploads {
    /** A file to import: what was uploaded, for which connection, and how it is shown on the preview. */
    record Upload(UUID id, String kind, String fileName, byte[] body) {
        Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", id.toString());
            view.put("fileName", fileName);
            view.put("size", body.length);
            view.put("kind", kind == null ? "" : kind);
            return view;
        }
    }

    /** The file is larger than the console keeps. */
    static final class TooLargeException extends Exception {
        TooLargeException(String message) {
            super(message);
        }
    }

    private static final Duration KEEP = Duration.ofHours(1);
    private static final int MAX_FILE_NAME = 200;

    private final Jdbi jdbi;
    private final Clock clock;
    private final long maxBytes;

    ConsoleUploads(Jdbi jdbi, Clock clock, long maxBytes) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.maxBytes = maxBytes;
    }

    Upload keep(Session session, UUID businessId, String connectorId, String kind, String fileName, InputStream file)
            throws TooLargeException {
        byte[] body;
        try {
            body = file == null ? new byte[0] : file.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (body.length > maxBytes) {
            throw new TooLargeException("The file is larger than the console accepts (console.maxUploadBytes = "
                    + maxBytes + " bytes); import it through the API instead.");
        }
        String given = fileName == null || fileName.isBlank() ? "upload" : fileName.strip();
        String name = given.length() > MAX_FILE_NAME ? given.substring(0, MAX_FILE_NAME) : given;
        Upload upload = new Upload(UUID.randomUUID(), kind, name, body);
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM console_uploads WHERE expires_at <= :now").bind("now", now).execute();
            h.createUpdate("INSERT INTO console_uploads (id, session_hash, business_id, connector_id, kind, file_name, "
                    + "body, created_at, expires_at) VALUES (:id, :session, :business, :connector, :kind, :name, "
                    + ":body, :now, :expires)")
                    .bind("id", upload.id()).bind("session", session.tokenHash()).bind("business", businessId)
                    .bind("connector", connectorId).bind("kind", kind).bind("name", name).bind("body", body)
                    .bind("now", now).bind("expires", now.plus(KEEP)).execute();
        });
        return upload;
    }

    Optional<Upload> find(Session session, UUID id, UUID businessId, String connectorId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, kind, file_name, body FROM console_uploads WHERE id = :id "
                + "AND session_hash = :session AND business_id = :business AND connector_id = :connector "
                + "AND expires_at > :now")
                .bind("id", id).bind("session", session.tokenHash()).bind("business", businessId)
                .bind("connector", connectorId).bind("now", clock.instant())
                .map((rs, ctx) -> new Upload(rs.getObject("id", UUID.class), rs.getString("kind"),
                        rs.getString("file_name"), rs.getBytes("body")))
                .findOne());
    }

    void delete(UUID id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM console_uploads WHERE id = :id").bind("id", id).execute());
    }
}
