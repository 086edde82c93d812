package io.beacon.devstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) running inside this JVM.
 *
 * <p>Beacon has no Docker on its dev and CI machines, so the dev stack and every integration test run
 * against this broker instead. It is a genuine {@link KafkaRaftServer}, not a mock, so transactions
 * ({@code exactly_once_v2}), consumer groups and share groups behave as in production; every internal
 * topic is configured with replication factor and min ISR 1 so that a single node can serve them.
 *
 * <p>The data directory survives {@link #stop()}/{@link #restart()} and JVM restarts: storage is
 * formatted with {@code --ignore-formatted} and the cluster id is persisted in {@code cluster.id} in
 * the data directory. {@link #restart()} reuses the same ports, so clients configured with
 * {@link #bootstrapServers()} reconnect by themselves — tests use that to simulate an outage.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String CLUSTER_ID_FILE = "cluster.id";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Properties props;
    private KafkaRaftServer server;

    private KafkaBroker(Path dataDir, int port, int controllerPort) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.props = brokerProperties(dataDir, port, controllerPort);
    }

    /**
     * Formats (if needed) and starts a broker, returning once it answers {@code describeCluster}.
     *
     * @param dataDir        directory for the logs, metadata, generated properties and cluster id; created if missing
     * @param port           PLAINTEXT port on 127.0.0.1, or 0 to pick a free one
     * @param controllerPort CONTROLLER (KRaft quorum) port on 127.0.0.1, or 0 to pick a free one
     */
    public static KafkaBroker start(Path dataDir, int port, int controllerPort) {
        Objects.requireNonNull(dataDir, "dataDir");
        int brokerPort = Ports.orFree(port);
        int quorumPort = Ports.orFree(controllerPort);
        while (quorumPort == brokerPort) {
            quorumPort = Ports.free();
        }
        boolean portsPicked = port <= 0 || controllerPort <= 0;
        for (int attempt = 1; ; attempt++) {
            KafkaBroker broker = new KafkaBroker(dataDir.toAbsolutePath(), brokerPort, quorumPort);
            try {
                broker.startServer();
                return broker;
            } catch (RuntimeException e) {
                // A port we picked can be taken by another process between probing and binding;
                // then pick again (only when we chose the ports: configured ports fail loudly).
                if (!portsPicked || attempt >= 3 || !causedByBindFailure(e)) {
                    throw e;
                }
                LOG.warn("Kafka port {} or {} was taken before the broker bound it; retrying with new ports", brokerPort, quorumPort);
                brokerPort = port > 0 ? port : Ports.free();
                quorumPort = controllerPort > 0 ? controllerPort : Ports.free();
                while (quorumPort == brokerPort) {
                    quorumPort = Ports.free();
                }
            }
        }
    }

    private static boolean causedByBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code host:port} for clients' {@code bootstrap.servers}; stays the same across {@link #restart()}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The PLAINTEXT (client) port. */
    public int port() {
        return port;
    }

    /** The KRaft CONTROLLER port. */
    public int controllerPort() {
        return controllerPort;
    }

    /** The data directory holding logs, metadata and the persisted cluster id. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the broker is currently started (not stopped). */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Shuts the broker down cleanly and waits for it; the data directory is kept. Idempotent. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
        LOG.info("Kafka broker {} stopped in {} ms", bootstrapServers(), elapsedMillis(t0));
    }

    /**
     * Stops the broker if it is running, then starts it again on the same ports and data directory and
     * waits until it is ready. Also usable after {@link #stop()} to bring a stopped broker back.
     */
    public synchronized void restart() {
        stop();
        startServer();
    }

    /** Same as {@link #stop()}, so the broker can be used in try-with-resources. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Creates the given topics (name to partition count, replication factor 1); topics that already
     * exist are left as they are, so fixtures can call this repeatedly.
     */
    public void createTopics(Map<String, Integer> nameToPartitions) {
        if (nameToPartitions.isEmpty()) {
            return;
        }
        List<NewTopic> topics = nameToPartitions.entrySet().stream()
                .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                .collect(Collectors.toList());
        try (Admin admin = admin()) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey() + ": " + e.getCause(), e);
                    }
                }
            }
            awaitLeaders(admin, nameToPartitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + nameToPartitions.keySet(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topics " + nameToPartitions.keySet(), e);
        }
    }

    /**
     * Returns once every partition's leader answers ListOffsets. CreateTopics completes when the
     * controller recorded the topic, possibly before the broker applied it; an idempotent producer
     * writing in that window can have its first batch refused while a later one is appended, after
     * which the first fails with OUT_OF_ORDER_SEQUENCE_NUMBER until it expires and its records are
     * lost (KAFKA-14312 / KAFKA-15591; seen in our tests as a producer stuck retrying).
     */
    private static void awaitLeaders(Admin admin, Map<String, Integer> nameToPartitions)
            throws InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        nameToPartitions.forEach((topic, partitions) -> {
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("partition leaders of " + nameToPartitions.keySet() + " not ready: " + e.getCause(), e);
                }
                Thread.sleep(50); // metadata still propagating: poll again until the deadline
            }
        }
    }

    /** A new admin client for this broker with short timeouts; the caller closes it. */
    public Admin admin() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(config);
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", controller 127.0.0.1:" + controllerPort + ", " + dataDir + "]";
    }

    private synchronized void startServer() {
        if (server != null) {
            return;
        }
        long t0 = System.nanoTime();
        formatStorage();
        KafkaRaftServer raftServer = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            raftServer.startup();
            awaitReady();
        } catch (RuntimeException e) {
            raftServer.shutdown();
            raftServer.awaitShutdown();
            throw e;
        }
        server = raftServer;
        LOG.info("Kafka broker {} ready in {} ms", bootstrapServers(), elapsedMillis(t0));
    }

    private void formatStorage() {
        try {
            Files.createDirectories(dataDir);
            Path propertiesFile = dataDir.resolve("server.properties");
            try (Writer out = Files.newBufferedWriter(propertiesFile, StandardCharsets.UTF_8)) {
                props.store(out, "generated by io.beacon.devstack.KafkaBroker; rewritten on every start");
            }
            String[] args = {"format", "-t", clusterId(), "-c", propertiesFile.toString(), "--ignore-formatted"};
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exitCode;
            try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                exitCode = StorageTool.execute(args, printStream);
            }
            if (exitCode != 0) {
                throw new IllegalStateException("Kafka storage format failed (exit " + exitCode + ") in " + dataDir
                        + ": " + output.toString(StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data dir " + dataDir, e);
        }
    }

    private String clusterId() throws IOException {
        Path file = dataDir.resolve(CLUSTER_ID_FILE);
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
        return id;
    }

    /** Polls describeCluster until the broker lists itself, with a deadline instead of fixed sleeps. */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    Collection<?> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka at " + bootstrapServers(), e);
        }
        throw new IllegalStateException("Kafka broker at " + bootstrapServers() + " not ready within " + READY_TIMEOUT, last);
    }

    private static Properties brokerProperties(Path dataDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("log.dirs", dataDir.resolve("logs").toString());
        // A single node can only host single-replica internal topics; the defaults (3) make groups and
        // transactions hang forever.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "3");
        p.put("auto.create.topics.enable", "false");
        // Small footprint: the test JVM runs with -Xmx1g and the cleaner allocates its buffer up front.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        return p;
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
