package io.beacon.dq.collector;

import io.beacon.dq.DqSettings;
import io.beacon.dq.count.Chunk;
import io.beacon.dq.count.CountKey;
import io.beacon.dq.count.RecordCounting;
import io.beacon.dq.count.RecordCounting.Source;
import io.beacon.dq.store.DqStore;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every record of {@code beacon.events.raw} (accepted), {@code beacon.events.valid} (written),
 * {@code beacon.events.dlq} (dead-lettered, by code) and {@code beacon.dq.facts} (gateway rejections, duplicates)
 * into {@code dq_counts}, exactly once: the collectors share the partitions through a consumer group
 * ({@code read_committed}), but the position of each partition lives in {@code dq_counts} itself — every insert
 * holds whole chunks with their offset ranges, and an assigned partition resumes at the end of its last chunk. A
 * crash before an insert reads the chunk again; after it, nothing is read twice. (Two collectors owning one
 * partition at once — a paused process that outlived its session — could count a chunk twice; the group's
 * rebalance makes that a window of a session timeout.)
 */
public final class DqCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DqCollector.class);
    private final DqSettings settings;
    private final DqStore store;
    private final LongSupplier clock;
    private final Map<String, Source> sources = new HashMap<>();
    private final Map<TopicPartition, Chunk> chunks = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong caughtUpToMs = new AtomicLong(0);
    private final AtomicLong counted = new AtomicLong();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final StageLatency latency = new StageLatency();
    /** "project\0stage" → records counted into dq_counts by this collector since it started. */
    private final Map<String, LongAdder> totals = new ConcurrentHashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;

    public DqCollector(DqSettings settings, DqStore store, LongSupplier clock) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        sources.put(settings.topics().raw(), Source.RAW);
        sources.put(settings.topics().valid(), Source.VALID);
        sources.put(settings.topics().dlq(), Source.DLQ);
        sources.put(settings.topics().dqFacts(), Source.FACTS);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId());
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "beacon-dq-collector");
        thread.setDaemon(true);
    }

    public void start() {
        consumer.subscribe(List.copyOf(sources.keySet()), new Rebalance());
        thread.start();
    }

    /**
     * Every record received before this instant has been counted by this collector (its partitions were read to
     * their ends at a flush at that time); 0 until the first flush with everything read. A window is judged only once
     * the collectors are past its end.
     */
    public long caughtUpToMs() {
        return caughtUpToMs.get();
    }

    /** received_at → written to {@code beacon.events.valid} (the valid record's timestamp), per project, since start. */
    public StageLatency toValidTopic() {
        return latency;
    }

    /**
     * The collector's figures for a node's Prometheus registry: {@code beacon_dq_counted_total{project,stage}} (records
     * counted into {@code dq_counts} by this collector since it started) and the received_at → valid topic latency
     * summary {@code beacon_dq_valid_latency_seconds{project}} (quantiles 0.5, 0.95, 0.99).
     */
    public MultiCollector metrics() {
        return () -> {
            CounterSnapshot.Builder c = CounterSnapshot.builder().name("beacon_dq_counted")
                    .help("Events counted per stage into dq_counts by this node's data-quality collector.");
            new TreeMap<>(totals).forEach((k, v) -> {
                int z = k.indexOf('\u0000');
                c.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(Labels.of("project", k.substring(0, z), "stage", k.substring(z + 1))).value(v.sum()).build());
            });
            SummarySnapshot.Builder s = SummarySnapshot.builder().name("beacon_dq_valid_latency_seconds")
                    .help("received_at to the record on beacon.events.valid, per project, since this node started.");
            latency.all().forEach((project, p) -> s.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
                    .labels(Labels.of("project", project)).count(p.count())
                    .quantiles(Quantiles.of(new Quantile(0.5, p.p50Ms() / 1000.0), new Quantile(0.95, p.p95Ms() / 1000.0),
                            new Quantile(0.99, p.p99Ms() / 1000.0))).build()));
            return MetricSnapshots.of(c.build(), s.build());
        };
    }

    /** Records counted (inserted) by this collector since it started. */
    public long recordsCounted() {
        return counted.get();
    }

    /** Why the collector stopped, or {@code null} while it runs. */
    public String failure() {
        return failure.get();
    }

    private void run() {
        long nextFlush = System.nanoTime() + settings.flushInterval().toNanos();
        try {
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    Chunk chunk = chunks.computeIfAbsent(tp, k -> new Chunk(r.topic(), r.partition(), r.offset()));
                    Optional<RecordCounting.Counted> c = RecordCounting.countTimed(sources.get(r.topic()), r.value(), r.timestamp());
                    chunk.add(r.offset(), c.map(RecordCounting.Counted::key).orElse(null));
                    if (c.isPresent() && c.get().receivedAtMs() > 0) {
                        latency.record(c.get().key().projectId(), r.timestamp() - c.get().receivedAtMs());
                    }
                }
                if (System.nanoTime() >= nextFlush) {
                    flush();
                    nextFlush = System.nanoTime() + settings.flushInterval().toNanos();
                }
            }
            flush();
        } catch (WakeupException e) {
            if (running.get()) {
                failure.set("woken up while running");
            }
        } catch (RuntimeException e) {
            failure.set(e.toString());
            LOG.error("the data-quality collector stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Inserts the chunks read so far (their ends moved to the consumer's positions); on failure they are read again. */
    private void flush() {
        long now = clock.getAsLong();
        List<Chunk> out = new ArrayList<>();
        boolean allRead = true;
        for (TopicPartition tp : consumer.assignment()) {
            long position = consumer.position(tp);
            Chunk c = chunks.get(tp);
            if (c != null) {
                c.advanceTo(position);
                out.add(c);
            }
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isEmpty() || lag.getAsLong() > 0) {
                allRead = false;
            }
        }
        try {
            store.insert(out, now);
        } catch (RuntimeException e) {
            LOG.warn("data-quality counts not inserted ({}); their records are read again", e.toString());
            for (Chunk c : out) {
                consumer.seek(new TopicPartition(c.source(), c.partition()), c.firstOffset());
            }
            chunks.clear();
            return;
        }
        long n = 0;
        for (Chunk c : out) {
            for (Map.Entry<CountKey, Long> e : c.counts().entrySet()) {
                n += e.getValue();
                totals.computeIfAbsent(e.getKey().projectId() + "\u0000" + e.getKey().stage(), k -> new LongAdder()).add(e.getValue());
            }
        }
        counted.addAndGet(n);
        chunks.clear();
        if (allRead && !consumer.assignment().isEmpty()) {
            caughtUpToMs.set(now);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // what was read is inserted now; what is not is read again by the next owner from dq_counts
            List<Chunk> out = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                Chunk c = chunks.remove(tp);
                if (c != null) {
                    c.advanceTo(consumer.position(tp));
                    out.add(c);
                }
            }
            try {
                store.insert(out, clock.getAsLong());
            } catch (RuntimeException e) {
                LOG.warn("data-quality counts of revoked partitions not inserted ({}); the next owner reads them", e.toString());
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<String, Map<Integer, Long>> next = new HashMap<>();
            for (TopicPartition tp : partitions) {
                Long offset = next.computeIfAbsent(tp.topic(), store::nextOffsets).get(tp.partition());
                if (offset != null) {
                    consumer.seek(tp, offset);
                } else {
                    consumer.seekToBeginning(List.of(tp));
                }
                chunks.remove(tp);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(chunks::remove); // another member owns them already: its counts start from dq_counts
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
