package io.bookinghub.bench;

import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.booksy.sandbox.TokenPair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** The sandbox the connector syncs from: in this JVM, or in a child JVM when its heap must not be counted. */
interface Sandbox extends AutoCloseable {

    String baseUrl();

    String apiKey();

    /** Requests the sandbox received since the last reset; empty when it cannot be asked (child process). */
    OptionalLong requestCount();

    void resetRequestCount();

    /** Access and refresh tokens for oauth mode; only the in-process sandbox can mint them. */
    TokenPair issueTokens();

    @Override
    void close();

    static Sandbox inProcess(int appointments, int clients, Duration latency, String apiKey) {
        BooksySandbox sandbox = BooksySandbox.builder()
                .appointments(appointments)
                .clients(clients)
                .latency(latency)
                .apiKey(apiKey)
                .allowLocalhostRedirects(true)
                .build()
                .start();
        return new Sandbox() {
            @Override
            public String baseUrl() {
                return sandbox.baseUrl();
            }

            @Override
            public String apiKey() {
                return apiKey;
            }

            @Override
            public OptionalLong requestCount() {
                return OptionalLong.of(sandbox.requestCounts().values().stream().mapToLong(Long::longValue).sum());
            }

            @Override
            public void resetRequestCount() {
                sandbox.resetRequestCounts();
            }

            @Override
            public TokenPair issueTokens() {
                return sandbox.issueTokens();
            }

            @Override
            public void close() {
                sandbox.close();
            }
        };
    }

    static Sandbox forked(int appointments, int clients, Duration latency, String apiKey) {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(javaBin.toString(), "-Xmx1g",
                "-D" + SyncBenchmark.NODELAY + "=" + System.getProperty(SyncBenchmark.NODELAY, "true"), "-cp",
                System.getProperty("java.class.path"), SandboxServer.class.getName(),
                Integer.toString(appointments), Integer.toString(clients), latency.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put(SandboxServer.API_KEY_ENV, apiKey);
        Process process;
        String baseUrl;
        try {
            process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            String found = null;
            while (found == null && (line = out.readLine()) != null) {
                if (line.startsWith(SandboxServer.READY)) {
                    found = line.substring(SandboxServer.READY.length()).trim();
                }
            }
            if (found == null) {
                process.destroy();
                throw new IllegalStateException("sandbox process exited before it was ready");
            }
            baseUrl = found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sandbox process", e);
        }
        return new Sandbox() {
            @Override
            public String baseUrl() {
                return baseUrl;
            }

            @Override
            public String apiKey() {
                return apiKey;
            }

            @Override
            public OptionalLong requestCount() {
                return OptionalLong.empty();
            }

            @Override
            public void resetRequestCount() {
            }

            @Override
            public TokenPair issueTokens() {
                throw new UnsupportedOperationException("oauth needs the in-process sandbox (--sandbox inproc)");
            }

            @Override
            public void close() {
                try {
                    process.getOutputStream().close();
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroy();
                    }
                } catch (IOException e) {
                    process.destroy();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroy();
                }
            }
        };
    }
}
