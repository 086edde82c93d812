package io.beacon.control.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discovered items of every project, materialized in memory from {@link DiscoveryTopic} the way
 * {@code KafkaConfigStore} materializes {@code beacon.config}: a dedicated thread owns a consumer
 * {@code assign}ed to every partition (no group, no committed offsets) that reads from the beginning,
 * so every process has the full view. A tombstone removes an item. Reads are non-blocking map reads.
 *
 * <p>{@link #start()} does not wait: discovery is informational, so a process is ready without it;
 * {@link #isReady()} tells when the view caught up with the end offsets seen at start.
 * {@link #detached()} is a view without Kafka (processes without a broker, tests), filled with
 * {@link #apply}.
 */
public final class DiscoveryView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryView.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String bootstrapServers;
    private final String topic;
    private final short replicationFactor;
    private final Map<String, String> kafkaProperties;
    private final Map<String, Map<String, DiscoveredItem>> byProject = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);

    private volatile boolean closed;
    private boolean started;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * @param bootstrapServers  Kafka {@code bootstrap.servers}
     * @param topic             {@link DiscoveryTopic#withPrefix}
     * @param replicationFactor used when the view creates the missing topic
     * @param kafkaProperties   extra client properties (security etc.), applied first
     */
    public DiscoveryView(String bootstrapServers, String topic, short replicationFactor, Map<String, String> kafkaProperties) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.replicationFactor = replicationFactor;
        this.kafkaProperties = kafkaProperties == null ? Map.of() : Map.copyOf(kafkaProperties);
    }

    /** A view that reads no topic: empty until {@link #apply} is called. Ready at once. */
    public static DiscoveryView detached() {
        DiscoveryView v = new DiscoveryView(null, null, (short) 1, Map.of());
        v.started = true;
        v.caughtUp.countDown();
        return v;
    }

    /** The topic read, or {@code null} for a detached view. */
    public String topic() {
        return topic;
    }

    /** Creates the topic when missing and starts the reading thread; returns without waiting. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        ensureTopic();
        Properties p = new Properties();
        p.putAll(kafkaProperties);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // the topology writes transactionally
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "beacon-discovery-view-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the view has read the topic up to its end as of {@link #start()}. */
    public boolean isReady() {
        return caughtUp.getCount() == 0 && !closed;
    }

    /** Waits up to {@code timeout} for {@link #isReady()}. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && !closed;
    }

    /** The project's items, most frequent first, then by kind and name. */
    public List<DiscoveredItem> list(String project) {
        List<DiscoveredItem> out = new ArrayList<>(byProject.getOrDefault(project, Map.of()).values());
        out.sort(Comparator.comparingLong(DiscoveredItem::volume).reversed()
                .thenComparing(DiscoveredItem::kind)
                .thenComparing(DiscoveredItem::name));
        return out;
    }

    public Optional<DiscoveredItem> get(String project, DiscoveryKind kind, String name) {
        return Optional.ofNullable(byProject.getOrDefault(project, Map.of()).get(DiscoveredItem.key(project, kind, name)));
    }

    /** Replaces the item with the same key (what a record on the topic does). */
    public void apply(DiscoveredItem item) {
        byProject.computeIfAbsent(item.project(), p -> new ConcurrentHashMap<>()).put(item.key(), item);
    }

    private void remove(String key) {
        int slash = key.indexOf('/');
        if (slash > 0) {
            Map<String, DiscoveredItem> items = byProject.get(key.substring(0, slash));
            if (items != null) {
                items.remove(key);
            }
        }
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
    }

    // ---- the reading thread --------------------------------------------------------------------

    private void run() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> target = consumer.endOffsets(partitions);
            while (!closed) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    applyRecord(r);
                }
                if (caughtUp.getCount() > 0 && target.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    LOG.info("discovery view of {} ready", topic);
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                LOG.error("discovery view of {} woken up unexpectedly", topic, e);
            }
        } catch (RuntimeException e) {
            LOG.error("discovery view of {} stopped", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private void applyRecord(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            remove(r.key());
            return;
        }
        try {
            DiscoveredItem item = DiscoveryCodec.decode(r.value());
            if (item.key().equals(r.key())) {
                apply(item);
            } else {
                LOG.warn("ignoring discovery record at {}-{}@{}: key does not match its value", r.topic(), r.partition(), r.offset());
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring unreadable discovery record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    private List<TopicPartition> partitions() {
        while (!closed) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                continue; // the topic does not exist (yet) or Kafka is slow: ask again
            }
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
        }
        throw new WakeupException();
    }

    private void ensureTopic() {
        Properties p = new Properties();
        p.putAll(kafkaProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(DiscoveryTopic.newTopic(topic, replicationFactor))).all().get(30, TimeUnit.SECONDS);
            LOG.info("created discovery topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("cannot create discovery topic {} ({}); reading it once it exists", topic, e.getCause().toString());
            }
        } catch (TimeoutException e) {
            LOG.warn("Kafka did not answer creating discovery topic {}; reading it once it exists", topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
