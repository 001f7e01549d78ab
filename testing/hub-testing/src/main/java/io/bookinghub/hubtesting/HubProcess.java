package io.bookinghub.hubtesting;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hub as a separate operating-system process: {@code java <options> -cp <class path> <main class> server
 * config.yml}, so a test can kill it with SIGKILL ({@link #kill()}) the way a crashed or OOM-killed node dies (no
 * shutdown hook, no Jetty stop, no worker drain), and a benchmark does not count the hub's heap and threads as
 * its own.
 *
 * <p>The caller names the main class and gives the class path (e.g. the test JVM's own, or the shaded hub
 * jar), because this module must not depend on hub-core: hub-core's tests use it. Everything the hub writes
 * lives in the directory the caller gives: {@code config.yml}, {@code plugins/} (copies of the plugin zips),
 * {@code hub.log} (standard output and error, for {@link #logTail()}) and, by default, the embedded
 * PostgreSQL's data and the encryption key. The generated configuration binds both connectors to loopback on
 * free ports, has no request log, logs at WARN and turns the sync scheduler off; a random hub-admin token is
 * passed in the environment ({@code HUB_ADMIN_TOKEN}), never on the command line.
 */
public final class HubProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    private static final int LOG_TAIL_LINES = 80;

    private final String name;
    private final Path dir;
    private final Process process;
    private final int port;
    private final int adminPort;
    private final String adminToken;
    private final List<String> command;

    private HubProcess(String name, Path dir, Process process, int port, int adminPort, String adminToken,
            List<String> command) {
        this.name = name;
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.adminToken = adminToken;
        this.command = List.copyOf(command);
    }

    /**
     * @param mainClass the hub's main class, e.g. {@code HubApplication.class.getName()}
     * @param classPath the class path to run it with
     * @param dir       a directory the caller owns (created if missing); the hub's files go there
     */
    public static Builder builder(String mainClass, String classPath, Path dir) {
        return new Builder(mainClass, classPath, dir);
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The admin connector (health checks, metrics, ping). */
    public String adminBaseUrl() {
        return "http://127.0.0.1:" + adminPort;
    }

    /** The hub-admin API key; a secret, never printed. */
    public String adminToken() {
        return adminToken;
    }

    /** The command line the hub was started with (it holds no secret). */
    public List<String> command() {
        return command;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return dir.resolve("hub.log");
    }

    /** The end of the hub's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return "---- " + name + " log (" + log() + ", last " + LOG_TAIL_LINES + " lines) ----\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no log for " + name + ": " + e + ")";
        }
    }

    /** SIGKILL: the process gets no chance to finish, stop or release anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL");
        }
    }

    /**
     * Stops the hub gracefully if it is still running: SIGTERM, so Dropwizard stops Jetty, the workers and the
     * embedded PostgreSQL; SIGKILL if it has not exited after a minute.
     *
     * @return false when SIGKILL was needed
     */
    public boolean stop() throws InterruptedException {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        kill();
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void awaitReady(Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "\n" + logTail());
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/businesses"))
                        .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not answer within " + deadline + "\n" + logTail());
    }

    private static int freePort() {
        // Another process could take the port before the hub binds it; the hub then fails to start, and
        // the start error shows its log.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What to start; every setting but the main class, class path and directory has a default. */
    public static final class Builder {
        private final String mainClass;
        private final String classPath;
        private final Path dir;
        private String name;
        private final List<String> commandPrefix = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private Path pluginSource;
        private String pluginGlob;
        private List<String> database;
        private int maxPoolSize = 8;
        private final Map<String, Object> webhooks = new LinkedHashMap<>();
        private final List<String> outboundAllow = new ArrayList<>();
        private Path keyFile;
        private Duration startDeadline = Duration.ofSeconds(120);
        private final Map<String, String> environment = new LinkedHashMap<>();

        private Builder(String mainClass, String classPath, Path dir) {
            this.mainClass = requireNonNull(mainClass, "mainClass is null");
            this.classPath = requireNonNull(classPath, "classPath is null");
            this.dir = requireNonNull(dir, "dir is null").toAbsolutePath();
            this.name = String.valueOf(this.dir.getFileName());
            embeddedDatabase(this.dir.resolve("postgres"));
            this.keyFile = this.dir.resolve("encryption.key");
        }

        /** For log headers and errors, e.g. "hub-a"; default: the directory's name. */
        public Builder name(String processName) {
            this.name = requireNonNull(processName, "processName is null");
            return this;
        }

        /** Runs the command under another, e.g. {@code taskset -c 0,1}. */
        public Builder commandPrefix(List<String> prefix) {
            commandPrefix.addAll(requireNonNull(prefix, "prefix is null"));
            return this;
        }

        public Builder jvmOptions(List<String> options) {
            jvmOptions.addAll(requireNonNull(options, "options is null"));
            return this;
        }

        /** Copies the zips in {@code source} matching {@code glob} into the hub's plugins directory; one must match. */
        public Builder pluginZips(Path source, String glob) {
            this.pluginSource = requireNonNull(source, "source is null");
            this.pluginGlob = requireNonNull(glob, "glob is null");
            return this;
        }

        /** A PostgreSQL the caller runs; the hub migrates it. */
        public Builder externalDatabase(String jdbcUrl, String user) {
            database = List.of("url: " + requireNonNull(jdbcUrl, "jdbcUrl is null"),
                    "user: " + requireNonNull(user, "user is null"));
            return this;
        }

        /** The hub's own embedded PostgreSQL, on any free port (the default: in {@code <dir>/postgres}). */
        public Builder embeddedDatabase(Path dataDirectory) {
            database = List.of("embedded:", "  dataDirectory: " + requireNonNull(dataDirectory,
                    "dataDirectory is null"), "  port: 0");
            return this;
        }

        /** {@code database.maxPoolSize}; default 8. */
        public Builder maxPoolSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("maxPoolSize must be positive");
            }
            this.maxPoolSize = size;
            return this;
        }

        /** A {@code webhooks:} setting, e.g. {@code ("workerThreads", 2)} or {@code ("lease", "3s")}. */
        public Builder webhook(String key, Object value) {
            webhooks.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
            return this;
        }

        /**
         * A {@code host:port} pattern the hub's connectors may reach over http and at private addresses
         * ({@code outbound.allow}), e.g. the loopback address of a provider stand-in; none by default.
         */
        public Builder outboundAllow(String pattern) {
            outboundAllow.add(requireNonNull(pattern, "pattern is null"));
            return this;
        }

        /** The encryption key file; hubs sharing a database must share it. Default {@code <dir>/encryption.key}. */
        public Builder keyFile(Path file) {
            this.keyFile = requireNonNull(file, "file is null");
            return this;
        }

        /** An environment variable of the hub process (e.g. {@code OTEL_EXPORTER_OTLP_ENDPOINT}). */
        public Builder environment(String variable, String value) {
            environment.put(requireNonNull(variable, "variable is null"), requireNonNull(value, "value is null"));
            return this;
        }

        /** How long to wait for the admin API to answer; default two minutes. */
        public Builder startDeadline(Duration deadline) {
            this.startDeadline = requireNonNull(deadline, "deadline is null");
            return this;
        }

        /**
         * Starts the hub and waits until its admin API answers. If it exits or does not answer in time, it is
         * killed and the error carries the end of its log.
         */
        public HubProcess start() throws IOException, InterruptedException {
            Path plugins = Files.createDirectories(dir.resolve("plugins"));
            copyPluginZips(plugins);
            int port = freePort();
            int adminPort = freePort();
            Path config = dir.resolve("config.yml");
            Files.writeString(config, config(port, adminPort, plugins), StandardCharsets.UTF_8);
            String adminToken = randomToken();

            List<String> command = new ArrayList<>(commandPrefix);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", classPath, mainClass, "server", config.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("hub.log").toFile());
            builder.environment().putAll(environment);
            builder.environment().put("HUB_ADMIN_TOKEN", adminToken);
            Process process = builder.start();
            process.getOutputStream().close();
            // A JVM that dies (or is killed by surefire) must not leave hubs running against nothing.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, name + "-reaper"));
            HubProcess hub = new HubProcess(name, dir, process, port, adminPort, adminToken, command);
            try {
                hub.awaitReady(startDeadline);
            } catch (RuntimeException | InterruptedException e) {
                hub.kill();
                throw e;
            }
            return hub;
        }

        private void copyPluginZips(Path plugins) throws IOException {
            if (pluginSource == null) {
                return;
            }
            int copied = 0;
            try (DirectoryStream<Path> zips = Files.newDirectoryStream(pluginSource, pluginGlob)) {
                for (Path zip : zips) {
                    Files.copy(zip, plugins.resolve(zip.getFileName()));
                    copied++;
                }
            }
            if (copied == 0) {
                throw new IllegalStateException("no " + pluginGlob + " in " + pluginSource.toAbsolutePath()
                        + " (packaging the connectors puts it there, e.g. ./mvnw -q -B package -DskipTests)");
            }
        }

        /** Loopback only, no request log (a console line per request would be measured as hub work), WARN. */
        private String config(int port, int adminPort, Path plugins) {
            StringBuilder yaml = new StringBuilder("""
                    server:
                      applicationConnectors:
                        - type: http
                          bindHost: 127.0.0.1
                          port: %d
                      adminConnectors:
                        - type: http
                          bindHost: 127.0.0.1
                          port: %d
                      requestLog:
                        appenders: []
                    logging:
                      level: WARN
                      loggers:
                        io.bookinghub: WARN
                    database:
                      migrateOnStart: true
                      maxPoolSize: %d
                    """.formatted(port, adminPort, maxPoolSize));
            database.forEach(line -> yaml.append("  ").append(line).append('\n'));
            if (!webhooks.isEmpty()) {
                yaml.append("webhooks:\n");
                webhooks.forEach((key, value) -> yaml.append("  ").append(key).append(": ").append(value).append('\n'));
            }
            if (!outboundAllow.isEmpty()) {
                yaml.append("outbound:\n  allow: \"").append(String.join(",", outboundAllow)).append("\"\n");
            }
            yaml.append("""
                    sync:
                      schedulerEnabled: false
                    plugins:
                      directory: %s
                    security:
                      adminToken: ${HUB_ADMIN_TOKEN}
                      keyFile: %s
                    """.formatted(plugins, keyFile));
            return yaml.toString();
        }

        private static String randomToken() {
            byte[] token = new byte[24];
            new SecureRandom().nextBytes(token);
            return "hub-" + Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        }
    }
}
