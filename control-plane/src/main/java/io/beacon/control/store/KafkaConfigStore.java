package io.beacon.control.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.store.internal.ConfigView;
import io.beacon.control.store.internal.ListenerRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConfigStore} on the compacted config topic.
 *
 * <p>A dedicated thread owns a consumer that is {@code assign}ed to every partition (no group, no
 * committed offsets) and reads from the beginning; it applies each record to a {@link ConfigView}
 * and notifies listeners. {@link #start()} returns once the view reached the end offsets observed
 * at start, so a restarted process rebuilds its full view before it is ready.
 *
 * <p>Writes use an idempotent producer with {@code acks=all}. Each record carries this instance's
 * writer id in a header; when the view thread reads a record of ours, it completes the waiting
 * write with the outcome decided by the view (applied, or ignored because another writer with the
 * same base version came first), and — for a lost record — appends a repair record (see the package
 * documentation).
 */
public final class KafkaConfigStore implements ConfigStore {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaConfigStore.class);
    private static final String WRITER_HEADER = "beacon.writer";
    /** Marks records whose writer waits for the view's verdict (not tombstones or repairs). */
    private static final String AWAIT_HEADER = "beacon.await";
    private static final Duration POLL = Duration.ofMillis(100);

    private final ConfigStoreSettings settings;
    private final String writerId = UUID.randomUUID().toString();
    private final byte[] writerIdBytes = writerId.getBytes(StandardCharsets.UTF_8);
    private final Object lock = new Object();
    private final ConfigView view = new ConfigView();
    private final ListenerRegistry listeners = new ListenerRegistry(lock);
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** Writes waiting for the view to read their record, by partition/offset; guarded by {@code waitLock}. */
    private final Map<TopicPartition, Map<Long, CompletableFuture<ConfigView.Outcome>>> waiters = new HashMap<>();
    /** Outcomes of our records read before the producer callback registered the waiter; guarded by {@code waitLock}. */
    private final Map<TopicPartition, Map<Long, ConfigView.Outcome>> early = new HashMap<>();
    private final Object waitLock = new Object();

    private volatile boolean closed;
    private volatile boolean started;
    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public KafkaConfigStore(ConfigStoreSettings settings) {
        this.settings = settings;
    }

    /** The topic this store materializes. */
    public String topic() {
        return settings.topic();
    }

    @Override
    public void start() {
        CompletableFuture<Void> f = startAsync().toCompletableFuture();
        try {
            f.get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ConfigStoreUnavailableException("config store did not catch up with " + settings.topic()
                    + " within " + settings.startTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigStoreUnavailableException("interrupted while starting the config store", e);
        } catch (ExecutionException e) {
            throw Futures.unwrap(e.getCause());
        }
    }

    /**
     * Creates the topic if missing, starts the view thread and completes once the view caught up with
     * the end offsets observed at start.
     */
    public synchronized CompletionStage<Void> startAsync() {
        if (started) {
            return ready;
        }
        started = true;
        ensureTopic();
        producer = new KafkaProducer<>(producerProperties());
        consumer = new KafkaConsumer<>(consumerProperties());
        thread = new Thread(this::run, "beacon-config-view-" + settings.topic());
        thread.setDaemon(true);
        thread.start();
        return ready;
    }

    @Override
    public boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally() && !closed;
    }

    @Override
    public Optional<ConfigEntry> get(ConfigKey key) {
        return view.get(key);
    }

    @Override
    public List<ConfigEntry> list(String kind, String project) {
        return view.list(kind, project);
    }

    @Override
    public List<ConfigEntry> list(String kind) {
        return view.list(kind, null);
    }

    @Override
    public CompletionStage<ConfigEntry> putAsync(ConfigKey key, JsonNode document, long expectedVersion) {
        if (document == null || !document.isObject()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a config document is a JSON object"));
        }
        Optional<RuntimeException> notReady = checkWritable();
        if (notReady.isPresent()) {
            return CompletableFuture.failedFuture(notReady.get());
        }
        JsonNode value;
        synchronized (lock) {
            long current = view.visibleVersion(key);
            if (current != expectedVersion) {
                return CompletableFuture.failedFuture(new ConflictException(key, expectedVersion, current));
            }
            value = ConfigView.versioned(document, view.nextVersion(key));
        }
        return send(key, value)
                .thenApply(outcome -> {
                    if (outcome instanceof ConfigView.Outcome.Applied applied && applied.current().isPresent()) {
                        return applied.current().get();
                    }
                    throw conflict(key, expectedVersion, outcome);
                })
                .orTimeout(settings.writeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(t -> {
                    throw asStoreException(t, key);
                });
    }

    @Override
    public CompletionStage<Void> deleteAsync(ConfigKey key, long expectedVersion) {
        Optional<RuntimeException> notReady = checkWritable();
        if (notReady.isPresent()) {
            return CompletableFuture.failedFuture(notReady.get());
        }
        JsonNode marker;
        synchronized (lock) {
            long current = view.visibleVersion(key);
            if (current == 0 || current != expectedVersion) {
                return CompletableFuture.failedFuture(new ConflictException(key, expectedVersion, current));
            }
            marker = ConfigView.deletionMarker(view.nextVersion(key));
        }
        return send(key, marker)
                .thenCompose(outcome -> {
                    if (outcome instanceof ConfigView.Outcome.Applied) {
                        // The marker decided the delete; the tombstone lets compaction drop the key.
                        return produce(key, null).thenApply(metadata -> (Void) null);
                    }
                    throw conflict(key, expectedVersion, outcome);
                })
                .orTimeout(settings.writeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(t -> {
                    throw asStoreException(t, key);
                });
    }

    @Override
    public AutoCloseable addListener(String kind, Consumer<Change> listener, boolean replayCurrent) {
        return listeners.add(kind, listener, replayCurrent ? () -> view.list(kind, null) : null);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        ready.completeExceptionally(new ConfigStoreUnavailableException("config store closed"));
        failWaiters(new ConfigStoreUnavailableException("config store closed"));
    }

    // ---- writing -------------------------------------------------------------------------------

    private Optional<RuntimeException> checkWritable() {
        if (closed) {
            return Optional.of(new ConfigStoreUnavailableException("config store closed"));
        }
        if (!isReady()) {
            return Optional.of(new ConfigStoreUnavailableException("config store is not ready"));
        }
        return Optional.empty();
    }

    /** Produces {@code value} and completes with the view's verdict on it. */
    private CompletableFuture<ConfigView.Outcome> send(ConfigKey key, JsonNode value) {
        return produce(key, value, true).thenCompose(this::awaitOutcome);
    }

    private CompletableFuture<RecordMetadata> produce(ConfigKey key, JsonNode value) {
        return produce(key, value, false);
    }

    private CompletableFuture<RecordMetadata> produce(ConfigKey key, JsonNode value, boolean awaited) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.topic(), key.asString(),
                value == null ? null : ConfigJson.bytes(value));
        record.headers().add(WRITER_HEADER, writerIdBytes);
        if (awaited) {
            record.headers().add(AWAIT_HEADER, new byte[] {1});
        }
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    acked.completeExceptionally(new ConfigStoreUnavailableException("config write not acknowledged: " + error.getMessage(), error));
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(new ConfigStoreUnavailableException("config write failed: " + e.getMessage(), e));
        }
        return acked;
    }

    private CompletableFuture<ConfigView.Outcome> awaitOutcome(RecordMetadata metadata) {
        TopicPartition tp = new TopicPartition(metadata.topic(), metadata.partition());
        CompletableFuture<ConfigView.Outcome> outcome = new CompletableFuture<>();
        ConfigView.Outcome known;
        synchronized (waitLock) {
            known = early.getOrDefault(tp, Map.of()).get(metadata.offset());
            if (known != null) {
                early.get(tp).remove(metadata.offset());
            } else {
                waiters.computeIfAbsent(tp, p -> new HashMap<>()).put(metadata.offset(), outcome);
            }
        }
        if (known != null) {
            outcome.complete(known);
        }
        return outcome;
    }

    private void deliver(TopicPartition tp, long offset, ConfigView.Outcome outcome) {
        CompletableFuture<ConfigView.Outcome> waiter;
        synchronized (waitLock) {
            Map<Long, CompletableFuture<ConfigView.Outcome>> byOffset = waiters.get(tp);
            waiter = byOffset == null ? null : byOffset.remove(offset);
            if (waiter == null) {
                early.computeIfAbsent(tp, p -> new HashMap<>()).put(offset, outcome);
            }
        }
        if (waiter != null) {
            waiter.complete(outcome);
        }
    }

    private void failWaiters(RuntimeException error) {
        List<CompletableFuture<ConfigView.Outcome>> pending = new ArrayList<>();
        synchronized (waitLock) {
            waiters.values().forEach(m -> pending.addAll(m.values()));
            waiters.clear();
            early.clear();
        }
        pending.forEach(f -> f.completeExceptionally(error));
    }

    private ConflictException conflict(ConfigKey key, long expectedVersion, ConfigView.Outcome outcome) {
        long current = outcome instanceof ConfigView.Outcome.Ignored ignored
                ? ignored.current().map(ConfigEntry::version).orElse(0L)
                : view.visibleVersion(key);
        return new ConflictException(key, expectedVersion, current);
    }

    private static RuntimeException asStoreException(Throwable t, ConfigKey key) {
        RuntimeException e = Futures.unwrap(t);
        if (e instanceof ConfigStoreUnavailableException || e instanceof ConflictException) {
            return e;
        }
        if (t instanceof TimeoutException || t.getCause() instanceof TimeoutException) {
            return new ConfigStoreUnavailableException("write of " + key + " not confirmed in time; its outcome is unknown, re-read before retrying", t);
        }
        return e;
    }

    // ---- the view thread -----------------------------------------------------------------------

    private void run() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> target = consumer.endOffsets(partitions);
            checkCaughtUp(target);
            while (!closed) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                Set<ConfigKey> toRepair = new LinkedHashSet<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    applyRecord(record, toRepair);
                }
                repair(toRepair);
                if (!ready.isDone()) {
                    checkCaughtUp(target);
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                LOG.error("config view of {} woken up unexpectedly", settings.topic(), e);
            }
        } catch (RuntimeException e) {
            LOG.error("config view of {} stopped", settings.topic(), e);
            ready.completeExceptionally(new ConfigStoreUnavailableException("config view stopped: " + e.getMessage(), e));
            failWaiters(new ConfigStoreUnavailableException("config view stopped: " + e.getMessage(), e));
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private List<TopicPartition> partitions() {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (!closed) {
            List<PartitionInfo> infos = consumer.partitionsFor(settings.topic(), Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + settings.topic() + " has no partitions");
            }
        }
        throw new WakeupException();
    }

    private void checkCaughtUp(Map<TopicPartition, Long> target) {
        for (Map.Entry<TopicPartition, Long> e : target.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        LOG.info("config view of {} ready: {} documents", settings.topic(), view.all().size());
        ready.complete(null);
    }

    private void applyRecord(ConsumerRecord<String, byte[]> record, Set<ConfigKey> toRepair) {
        Optional<ConfigKey> key = ConfigKey.parse(record.key());
        boolean ours = isOurs(record);
        boolean awaited = ours && record.headers().lastHeader(AWAIT_HEADER) != null;
        ConfigView.Outcome outcome;
        if (key.isEmpty()) {
            LOG.warn("ignoring config record at {}-{}@{}: key is not kind/project/id", record.topic(), record.partition(), record.offset());
            outcome = new ConfigView.Outcome.Malformed("key is not kind/project/id");
        } else {
            JsonNode value;
            try {
                value = record.value() == null ? null : ConfigJson.parse(record.value());
            } catch (RuntimeException e) {
                value = null;
                outcome = new ConfigView.Outcome.Malformed("value is not JSON");
                LOG.warn("ignoring config record {} at offset {}: value is not JSON", key.get(), record.offset());
                if (awaited) {
                    deliver(new TopicPartition(record.topic(), record.partition()), record.offset(), outcome);
                }
                return;
            }
            synchronized (lock) {
                outcome = view.apply(key.get(), value);
                if (outcome instanceof ConfigView.Outcome.Applied applied) {
                    applied.change().ifPresent(listeners::notify);
                }
            }
            if (outcome instanceof ConfigView.Outcome.Malformed m) {
                LOG.warn("ignoring config record {} at offset {}: {}", key.get(), record.offset(), m.reason());
            }
            if (ours && outcome instanceof ConfigView.Outcome.Ignored) {
                toRepair.add(key.get());
            }
        }
        if (awaited) {
            deliver(new TopicPartition(record.topic(), record.partition()), record.offset(), outcome);
        }
    }

    /** Re-states the current state of keys whose last record is a lost write of ours. */
    private void repair(Set<ConfigKey> keys) {
        for (ConfigKey key : keys) {
            JsonNode value;
            synchronized (lock) {
                if (!view.needsRepair(key)) {
                    continue;
                }
                value = view.repairValue(key);
            }
            LOG.debug("re-stating current state of {} after a lost write", key);
            produce(key, value).whenComplete((m, e) -> {
                if (e != null) {
                    LOG.warn("repair record for {} not written: {}", key, e.getMessage());
                }
            });
        }
    }

    private boolean isOurs(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(WRITER_HEADER);
        return header != null && java.util.Arrays.equals(header.value(), writerIdBytes);
    }

    // ---- Kafka set-up --------------------------------------------------------------------------

    private void ensureTopic() {
        Properties props = base();
        try (Admin admin = Admin.create(props)) {
            NewTopic topic = new NewTopic(settings.topic(), 1, settings.replicationFactor())
                    .configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Long.toString(settings.minCompactionLag().toMillis())));
            admin.createTopics(List.of(topic)).all().get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("created config topic {}", settings.topic());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new ConfigStoreUnavailableException("cannot create config topic " + settings.topic() + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new ConfigStoreUnavailableException("cannot reach Kafka to create config topic " + settings.topic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigStoreUnavailableException("interrupted while creating config topic", e);
        }
    }

    private Properties base() {
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return p;
    }

    private Properties producerProperties() {
        Properties p = base();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        long timeout = Math.max(settings.writeTimeout().toMillis(), 2_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout * 2));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "beacon-config-writer-" + writerId.substring(0, 8));
        return p;
    }

    private Properties consumerProperties() {
        Properties p = base();
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "beacon-config-view-" + writerId.substring(0, 8));
        return p;
    }
}
