package io.bookinghub.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/HTTP endpoint that accepts every export and keeps only counts, so a traced hub pays the whole cost of
 * tracing (spans recorded, batched, serialized and sent) without a collector on the machine.
 */
final class OtlpSink implements AutoCloseable {
    private final HttpServer server;
    private final AtomicLong exports = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    OtlpSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                bytes.addAndGet(in.transferTo(OutputStream.nullOutputStream()));
            }
            exports.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    /** What {@code OTEL_EXPORTER_OTLP_ENDPOINT} should say. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long exports() {
        return exports.get();
    }

    long bytes() {
        return bytes.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
