package io.beacon.loadtest.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.Window;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.devstack.BeaconStack;
import io.beacon.engine.runtime.Engine;
import io.beacon.engine.runtime.EngineRuntimeSettings;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventType;
import io.beacon.event.SegmentChange;
import io.beacon.event.SegmentChangeCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (g) Actor engine: one engine node (own Pekko cluster system, RocksDB stores, transactional consumer) with 5
 * segments defined.
 * <ol>
 *   <li><b>Throughput</b>: a pre-filled {@code beacon.events.valid} (3 partitions, canonical events of 50,000
 *       users) consumed flat out: events/s from the first applied record until the group's committed offsets
 *       reach the end (every event applied, snapshot on the changelog, store committed).</li>
 *   <li><b>Latency</b>: an open-model constant rate of events of new users, each of which enters the
 *       "active in the last hour" segment; latency = time from the event's produce call to its change record
 *       read (read_committed) from {@code beacon.segment.changes}, in the same JVM.</li>
 * </ol>
 */
final class EngineBench {
    private static final Logger LOG = LoggerFactory.getLogger(EngineBench.class);
    static final int PARTITIONS = 3;
    static final int USERS = 50_000;
    static final String PROJECT = "bench";

    record Result(long events, double seconds, long warmupEvents, boolean jitSettled, long steadyCompileMs, long steadyEvents,
                  double steadySeconds, Map<String, Double> cpuMicrosPerEvent,
                  Histogram latencyMicros, long latencySent, long latencyReceived,
                  double latencyRate, long changesTotal, JfrProfile.Summary profile) {
        /** Over the whole run, JIT warm-up included. */
        double perSecond() {
            return events / seconds;
        }

        /** After the first {@code warmupEvents} (the JIT compiles the hot paths meanwhile). */
        double steadyPerSecond() {
            return steadyEvents / steadySeconds;
        }

        double ms(double percentile) {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    static List<SegmentDefinition> segments() {
        return List.of(
                new SegmentDefinition(PROJECT, "buyers", "Purchased twice in 7 days", null,
                        new Rule.EventCount("purchase", Window.D7, Cmp.GTE, 2), 1, 0),
                new SegmentDefinition(PROJECT, "active1h", "Active in the last hour", null,
                        new Rule.LastSeenWithin(Duration.ofHours(1)), 1, 0),
                new SegmentDefinition(PROJECT, "engaged", "5 page views in 24 h", null,
                        new Rule.EventCount("page", Window.H24, Cmp.GTE, 5), 1, 0),
                new SegmentDefinition(PROJECT, "spenders", "Revenue over 100 in 30 days", null,
                        new Rule.RevenueCondition(Window.D30, Cmp.GT, 100.0), 1, 0),
                new SegmentDefinition(PROJECT, "browsers", "Viewed, never bought", null,
                        new Rule.And(List.of(new Rule.EventCount("page", Window.ALL, Cmp.GTE, 1),
                                new Rule.Not(new Rule.EventCount("purchase", Window.ALL, Cmp.GTE, 1)))), 1, 0));
    }

    static Result run(BeaconStack stack, Scale scale, Path work) throws Exception {
        boolean quick = scale.name().equals("quick");
        int events = Integer.getInteger("beacon.bench.engine-events", quick ? 100_000 : 3_600_000);
        // the JIT keeps compiling for about a minute (a fresh JVM spent a quarter of its CPU in compiler threads during
        // the first 1.2 M events): throughput is measured from when the compilers have settled (≤ 3 % of a 3 s window),
        // at the latest from half of the events, and over the whole run as well
        int latestWarmup = events / 2;
        double rate = quick ? 1_000 : 2_000;
        Duration measure = quick ? Duration.ofSeconds(10) : Duration.ofSeconds(30);
        String prefix = "bench-engine-" + Long.toHexString(System.nanoTime()) + ".";
        String topic = prefix + "beacon.events.valid";
        stack.kafka().createTopics(Map.of(topic, PARTITIONS));
        Path stateDir = Files.createTempDirectory("beacon-bench-engine-");
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = producer(stack.kafka().bootstrapServers())) {
            Random random = new Random(42);
            for (int i = 0; i < events; i++) {
                String person = "u" + random.nextInt(USERS);
                int kind = random.nextInt(10);
                String name = kind == 0 ? "purchase" : kind < 7 ? "page" : "click";
                Map<String, Object> props = kind == 0 ? Map.of("revenue", 10 + random.nextInt(90)) : Map.of();
                Event e = event(person, name, now - random.nextInt(2 * 24 * 3_600_000), "e" + i, props);
                producer.send(new ProducerRecord<>(topic, e.personKey(), EventCodec.encode(e)));
            }
            producer.flush();
        }
        Map<String, Object> m = new HashMap<>();
        m.put("beacon.kafka.bootstrap-servers", stack.kafka().bootstrapServers());
        m.put("beacon.kafka.topic-prefix", prefix);
        m.put("beacon.engine.state-dir", stateDir.toString());
        m.put("beacon.engine.node-id", "bench");
        Config config = ConfigFactory.parseMap(m).withFallback(ConfigFactory.load());
        EngineRuntimeSettings settings = EngineRuntimeSettings.fromConfig(config);
        List<SegmentDefinition> segments = segments();
        JfrProfile jfr = JfrProfile.start("engine", work.resolve("jfr"));
        boolean jitSettled = false;
        long compileAtWarm = -1;
        Map<String, Double> cpuAtWarm = Map.of();
        try (Engine engine = Engine.start(config, settings, p -> p.equals(PROJECT) ? segments : List.of(), System::currentTimeMillis)) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (engine.metrics().recordsProcessed() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5); // poll the metric with a deadline
            }
            long t1 = System.nanoTime();
            long tWarm = -1;
            long atWarm = 0;
            long jitWindowStart = t1;
            long jitAtWindowStart = JitActivity.compileMillis();
            while (engine.metrics().recordsProcessed() < events && System.nanoTime() < deadline && engine.isRunning()) {
                Thread.sleep(20); // poll interval within the deadline
                long processed = engine.metrics().recordsProcessed();
                long tick = System.nanoTime();
                if (tWarm < 0 && tick - jitWindowStart >= TimeUnit.SECONDS.toNanos(3)) {
                    long compiled = jitAtWindowStart < 0 ? -1 : JitActivity.compileMillis() - jitAtWindowStart;
                    if (JitActivity.settled(compiled, TimeUnit.NANOSECONDS.toMillis(tick - jitWindowStart))) {
                        tWarm = tick;
                        atWarm = processed;
                        jitSettled = true;
                        compileAtWarm = JitActivity.compileMillis();
                    cpuAtWarm = ProcThreadCpu.snapshot();
                        cpuAtWarm = ProcThreadCpu.snapshot();
                    }
                    jitWindowStart = tick;
                    jitAtWindowStart = JitActivity.compileMillis();
                }
                if (tWarm < 0 && processed >= latestWarmup) {
                    tWarm = tick;
                    atWarm = processed;
                    compileAtWarm = JitActivity.compileMillis();
                    cpuAtWarm = ProcThreadCpu.snapshot();
                }
            }
            long t2 = System.nanoTime();
            long steadyCompileMs = compileAtWarm < 0 ? -1 : JitActivity.compileMillis() - compileAtWarm;
            Map<String, Double> cpuPerEvent = ProcThreadCpu.microsPer(cpuAtWarm, ProcThreadCpu.snapshot(),
                    engine.metrics().recordsProcessed() - atWarm);
            LOG.info("engine bench: CPU µs per event in the steady window by thread: {}", cpuPerEvent);
            LOG.info("engine bench: seconds per pipeline stage over the whole run: {}", engine.metrics().stageSeconds());
            double seconds = (t2 - t1) / 1e9;
            long done = engine.metrics().recordsProcessed();
            if (tWarm < 0) {
                tWarm = t1;
            }
            JfrProfile.Summary profile = jfr.stop();
            LOG.info("engine bench: {} events in {} s; after the first {}: {} events in {} s", done, seconds, atWarm,
                    done - atWarm, (t2 - tWarm) / 1e9);
            return latency(stack, settings, engine, done, seconds, atWarm, jitSettled, steadyCompileMs, done - atWarm, (t2 - tWarm) / 1e9, cpuPerEvent, rate, measure,
                    profile);
        } finally {
            deleteQuietly(stateDir);
        }
    }

    private static Result latency(BeaconStack stack, EngineRuntimeSettings settings, Engine engine, long events,
                                  double seconds, long warmupEvents, boolean jitSettled, long steadyCompileMs, long steadyEvents,
                                  double steadySeconds, Map<String, Double> cpuPerEvent,
                                  double rate, Duration measure,
                                  JfrProfile.Summary profile) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        AtomicLong received = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            tps.add(new TopicPartition(settings.changesTopic(), i));
        }
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        tps.forEach(consumer::position); // fix the start before the first event is sent
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    long at = System.nanoTime();
                    SegmentChange c = SegmentChangeCodec.decode(r.value());
                    Long sent = c.eventId() == null || !c.segmentId().equals("active1h") ? null : sentAt.remove(c.eventId());
                    if (sent != null) {
                        histogram.recordValue(Math.min(histogram.getHighestTrackableValue(), (at - sent) / 1000));
                        received.incrementAndGet();
                    }
                }
            }
            consumer.close();
        }, "engine-bench-changes");
        reader.start();
        long sent = 0;
        try (KafkaProducer<String, byte[]> producer = producer(stack.kafka().bootstrapServers())) {
            long start = System.nanoTime();
            long end = start + measure.toNanos();
            for (long k = 0; ; k++) {
                long due = start + (long) (k * 1e9 / rate);
                if (due >= end) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                String id = "lat-" + k;
                Event e = event("new-" + k, "page", System.currentTimeMillis(), id, Map.of());
                sentAt.put(id, System.nanoTime());
                producer.send(new ProducerRecord<>(settings.eventsTopic(), e.personKey(), EventCodec.encode(e)));
                sent++;
            }
            producer.flush();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get() < sent && System.nanoTime() < deadline) {
            Thread.sleep(20); // poll interval within the deadline
        }
        stop.set(true);
        reader.join(5_000);
        return new Result(events, seconds, warmupEvents, jitSettled, steadyCompileMs, steadyEvents, steadySeconds, cpuPerEvent, histogram, sent, received.get(), rate, engine.metrics().segmentChangesEmitted(), profile);
    }

    private static Event event(String person, String name, long timeMs, String id, Map<String, Object> props) {
        return new Event(id, PROJECT, EventType.TRACK, name, person, null, "s-" + person, timeMs, timeMs, null, null,
                "web", null, null, null, null, null, null, null, null, null, null, null, null, null, "bench", "1",
                null, null, props, Map.of(), List.of(), person);
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (Exception e) {
            LOG.debug("could not delete {}: {}", dir, e.toString());
        }
    }
}
