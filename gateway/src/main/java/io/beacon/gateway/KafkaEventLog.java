package io.beacon.gateway;

import io.beacon.event.DqFact;
import io.beacon.event.DqFactCodec;
import io.beacon.event.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventLog} on Kafka: writes the entries' {@link EventLog.Entry#value encoded} envelopes to the raw
 * topic ({@link TopicNames#raw()}) keyed by {@code project:distinct_id}, through one shared
 * idempotent producer with {@code acks=all}. The same producer writes the {@linkplain #report data-quality facts}
 * of refused items to {@link TopicNames#dqFacts()}, keyed by project, without anyone waiting for them.
 *
 * <p>Nothing blocks a caller: {@link #append} hands the sends to a small pool of send threads,
 * because {@code KafkaProducer.send} itself blocks up to {@code max.block.ms} while metadata is
 * unavailable (broker down), and the returned future is completed from the producer's
 * acknowledgement callbacks. A caller that gives up on the future (completes it, e.g. with
 * {@code orTimeout}) stops sends still waiting for a send thread, so an outage's backlog is not
 * written late after its clients were told 503.
 *
 * <p>The producer reconnects by itself when the broker comes back. If it fails in a way it cannot
 * recover from (fenced, out-of-order sequence, authorization, closed), it is replaced by a new one.
 */
public final class KafkaEventLog implements EventLog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventLog.class);

    private final String topic;
    private final String factsTopic;
    private final Supplier<Producer<byte[], byte[]>> producerFactory;
    private final AtomicReference<Producer<byte[], byte[]>> producer;
    private final ThreadPoolExecutor sendThreads;
    private final Duration closeTimeout;
    private final AtomicBoolean failing = new AtomicBoolean(false);
    private final AtomicBoolean factsFailing = new AtomicBoolean(false);
    private final AtomicLong factsNotWritten = new AtomicLong();
    private final GatewayMetrics metrics = new GatewayMetrics();

    /** Writes to the raw topic of {@code settings.topics()}. */
    public KafkaEventLog(GatewaySettings.Kafka settings) {
        this(settings, settings.topics());
    }

    /** Writes to {@code topics.raw()} and {@code topics.dqFacts()}, e.g. a test's prefixed topics. */
    public KafkaEventLog(GatewaySettings.Kafka settings, TopicNames topics) {
        this(settings, topics, () -> new KafkaProducer<>(producerProperties(settings),
                new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** With a producer factory, so tests can hand in their own {@link Producer}. */
    KafkaEventLog(GatewaySettings.Kafka settings, TopicNames topics, Supplier<Producer<byte[], byte[]>> producerFactory) {
        this.topic = Objects.requireNonNull(topics, "topics").raw();
        this.factsTopic = topics.dqFacts();
        this.producerFactory = producerFactory;
        this.producer = new AtomicReference<>(producerFactory.get());
        this.closeTimeout = settings.deliveryTimeout();
        AtomicInteger threadNumber = new AtomicInteger();
        this.sendThreads = new ThreadPoolExecutor(settings.sendThreads(), settings.sendThreads(), 0L, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.sendQueueSize()), runnable -> {
                    Thread t = new Thread(runnable, "beacon-gateway-kafka-send-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** The producer configuration: the settings, the extra properties, and the fixed durability settings. */
    static Map<String, Object> producerProperties(GatewaySettings.Kafka settings) {
        Map<String, Object> props = new HashMap<>(settings.properties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "beacon-gateway");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) settings.linger().toMillis());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.maxBlock().toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.requestTimeout().toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) settings.deliveryTimeout().toMillis());
        return props;
    }

    @Override
    public CompletionStage<Void> append(List<Entry> entries) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (entries.isEmpty()) {
            result.complete(null);
            return result;
        }
        try {
            sendThreads.execute(() -> sendAll(entries, result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new EventLogUnavailableException(
                    sendThreads.isShutdown() ? "the event log is closed" : "the Kafka send queue is full", e));
        }
        return result;
    }

    private void sendAll(List<Entry> entries, CompletableFuture<Void> result) {
        AtomicInteger unacknowledged = new AtomicInteger(entries.size());
        Producer<byte[], byte[]> current = producer.get();
        for (Entry entry : entries) {
            if (result.isDone()) {
                return; // the caller gave up, or an earlier send of this request failed
            }
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                    entry.key().getBytes(StandardCharsets.UTF_8), entry.value());
            try {
                current.send(record, (metadata, error) -> {
                    if (error != null) {
                        onFailure(current, error, result);
                    } else if (unacknowledged.decrementAndGet() == 0) {
                        if (failing.compareAndSet(true, false)) {
                            LOG.info("Kafka accepts events again on {}", topic);
                        }
                        result.complete(null);
                    }
                });
            } catch (RuntimeException e) {
                onFailure(current, e, result);
                return;
            }
        }
    }

    /**
     * Hands the facts to a send thread and returns; a fact that Kafka does not acknowledge (or that finds the send
     * queue full) is counted in {@link #factsNotWritten()} and logged, never retried.
     */
    @Override
    public void report(List<DqFact> facts) {
        if (facts.isEmpty()) {
            return;
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(facts.size());
        for (DqFact fact : facts) {
            records.add(new ProducerRecord<>(factsTopic, fact.projectId().getBytes(StandardCharsets.UTF_8), DqFactCodec.encode(fact)));
        }
        try {
            sendThreads.execute(() -> sendFacts(records));
        } catch (RejectedExecutionException e) {
            onFactsLost(records.size(), e);
        }
    }

    private void sendFacts(List<ProducerRecord<byte[], byte[]>> records) {
        Producer<byte[], byte[]> current = producer.get();
        for (int i = 0; i < records.size(); i++) {
            try {
                current.send(records.get(i), (metadata, error) -> {
                    if (error != null) {
                        if (isFatal(error)) {
                            replace(current, error);
                        }
                        onFactsLost(1, error);
                    } else if (factsFailing.compareAndSet(true, false)) {
                        LOG.info("Kafka accepts data-quality facts again on {}", factsTopic);
                    }
                });
            } catch (RuntimeException e) {
                if (isFatal(e)) {
                    replace(current, e);
                }
                onFactsLost(records.size() - i, e);
                return;
            }
        }
    }

    private void onFactsLost(int count, Throwable error) {
        long total = factsNotWritten.addAndGet(count);
        if (factsFailing.compareAndSet(false, true)) {
            LOG.warn("cannot write data-quality facts to {} ({} not written so far): {}", factsTopic, total, error.toString());
        } else {
            LOG.debug("{} data-quality facts not written to {} ({} so far)", count, factsTopic, total, error);
        }
    }

    /**
     * The metrics a {@link io.beacon.gateway.runtime.Gateway} writing to this log records: one set per log, so one
     * per node, where the node's {@code /metrics} finds them.
     */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /** How many data-quality facts could not be written since this log was created. */
    public long factsNotWritten() {
        return factsNotWritten.get();
    }

    private void onFailure(Producer<byte[], byte[]> failed, Throwable error, CompletableFuture<Void> result) {
        if (failing.compareAndSet(false, true)) {
            LOG.warn("Kafka does not accept events on {}; answering 503 until it does: {}", topic, error.toString());
        } else {
            LOG.debug("Kafka send failed on {}", topic, error);
        }
        if (isFatal(error)) {
            replace(failed, error);
        }
        result.completeExceptionally(new EventLogUnavailableException("Kafka did not acknowledge the events: " + error, error));
    }

    /**
     * Errors after which this producer instance will not work again. The generic
     * {@link KafkaException} is what {@code send} throws once the idempotent producer's state is
     * fatal, or after it was closed.
     */
    static boolean isFatal(Throwable error) {
        return error instanceof ProducerFencedException
                || error instanceof OutOfOrderSequenceException
                || error instanceof InvalidProducerEpochException
                || error instanceof AuthenticationException
                || error instanceof AuthorizationException
                || error instanceof UnsupportedVersionException
                || error instanceof IllegalStateException
                || error.getClass() == KafkaException.class;
    }

    private void replace(Producer<byte[], byte[]> failed, Throwable reason) {
        if (sendThreads.isShutdown()) {
            return;
        }
        Producer<byte[], byte[]> fresh;
        try {
            fresh = producerFactory.get();
        } catch (RuntimeException e) {
            LOG.error("cannot create a new Kafka producer to replace a failed one", e);
            return;
        }
        if (producer.compareAndSet(failed, fresh)) {
            LOG.warn("replaced the Kafka producer after a fatal error: {}", reason.toString());
            // close() blocks and may be called from the failed producer's own I/O thread (a callback)
            Thread closer = new Thread(() -> failed.close(Duration.ZERO), "beacon-gateway-kafka-close");
            closer.setDaemon(true);
            closer.start();
        } else {
            fresh.close(Duration.ZERO); // another failure already replaced it
        }
    }

    /** Stops taking events, lets queued sends finish (bounded by the delivery timeout) and closes the producer. */
    @Override
    public void close() {
        sendThreads.shutdown();
        try {
            if (!sendThreads.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                sendThreads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendThreads.shutdownNow();
        }
        producer.get().close(closeTimeout);
    }
}
