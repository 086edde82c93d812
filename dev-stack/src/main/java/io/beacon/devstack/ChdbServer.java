package io.beacon.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A current ClickHouse (26.x) for tests: {@code dev-stack/chdb/server.js}, a Node process that serves the
 * ClickHouse HTTP interface over chdb (the npm package pinned in {@code dev-stack/chdb/package-lock.json},
 * whose {@code libchdb.so} is ClickHouse 26.7 in-process).
 *
 * <p>Debian ships only ClickHouse 18.16 and no modern server can be installed here; chdb has no HTTP
 * interface, so the adapter gives it one and {@code client-v2} talks to it unchanged. {@code ./beacon test}
 * installs the package ({@code npm ci}); the adapter directory is found from the system property
 * {@code beacon.chdb.dir}, else by walking up from the working directory to {@code dev-stack/chdb}.
 * The child process is ended by its PID on {@link #stop()} and by a shutdown hook.
 */
public final class ChdbServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChdbServer.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final String INSTALL_HINT = "run ./beacon test (or: cd dev-stack/chdb && npm ci) to install the pinned chdb package";

    private final Path dataDir;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process process;
    private final Thread shutdownHook;

    private ChdbServer(Path dataDir, int httpPort, Process process, Thread shutdownHook) {
        this.dataDir = dataDir;
        this.httpPort = httpPort;
        this.process = process;
        this.shutdownHook = shutdownHook;
    }

    /** Starts the adapter on a free port with its data in {@code dataDir} and waits until it answers {@code /ping}. */
    public static ChdbServer start(Path dataDir) {
        Path adapter = adapterDir().orElseThrow(() -> new IllegalStateException(
                "dev-stack/chdb not found (set -Dbeacon.chdb.dir); " + INSTALL_HINT));
        if (!Files.isDirectory(adapter.resolve("node_modules").resolve("chdb"))) {
            throw new IllegalStateException("chdb is not installed in " + adapter + "; " + INSTALL_HINT);
        }
        int port = Ports.free();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dataDir, e);
        }
        Path log = dataDir.resolve("chdb-http.log");
        ProcessBuilder builder = new ProcessBuilder("node", adapter.resolve("server.js").toString(),
                "--port", String.valueOf(port), "--path", dataDir.resolve("data").toString(), "--log", log.toString())
                .directory(adapter.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("stdout.log").toFile()));
        long t0 = System.nanoTime();
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run node (install Node.js 20+): " + builder.command(), e);
        }
        Thread hook = new Thread(() -> terminate(started.toHandle()), "chdb-shutdown-" + started.pid());
        Runtime.getRuntime().addShutdownHook(hook);
        ChdbServer server = new ChdbServer(dataDir, port, started, hook);
        try {
            server.awaitReady();
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        LOG.info("chdb ClickHouse {} at {} (pid {}) ready in {} ms", server.version(), server.httpUrl(), started.pid(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return server;
    }

    /** The adapter's directory: {@code beacon.chdb.dir}, else {@code dev-stack/chdb} above the working directory. */
    static Optional<Path> adapterDir() {
        String configured = System.getProperty("beacon.chdb.dir");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("dev-stack").resolve("chdb");
            if (Files.isRegularFile(candidate.resolve("server.js"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** HTTP base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The ClickHouse version inside chdb, e.g. {@code 26.7.2.1}. */
    public String version() {
        return query("SELECT version()").strip();
    }

    /** The adapter process id. */
    public long pid() {
        return process.pid();
    }

    /**
     * Runs one statement and returns the body as text (TabSeparated unless the SQL has a FORMAT clause).
     *
     * @throws IllegalStateException with ClickHouse's error text if the status is not 200
     */
    public String query(String sql) {
        return ChildServers.post(http, httpUrl(), sql, "chdb");
    }

    /** Sends SIGTERM to the adapter, waits up to 10 s, then kills it. Idempotent. */
    public void stop() {
        terminate(process.toHandle());
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmAlreadyShuttingDown) {
            // the hook copes with a stopped process
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "ChdbServer[" + httpUrl() + ", " + dataDir + "]";
    }

    private void awaitReady() {
        ChildServers.awaitPing(http, httpUrl(), process, READY_TIMEOUT, "the chdb adapter", () -> tail(dataDir.resolve("stdout.log")));
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "<unreadable: " + e + ">";
        }
    }

    private static void terminate(ProcessHandle handle) {
        ChildServers.terminate(handle, STOP_TIMEOUT);
    }
}
