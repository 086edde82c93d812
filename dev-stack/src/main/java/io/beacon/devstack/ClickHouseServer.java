package io.beacon.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private {@code clickhouse-server} child process with a generated configuration, for the dev stack
 * and integration tests.
 *
 * <p>Beacon's machines have no Docker, but Debian ships ClickHouse (18.16.1), and a second server with its
 * own config, data directory and ports starts in well under a second. This class writes
 * {@code config.xml}/{@code users.xml} into the data directory (loopback only, user {@code default} without
 * password, logs at warning level into {@code log/}), starts the server, and waits for {@code /ping}. The
 * configuration uses only keys that 18.16 understands and that newer versions still accept.
 *
 * <p>The data directory survives {@link #stop()}, {@link #restart()} and new {@link #start} calls. A server
 * orphaned by a killed JVM that still holds the directory is terminated first; a shutdown hook kills the
 * child when this JVM exits so tests never leak servers.
 */
public final class ClickHouseServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseServer.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final String INSTALL_HINT = "clickhouse-server not found on PATH; install it with: "
            + "apt-get install clickhouse-server (Debian) or see https://clickhouse.com/docs/install";
    private static final List<String> EXTRA_BIN_DIRS = List.of("/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin");
    private static final Pattern STATUS_PID = Pattern.compile("^PID:\\s*(\\d+)", Pattern.MULTILINE);
    private static final int MAX_PORT_ATTEMPTS = 3;

    private final Path dataDir;
    private final int httpPort;
    private final int tcpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private Thread shutdownHook;

    private ClickHouseServer(Path dataDir, int httpPort, int tcpPort) {
        this.dataDir = dataDir;
        this.httpPort = httpPort;
        this.tcpPort = tcpPort;
    }

    /**
     * Starts a server on the given data directory and waits until it answers {@code /ping}.
     * Installs ClickHouse first through {@link #ensureInstalled()} if no binary is found.
     *
     * @param dataDir  directory for config, data, temp files and logs; created if missing, reused if present
     * @param httpPort HTTP port on 127.0.0.1, or 0 to pick a free one
     * @param tcpPort  native-protocol port on 127.0.0.1, or 0 to pick a free one
     */
    public static ClickHouseServer start(Path dataDir, int httpPort, int tcpPort) {
        Objects.requireNonNull(dataDir, "dataDir");
        ensureInstalled();
        boolean portsChosenHere = httpPort <= 0 || tcpPort <= 0;
        for (int attempt = 1; ; attempt++) {
            int http = Ports.orFree(httpPort);
            int tcp = Ports.orFree(tcpPort);
            while (tcp == http) {
                tcp = Ports.free();
            }
            ClickHouseServer server = new ClickHouseServer(dataDir.toAbsolutePath(), http, tcp);
            try {
                server.startProcess();
                return server;
            } catch (IllegalStateException e) {
                // A free port found a moment ago can be taken by someone else before the server binds it.
                if (!portsChosenHere || attempt >= MAX_PORT_ATTEMPTS || !e.getMessage().contains("Address already in use")) {
                    throw e;
                }
                LOG.warn("ClickHouse could not bind its ports, retrying with new ones: {}", e.getMessage());
            }
        }
    }

    /**
     * Makes sure a ClickHouse server binary is available. If none is found and this process runs as root
     * on a machine with {@code apt-get}, installs {@code clickhouse-server} and {@code clickhouse-client}
     * (running {@code apt-get update} only if the first install attempt fails), forwarding apt's output.
     *
     * @throws IllegalStateException with a one-line explanation if ClickHouse is missing and cannot be installed
     */
    public static synchronized void ensureInstalled() {
        if (locateBinary().isPresent()) {
            return;
        }
        Optional<Path> aptGet = findOnPath("apt-get");
        if (aptGet.isEmpty() || !isRoot()) {
            throw new IllegalStateException(INSTALL_HINT);
        }
        LOG.warn("clickhouse-server not found; installing it with apt-get");
        List<String> install = List.of(aptGet.get().toString(), "install", "-y", "clickhouse-server", "clickhouse-client");
        if (runForwarded(install) != 0) {
            runForwarded(List.of(aptGet.get().toString(), "update"));
            if (runForwarded(install) != 0) {
                throw new IllegalStateException("apt-get install clickhouse-server failed; " + INSTALL_HINT);
            }
        }
        if (locateBinary().isEmpty()) {
            throw new IllegalStateException(INSTALL_HINT);
        }
    }

    /** Base URL of the HTTP interface, e.g. {@code http://127.0.0.1:8123}. */
    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The HTTP port. */
    public int httpPort() {
        return httpPort;
    }

    /** The native (TCP) protocol port, as used by {@code clickhouse-client --port}. */
    public int tcpPort() {
        return tcpPort;
    }

    /** The data directory holding config, data and logs. */
    public Path dataDir() {
        return dataDir;
    }

    /** OS process id of the running server. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("ClickHouse server is stopped");
        }
        return process.pid();
    }

    /** Whether the child process is alive. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Runs one SQL statement over HTTP and returns the response body (TabSeparated unless the SQL has a
     * {@code FORMAT} clause).
     *
     * @throws IllegalStateException with the server's error text if the status is not 200
     */
    public String query(String sql) {
        return ChildServers.post(http, httpUrl(), sql, "ClickHouse");
    }

    /** Sends SIGTERM, waits up to 10 s, then kills the process. The data directory is kept. Idempotent. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        long t0 = System.nanoTime();
        terminate(process.toHandle());
        process = null;
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException jvmAlreadyShuttingDown) {
                // the hook is running or about to run; it copes with an already stopped process
            }
            shutdownHook = null;
        }
        LOG.info("ClickHouse {} stopped in {} ms", httpUrl(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** Stops the server if running, then starts it again on the same ports and data directory. */
    public synchronized void restart() {
        stop();
        startProcess();
    }

    /** Same as {@link #stop()}, for try-with-resources. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "ClickHouseServer[" + httpUrl() + ", tcp " + tcpPort + ", " + dataDir + "]";
    }

    private synchronized void startProcess() {
        long t0 = System.nanoTime();
        Path config;
        try {
            config = writeConfig();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ClickHouse config in " + dataDir, e);
        }
        killOrphanHoldingDataDir(config);
        List<String> command = new ArrayList<>(locateBinary().orElseThrow(() -> new IllegalStateException(INSTALL_HINT)));
        command.add("--config-file=" + config);
        Path stdout = dataDir.resolve("log").resolve("stdout.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()));
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
        Thread hook = new Thread(() -> terminate(started.toHandle()), "clickhouse-shutdown-" + started.pid());
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            awaitReady(started);
        } catch (RuntimeException e) {
            terminate(started.toHandle());
            Runtime.getRuntime().removeShutdownHook(hook);
            throw e;
        }
        process = started;
        shutdownHook = hook;
        LOG.info("ClickHouse {} (pid {}) ready in {} ms", httpUrl(), started.pid(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private void awaitReady(Process started) {
        ChildServers.awaitPing(http, httpUrl(), started, READY_TIMEOUT, "clickhouse-server (" + dataDir + ")", this::logTail);
    }

    /**
     * ClickHouse locks {@code status} in its data path. A stale file from a SIGKILL'd server is harmless
     * (the lock died with it), but a server orphaned by a killed JVM still holds it and our ports' data:
     * if the recorded pid is alive and was started with our config file, terminate it.
     */
    private void killOrphanHoldingDataDir(Path config) {
        Path status = dataDir.resolve("data").resolve("status");
        if (!Files.isRegularFile(status)) {
            return;
        }
        try {
            Matcher m = STATUS_PID.matcher(Files.readString(status, StandardCharsets.UTF_8));
            if (!m.find()) {
                return;
            }
            long pid = Long.parseLong(m.group(1));
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (handle.isEmpty() || pid == ProcessHandle.current().pid()) {
                return;
            }
            Path cmdline = Path.of("/proc", String.valueOf(pid), "cmdline");
            String commandLine = Files.isReadable(cmdline)
                    ? Files.readString(cmdline, StandardCharsets.UTF_8).replace('\0', ' ')
                    : handle.get().info().commandLine().orElse("");
            if (commandLine.contains("clickhouse") && commandLine.contains(config.toString())) {
                LOG.warn("terminating orphaned ClickHouse server pid {} that still holds {}", pid, dataDir);
                terminate(handle.get());
            }
        } catch (IOException | NumberFormatException e) {
            LOG.debug("cannot inspect {}: {}", status, e.toString());
        }
    }

    private static void terminate(ProcessHandle handle) {
        ChildServers.terminate(handle, STOP_TIMEOUT);
    }

    private Path writeConfig() throws IOException {
        Path data = dataDir.resolve("data");
        Path log = dataDir.resolve("log");
        for (Path dir : List.of(data, dataDir.resolve("tmp"), dataDir.resolve("user_files"), dataDir.resolve("format_schemas"), log)) {
            Files.createDirectories(dir);
        }
        // <yandex> is the root element 18.16 requires; later versions still accept it.
        String config = """
                <?xml version="1.0"?>
                <!-- generated by io.beacon.devstack.ClickHouseServer; rewritten on every start -->
                <yandex>
                    <logger>
                        <level>warning</level>
                        <log>%s</log>
                        <errorlog>%s</errorlog>
                        <size>10M</size>
                        <count>2</count>
                    </logger>
                    <listen_host>127.0.0.1</listen_host>
                    <http_port>%d</http_port>
                    <tcp_port>%d</tcp_port>
                    <path>%s/</path>
                    <tmp_path>%s/</tmp_path>
                    <user_files_path>%s/</user_files_path>
                    <format_schema_path>%s/</format_schema_path>
                    <users_config>%s</users_config>
                    <default_profile>default</default_profile>
                    <default_database>default</default_database>
                    <max_concurrent_queries>100</max_concurrent_queries>
                    <!-- On SIGTERM the server waits for idle keep-alive connections (e.g. pooled in query()'s
                         HttpClient) for this long; the built-in default of 10 s made every stop take 10 s. -->
                    <keep_alive_timeout>3</keep_alive_timeout>
                    <mark_cache_size>268435456</mark_cache_size>
                    <uncompressed_cache_size>268435456</uncompressed_cache_size>
                    <mlock_executable>false</mlock_executable>
                </yandex>
                """.formatted(
                xml(log.resolve("server.log")), xml(log.resolve("server.err.log")),
                httpPort, tcpPort,
                xml(data), xml(dataDir.resolve("tmp")), xml(dataDir.resolve("user_files")), xml(dataDir.resolve("format_schemas")),
                xml(dataDir.resolve("users.xml")));
        String users = """
                <?xml version="1.0"?>
                <!-- generated by io.beacon.devstack.ClickHouseServer; rewritten on every start -->
                <yandex>
                    <profiles>
                        <default>
                            <max_memory_usage>4000000000</max_memory_usage>
                            <use_uncompressed_cache>0</use_uncompressed_cache>
                            <load_balancing>random</load_balancing>
                        </default>
                    </profiles>
                    <users>
                        <default>
                            <password></password>
                            <networks>
                                <ip>::1</ip>
                                <ip>127.0.0.1</ip>
                            </networks>
                            <profile>default</profile>
                            <quota>default</quota>
                        </default>
                    </users>
                    <quotas>
                        <default>
                            <interval>
                                <duration>3600</duration>
                                <queries>0</queries>
                                <errors>0</errors>
                                <result_rows>0</result_rows>
                                <read_rows>0</read_rows>
                                <execution_time>0</execution_time>
                            </interval>
                        </default>
                    </quotas>
                </yandex>
                """;
        Path configFile = dataDir.resolve("config.xml");
        Files.writeString(configFile, config, StandardCharsets.UTF_8);
        Files.writeString(dataDir.resolve("users.xml"), users, StandardCharsets.UTF_8);
        return configFile;
    }

    private String logTail() {
        StringBuilder tail = new StringBuilder();
        for (String name : List.of("server.err.log", "stdout.log")) {
            Path file = dataDir.resolve("log").resolve(name);
            try {
                if (Files.isRegularFile(file)) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    lines.subList(Math.max(0, lines.size() - 15), lines.size())
                            .forEach(line -> tail.append(name).append(": ").append(line).append('\n'));
                }
            } catch (IOException | UncheckedIOException e) {
                tail.append(name).append(": <unreadable: ").append(e).append(">\n");
            }
        }
        return tail.length() == 0 ? "<no log output>" : tail.toString().trim();
    }

    private static String xml(Path path) {
        return path.toString().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** {@code clickhouse-server}, or the single {@code clickhouse} binary with the {@code server} sub-command. */
    private static Optional<List<String>> locateBinary() {
        Optional<Path> server = findOnPath("clickhouse-server");
        if (server.isPresent()) {
            return Optional.of(List.of(server.get().toString()));
        }
        return findOnPath("clickhouse").map(binary -> List.of(binary.toString(), "server"));
    }

    private static Optional<Path> findOnPath(String name) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        // /usr/sbin holds Debian's clickhouse-server but is often missing from a non-login PATH.
        dirs.addAll(EXTRA_BIN_DIRS);
        return dirs.stream()
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static boolean isRoot() {
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return id.waitFor() == 0 && uid.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int runForwarded(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        try {
            return builder.start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
