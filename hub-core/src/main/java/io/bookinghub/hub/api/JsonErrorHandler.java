package io.bookinghub.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answers that never reach Jersey — 431 headers too large, 414 URI too long, 400 for a URI Jetty refuses
 * ({@code %00}, ambiguous path separators) or a malformed {@code Content-Type}, a servlet filter's 405 — in the
 * {@link ErrorBody} shape instead of an HTML page, whatever the request's {@code Accept} says. Installed on the
 * server (for requests that failed before any context) and on the application and admin contexts.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 200;

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(ErrorBody.of(code, text(code, message)));
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON_UTF_8.asString());
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /**
     * Jetty's reason for a 4xx ("Ambiguous URI path separator"), cut short and without control characters; for
     * a 5xx only the status text, since the message may be an exception's text.
     */
    private static String text(int code, String message) {
        if (code >= 500 || message == null || message.isBlank()) {
            return HttpStatus.getMessage(code);
        }
        String clean = message.replaceAll("\\p{Cntrl}", " ").strip();
        return clean.length() > MAX_MESSAGE ? clean.substring(0, MAX_MESSAGE) + "..." : clean;
    }
}
