package io.beacon.devstack;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local infrastructure Beacon needs — one Kafka broker and one ClickHouse server — started together.
 *
 * <p>Used by the platform's {@code ./beacon up} and by {@link BeaconStackExtension}. Both servers start in
 * parallel because Kafka dominates startup (seconds) while ClickHouse needs well under one; if either fails,
 * the other is stopped before the error is rethrown, so a failed start leaves nothing running.
 */
public final class BeaconStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BeaconStack.class);

    private final KafkaBroker kafka;
    private final ClickHouseServer clickhouse;

    private BeaconStack(KafkaBroker kafka, ClickHouseServer clickhouse) {
        this.kafka = kafka;
        this.clickhouse = clickhouse;
    }

    /** Starts Kafka in {@code dir/kafka} and ClickHouse in {@code dir/clickhouse} on free ports. */
    public static BeaconStack start(Path dir) {
        return start(dir, 0, 0, 0, 0);
    }

    /**
     * Starts Kafka in {@code dir/kafka} and ClickHouse in {@code dir/clickhouse} on the given ports
     * (0 = pick a free one), e.g. fixed well-known ports for a developer's {@code ./beacon up}.
     */
    public static BeaconStack start(Path dir, int kafkaPort, int kafkaControllerPort, int clickhouseHttpPort, int clickhouseTcpPort) {
        Objects.requireNonNull(dir, "dir");
        ExecutorService starter = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "beacon-stack-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(
                    () -> KafkaBroker.start(dir.resolve("kafka"), kafkaPort, kafkaControllerPort), starter);
            CompletableFuture<ClickHouseServer> clickhouse = CompletableFuture.supplyAsync(
                    () -> ClickHouseServer.start(dir.resolve("clickhouse"), clickhouseHttpPort, clickhouseTcpPort), starter);
            try {
                CompletableFuture.allOf(kafka, clickhouse).join();
            } catch (CompletionException e) {
                // allOf completes only after both starts finished: stop the one that succeeded.
                stopQuietly(kafka, KafkaBroker::stop);
                stopQuietly(clickhouse, ClickHouseServer::stop);
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException("cannot start the Beacon stack in " + dir, cause);
            }
            return new BeaconStack(kafka.join(), clickhouse.join());
        } finally {
            starter.shutdown();
        }
    }

    private static <T> void stopQuietly(CompletableFuture<T> started, Consumer<T> stop) {
        T server;
        try {
            server = started.join();
        } catch (CompletionException | CancellationException failedToStart) {
            return;
        }
        try {
            stop.accept(server);
        } catch (RuntimeException e) {
            LOG.warn("could not stop {} after a failed stack start: {}", server, e.toString());
        }
    }

    /** The Kafka broker. */
    public KafkaBroker kafka() {
        return kafka;
    }

    /** The ClickHouse server. */
    public ClickHouseServer clickhouse() {
        return clickhouse;
    }

    /** Stops both servers; data directories are kept. */
    @Override
    public void close() {
        try {
            kafka.stop();
        } finally {
            clickhouse.stop();
        }
    }

    @Override
    public String toString() {
        return "BeaconStack[" + kafka + ", " + clickhouse + "]";
    }
}
