package io.beacon.abtest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.abtest.assignment.StickyBucketDoc;
import io.beacon.abtest.assignment.StickyBucketStore;
import io.beacon.control.store.ConfigStoreSettings;
import io.beacon.control.topicview.KafkaTopicView;
import io.beacon.control.topicview.TopicCodec;
import io.beacon.control.topicview.TopicViewUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The A/B module's {@link StickyBucketStore} on a dedicated compacted topic, {@code <prefix>}{@value #NAME}
 * (the config topic {@code beacon.config} is for definitions, not one record per unit).
 *
 * <p>Every node materializes the whole topic in memory (a {@link KafkaTopicView}; {@link #start} returns once
 * it caught up) and answers {@link #get} from that map: no I/O on the assignment path. Record key
 * {@code <project>/<attribute>||<value>}, value GrowthBook's sticky document
 * {@code {"attribute_name","attribute_value","assignments":{"<experiment>__<bucketVersion>":"<variation>"}}},
 * always the unit's whole document, so compaction keeps exactly the latest one.
 *
 * <p>{@link #save} merges into the local view at once (the next request of the unit on this node sees it)
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
    public static final String NAME = "beacon.sticky-buckets";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUEUE = 100_000;
    private static final int INTERN_LIMIT = 100_000;

    /** Values: the unit's assignments; its attribute name and value come from the key, as they are written. */
    private static final TopicCodec<String, StickyBucketDoc> CODEC = TopicCodec.stringKeys(KafkaStickyBuckets::encode,
            KafkaStickyBuckets::decode);

    private final String topic;
    private final ConfigStoreSettings settings;
    /** {@code project/attribute||value} → alternating sticky keys and variation keys. */
    private final KafkaTopicView<String, StickyBucketDoc, String[]> view;
    private final Map<String, String> interned = new ConcurrentHashMap<>();
    private final BlockingQueue<Pending> writes = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread writerThread;
    private volatile boolean closed;

    private record Pending(String key, CompletableFuture<Void> done) {
    }

    /** @param settings the control plane's Kafka settings (bootstrap, properties, replication, timeouts); its topic is not used */
    public KafkaStickyBuckets(ConfigStoreSettings settings, String topicPrefix) {
        this.settings = settings;
        this.topic = (topicPrefix == null ? "" : topicPrefix) + NAME;
        this.view = new KafkaTopicView<>(settings.topicView("sticky", topic).batching(Duration.ofMillis(5), "lz4").build(),
                CODEC, (key, held, doc) -> merge(held, doc.assignments()));
        this.writerThread = new Thread(this::write, "beacon-sticky-writer-" + topic);
        writerThread.setDaemon(true);
    }

    /**
     * Creates the topic if needed and blocks until the view caught up with it (at most the start timeout).
     *
     * @throws TopicViewUnavailableException when it did not; the store is closed then
     */
    public KafkaStickyBuckets start() {
        try {
            view.start();
            writerThread.start();
            view.awaitReady(settings.startTimeout());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    public String topic() {
        return topic;
    }

    @Override
    public Optional<StickyBucketDoc> get(String project, String attributeName, String attributeValue) {
        return view.get(key(project, StickyBucketDoc.id(attributeName, attributeValue)))
                .map(flat -> new StickyBucketDoc(attributeName, attributeValue, unflatten(flat)));
    }

    @Override
    public CompletionStage<Void> save(String project, StickyBucketDoc doc) {
        String key = key(project, doc.id());
        view.applyLocally(key, doc);
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
        return view.asMap().size();
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

    // ---- the unit's document -----------------------------------------------------------------------

    private static String key(String project, String docId) {
        return project + "/" + docId;
    }

    /** The unit's document under record key {@code project/attribute||value}. */
    private static StickyBucketDoc doc(String key, Map<String, String> assignments) {
        String docId = key.substring(key.indexOf('/') + 1);
        int sep = docId.indexOf("||");
        return new StickyBucketDoc(sep < 0 ? docId : docId.substring(0, sep), sep < 0 ? "" : docId.substring(sep + 2), assignments);
    }

    private static byte[] encode(StickyBucketDoc doc) {
        ObjectNode json = JSON.createObjectNode();
        json.put("attribute_name", doc.attributeName());
        json.put("attribute_value", doc.attributeValue());
        ObjectNode assignments = json.putObject("assignments");
        doc.assignments().forEach(assignments::put);
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StickyBucketDoc decode(String key, byte[] value) {
        JsonNode assignments;
        try {
            assignments = JSON.readTree(value).path("assignments");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!assignments.isObject()) {
            throw new IllegalArgumentException("no assignments object");
        }
        Map<String, String> textual = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = assignments.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isTextual()) {
                textual.put(e.getKey(), e.getValue().asText());
            }
        }
        return doc(key, textual);
    }

    private static Map<String, String> unflatten(String[] flat) {
        Map<String, String> m = new HashMap<>(flat.length);
        for (int i = 0; i < flat.length; i += 2) {
            m.put(flat[i], flat[i + 1]);
        }
        return m;
    }

    /** Merges {@code add} into the unit's assignments ({@code old}, or none); {@code add} wins on the same sticky key. */
    private String[] merge(String[] old, Map<String, String> add) {
        if (add.isEmpty()) {
            return old;
        }
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
                batch.forEach(this::send);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        writes.forEach(p -> p.done().completeExceptionally(new IllegalStateException("the sticky-bucket store is closed")));
    }

    /** Sends the unit's current document (not the saved one: the latest state is always last in the topic). */
    private void send(Pending p) {
        Map<String, String> current = view.get(p.key()).map(KafkaStickyBuckets::unflatten).orElse(Map.of());
        view.send(p.key(), doc(p.key(), current)).whenComplete((ok, error) -> {
            if (error == null) {
                written.incrementAndGet();
                p.done().complete(null);
            } else {
                failed.incrementAndGet();
                p.done().completeExceptionally(error);
            }
        });
    }

    /** Stops the writer (queued writes are sent first) and the view (bounded by the producer's close). */
    @Override
    public void close() {
        closed = true;
        try {
            writerThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        view.close();
    }
}
