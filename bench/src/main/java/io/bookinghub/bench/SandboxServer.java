package io.bookinghub.bench;

import io.bookinghub.booksy.sandbox.BooksySandbox;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Runs a Booksy sandbox in a child JVM for the heap benchmark, so the sandbox's own data (100,000 generated
 * appointments and the JSON it renders) does not count against the heap being measured.
 *
 * <p>Protocol: arguments {@code appointments clients latency}; the API key arrives in the environment
 * variable {@value #API_KEY_ENV} (kept off the command line). Prints {@code READY <baseUrl>} once serving,
 * and exits when its standard input closes, so it cannot outlive the parent.
 */
public final class SandboxServer {
    static final String API_KEY_ENV = "BENCH_SANDBOX_API_KEY";
    static final String READY = "READY ";

    private SandboxServer() {
    }

    public static void main(String[] args) throws IOException {
        SyncBenchmark.defaultNoDelay();
        if (args.length != 3) {
            System.err.println("usage: SandboxServer <appointments> <clients> <latency ISO-8601>");
            System.exit(2);
        }
        String apiKey = System.getenv(API_KEY_ENV);
        if (apiKey == null || apiKey.isBlank()) {
            System.err.println(API_KEY_ENV + " is not set");
            System.exit(2);
        }
        try (BooksySandbox sandbox = BooksySandbox.builder()
                .appointments(Integer.parseInt(args[0]))
                .clients(Integer.parseInt(args[1]))
                .latency(Duration.parse(args[2]))
                .apiKey(apiKey)
                .build()
                .start()) {
            System.out.println(READY + sandbox.baseUrl());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // Block until the parent closes the pipe or dies.
            }
        }
    }
}
