package io.beacon.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.abtest.assignment.StickyBucketDoc;
import io.beacon.abtest.assignment.StickyBucketStore;
import io.beacon.control.store.ConfigStoreSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The A/B module's {@link StickyBucketStore} on a dedicated compacted topic, {@code <prefix>}{@value #NAME}
 * (the config topic {@code beacon.config} is for definitions, not one record per unit).
 *
 * <p>Every node materializes the whole topic in memory (a view thread reads it from the beginning;
 * {@link #start} returns once it caught up) and answers {@link #get} from that map: no I/O on the
 * assignment path. Record key {@code <project>/<attribute>||<value>}, value GrowthBook's sticky document
 * {@code {"attribute_name","attribute_value","assignments":{"<experiment>__<bucketVersion>":"<variation>"}}},
 * always the unit's whole document, so compaction keeps exactly the latest one.
 *
 * <p>{@link #save} merges into the local map at once (the next request of the unit on this node sees it)
 * and queues the unit's key for a writer thread, which sends the unit's <em>current</em> document; since
 * every send carries the latest state, concurrent saves of one unit cannot leave an older document last
 * in the topic. Sends are batched by the producer ({@code linger.ms} 5, lz4, {@code acks=all}). The
 * queue is bounded; a save that finds it full is dropped and counted — the port allows lost writes,
 * because the hash gives the same answer again while the experiment's configuration is unchanged. Two
 * nodes bucketing one unit concurrently both write; every view merges the records in topic order (a
 * record's assignments overwrite the same keys, others are kept), so running nodes converge. If the two
 * writes were for different experiments and neither node had read the other's record yet, the topic's
 * last document lacks the other's assignment and, after compaction, a node started later re-derives it
 * from the hash — the same lost-write case the port allows (the unit's next save restores it).
 *
 * <p>Memory: about 200 bytes a unit (key, map entry, an array of interned experiment/variation keys),
 * so a node holds a few million units comfortably; beyond that the view belongs in RocksDB behind the
 * same port.
 */
public final class KafkaStickyBuckets implements StickyBucketStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStickyBuckets.class);
    public static final String NAME = "beacon.sticky-buckets";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUEUE = 100_000;
    private static final int INTERN_LIMIT = 100_000;

    private final String topic;
    private final ConfigStoreSettings settings;
    /** {@code project/attribute||value} → alternating sticky keys and variation keys. */
    private final Map<String, String[]> docs = new ConcurrentHashMap<>();
    private final Map<String, String> interned = new ConcurrentHashMap<>();
    private final BlockingQueue<Pending> writes = new ArrayBlockingQueue<>(QUEUE);
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread viewThread;
    private final Thread writerThread;
    private volatile boolean closed;

    private record Pending(String key, CompletableFuture<Void> done) {
    }

    /** @param settings the control plane's Kafka settings (bootstrap, properties, replication, timeouts); its topic is not used */
    public KafkaStickyBuckets(ConfigStoreSettings settings, String topicPrefix) {
        this.settings = settings;
        this.topic = (topicPrefix == null ? "" : topicPrefix) + NAME;
        this.producer = new KafkaProducer<>(producerProperties());
        this.consumer = new KafkaConsumer<>(consumerProperties());
        this.viewThread = new Thread(this::view, "beacon-sticky-view-" + topic);
        this.writerThread = new Thread(this::write, "beacon-sticky-writer-" + topic);
        viewThread.setDaemon(true);
        writerThread.setDaemon(true);
    }

    /** Creates the topic if needed and blocks until the view caught up with it (at most the start timeout). */
    public KafkaStickyBuckets start() {
        ensureTopic();
        viewThread.start();
        writerThread.start();
        try {
            ready.get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            close();
            throw new IllegalStateException("sticky-bucket view of " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            close();
            throw new IllegalStateException("sticky-bucket view of " + topic + " not caught up after " + settings.startTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting the sticky-bucket view", e);
        }
        return this;
    }

    public String topic() {
        return topic;
    }

    @Override
    public Optional<StickyBucketDoc> get(String project, String attributeName, String attributeValue) {
        String[] flat = docs.get(key(project, StickyBucketDoc.id(attributeName, attributeValue)));
        if (flat == null) {
            return Optional.empty();
        }
        Map<String, String> m = new HashMap<>(flat.length);
        for (int i = 0; i < flat.length; i += 2) {
            m.put(flat[i], flat[i + 1]);
        }
        return Optional.of(new StickyBucketDoc(attributeName, attributeValue, m));
    }

    @Override
    public CompletionStage<Void> save(String project, StickyBucketDoc doc) {
        String key = key(project, doc.id());
        merge(key, doc.assignments());
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed || !writes.offer(new Pending(key, done))) {
            dropped.incrementAndGet();
            done.completeExceptionally(new IllegalStateException(closed ? "the sticky-bucket store is closed"
                    : "the sticky-bucket write queue is full (" + QUEUE + ")"));
        }
        return done;
    }

    /** Units in the local view. */
    public int size() {
        return docs.size();
    }

    /** Documents acknowledged by Kafka, saves dropped because the queue was full, sends that failed. */
    public long written() {
        return written.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long failed() {
        return failed.get();
    }

    // ---- local view ------------------------------------------------------------------------------

    private static String key(String project, String docId) {
        return project + "/" + docId;
    }

    /** Merges {@code add} into the unit's assignments; {@code add} wins on the same sticky key. */
    private void merge(String key, Map<String, String> add) {
        docs.compute(key, (k, old) -> {
            if (old == null) {
                String[] flat = new String[add.size() * 2];
                int i = 0;
                for (Map.Entry<String, String> e : add.entrySet()) {
                    flat[i++] = intern(e.getKey());
                    flat[i++] = intern(e.getValue());
                }
                return flat;
            }
            List<String> out = new ArrayList<>(old.length + add.size() * 2);
            Map<String, String> rest = new HashMap<>(add);
            for (int i = 0; i < old.length; i += 2) {
                String replaced = rest.remove(old[i]);
                out.add(old[i]);
                out.add(replaced != null ? intern(replaced) : old[i + 1]);
            }
            for (Map.Entry<String, String> e : rest.entrySet()) {
                out.add(intern(e.getKey()));
                out.add(intern(e.getValue()));
            }
            if (rest.isEmpty() && out.equals(List.of(old))) {
                return old;
            }
            return out.toArray(String[]::new);
        });
    }

    /** Experiment and variation keys repeat across units: share one copy (bounded, in case of junk). */
    private String intern(String s) {
        String known = interned.get(s);
        if (known != null) {
            return known;
        }
        if (interned.size() < INTERN_LIMIT) {
            known = interned.putIfAbsent(s, s);
            return known == null ? s : known;
        }
        return s;
    }

    private void view() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> target = consumer.endOffsets(partitions);
            checkCaughtUp(target);
            while (!closed) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    apply(r);
                }
                if (!ready.isDone()) {
                    checkCaughtUp(target);
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                LOG.error("sticky-bucket view of {} woken up unexpectedly", topic, e);
            }
        } catch (RuntimeException e) {
            LOG.error("sticky-bucket view of {} stopped", topic, e);
            ready.completeExceptionally(e);
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null || r.value() == null) {
            return; // tombstones are not written by us; nothing to forget
        }
        try {
            JsonNode assignments = JSON.readTree(r.value()).path("assignments");
            if (!assignments.isObject()) {
                LOG.warn("ignoring sticky-bucket record {} at {}-{}@{}: no assignments object", r.key(), r.topic(), r.partition(), r.offset());
                return;
            }
            Map<String, String> add = new HashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = assignments.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual()) {
                    add.put(e.getKey(), e.getValue().asText());
                }
            }
            if (!add.isEmpty()) {
                merge(r.key(), add);
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("ignoring sticky-bucket record {} at {}-{}@{}: {}", r.key(), r.topic(), r.partition(), r.offset(), e.toString());
        }
    }

    private List<TopicPartition> partitions() {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (!closed) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has no partitions");
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
        LOG.info("sticky-bucket view of {} ready: {} units", topic, docs.size());
        ready.complete(null);
    }

    // ---- writer ----------------------------------------------------------------------------------

    private void write() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !writes.isEmpty()) {
            try {
                Pending first = writes.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                writes.drainTo(batch, 999);
                for (Pending p : batch) {
                    send(p);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.warn("sticky-bucket writes failed: {}", e.toString());
                batch.forEach(p -> p.done().completeExceptionally(e));
                failed.addAndGet(batch.size());
            } finally {
                batch.clear();
            }
        }
        writes.forEach(p -> p.done().completeExceptionally(new IllegalStateException("the sticky-bucket store is closed")));
    }

    private void send(Pending p) {
        String[] flat = docs.get(p.key());
        int slash = p.key().indexOf('/');
        String docId = p.key().substring(slash + 1);
        int sep = docId.indexOf("||");
        ObjectNode doc = JSON.createObjectNode();
        doc.put("attribute_name", sep < 0 ? docId : docId.substring(0, sep));
        doc.put("attribute_value", sep < 0 ? "" : docId.substring(sep + 2));
        ObjectNode assignments = doc.putObject("assignments");
        for (int i = 0; flat != null && i < flat.length; i += 2) {
            assignments.put(flat[i], flat[i + 1]);
        }
        producer.send(new ProducerRecord<>(topic, p.key(), doc.toString().getBytes(StandardCharsets.UTF_8)), (m, e) -> {
            if (e == null) {
                written.incrementAndGet();
                p.done().complete(null);
            } else {
                failed.incrementAndGet();
                p.done().completeExceptionally(e);
            }
        });
    }

    // ---- Kafka set-up ----------------------------------------------------------------------------

    private void ensureTopic() {
        try (Admin admin = Admin.create(base())) {
            NewTopic t = new NewTopic(topic, 1, settings.replicationFactor()).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Long.toString(settings.minCompactionLag().toMillis())));
            admin.createTopics(List.of(t)).all().get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("created sticky-bucket topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka to create topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
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
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "beacon-sticky-writer");
        return p;
    }

    private Properties consumerProperties() {
        Properties p = base();
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "beacon-sticky-view");
        return p;
    }

    /** Stops the view and the writer; queued writes are sent first (bounded by the producer's close). */
    @Override
    public void close() {
        closed = true;
        if (!viewThread.isAlive() && viewThread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ofSeconds(1)); // never started: the view thread would have closed it
        }
        consumer.wakeup();
        try {
            writerThread.join(5_000);
            viewThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
