package io.beacon.loadtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.beacon.control.journeys.EventFilters;
import io.beacon.control.journeys.FrequencyCaps;
import io.beacon.control.journeys.JourneyContext;
import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyJson;
import io.beacon.control.journeys.JourneyService.PublishedVersion;
import io.beacon.control.journeys.Trigger;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.devstack.BeaconStack;
import io.beacon.engine.runtime.Engine;
import io.beacon.engine.runtime.EngineRuntimeSettings;
import io.beacon.engine.runtime.JourneySource;
import io.beacon.engine.runtime.ProjectJourneys;
import io.beacon.engine.runtime.ScoringSource;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventType;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.OutboxMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
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
 * (j) Journeys in the actor engine (issue 19), in the same run:
 * <ol>
 *   <li><b>Throughput</b>: the same pre-filled events (same seed, a topic of their own per run, {@link EngineBench}'s
 *       users and partitions, with page paths, click elements and purchase categories as properties) consumed flat out
 *       by a fresh engine node with the 5 segments of {@link EngineBench#segments()}, (a) without journeys
 *       ({@link ProjectJourneys#none}), (b) with the {@value #JOURNEYS} live journeys of {@link #definitions()}; an
 *       untimed warm-up node with journeys first, then ABBA rounds as in {@link EngineScoringBench}.</li>
 *   <li><b>Latency</b>: a fresh node with the journeys; an open-model constant rate of events of new users, each a
 *       {@code page /cart} that enters "cart_recovery", whose first step is a send; latency = from the event's produce
 *       call to its outbox record (matched by {@code data.event_id}) read by a read_committed consumer of
 *       {@code beacon.cdp.outbox}, in the same JVM.</li>
 * </ol>
 */
final class JourneyBench {
    private static final Logger LOG = LoggerFactory.getLogger(JourneyBench.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int JOURNEYS = 10;
    static final String THROUGHPUT_TARGET = "≥ 80 % of the no-journeys rate";
    static final double TARGET_RATIO = 0.80;
    static final String LATENCY_TARGET = "p99 ≤ 500 ms";
    static final double LATENCY_TARGET_MS = 500;
    static final int OUTBOX_PARTITIONS = 3;
    private static final long SEED = 42;
    private static final Duration LATENCY_WARMUP = Duration.ofSeconds(5);
    private static final List<String> PATHS = List.of("/", "/products", "/product", "/cart", "/checkout", "/pricing", "/blog", "/help");
    private static final List<String> ELEMENTS = List.of("nav", "banner", "signup", "add_to_cart", "share");
    private static final List<String> CATEGORIES = List.of("shoes", "books", "games", "garden");

    /** One engine node's run over a pre-filled topic. */
    record Run(String label, long events, double seconds, long warmupEvents, boolean jitSettled, long steadyEvents,
               double steadySeconds, long sends, long journeyEvents) {
        double perSecond() {
            return events / seconds;
        }

        double steadyPerSecond() {
            return steadyEvents / steadySeconds;
        }

        /** The runs of one mode taken together: events and seconds summed, so the rate is events over time. */
        static Run combined(String label, List<Run> runs) {
            long events = 0;
            double seconds = 0;
            long warmup = 0;
            boolean settled = true;
            long steadyEvents = 0;
            double steadySeconds = 0;
            long sends = 0;
            long journeyEvents = 0;
            for (Run r : runs) {
                events += r.events();
                seconds += r.seconds();
                warmup += r.warmupEvents();
                settled &= r.jitSettled();
                steadyEvents += r.steadyEvents();
                steadySeconds += r.steadySeconds();
                sends += r.sends();
                journeyEvents += r.journeyEvents();
            }
            return new Run(label, events, seconds, warmup, settled, steadyEvents, steadySeconds, sends, journeyEvents);
        }
    }

    /** Trigger event → outbox record, over {@code sent} trigger events at {@code rate} for {@code measure}. */
    record Latency(Histogram micros, long sent, long received, double rate, Duration measure, Duration warmup) {
        double ms(double percentile) {
            return micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(percentile) / 1000.0;
        }

        boolean met() {
            return sent > 0 && received == sent && ms(99) <= LATENCY_TARGET_MS;
        }
    }

    /**
     * @param none            the runs without journeys combined
     * @param journeys        the runs with journeys combined
     * @param runs            every measured run in the order run
     * @param usersTriggered  users of the pre-filled events with at least one event matching an event trigger
     */
    record Result(Run none, Run journeys, List<Run> runs, long usersTriggered, Latency latency, JfrProfile.Summary profile) {
        double ratio() {
            return journeys.steadyPerSecond() / none.steadyPerSecond();
        }

        double wholeRunRatio() {
            return journeys.perSecond() / none.perSecond();
        }

        boolean throughputMet() {
            return ratio() >= TARGET_RATIO && journeys.sends() > 0 && none.sends() == 0;
        }

        boolean met() {
            return throughputMet() && latency.met();
        }
    }

    private JourneyBench() {
    }

    static Result run(BeaconStack stack, Scale scale, Path work) throws Exception {
        boolean quick = scale.name().equals("quick");
        int events = events(quick);
        Config base = ConfigFactory.load();
        List<JourneyDefinition> definitions = definitions();
        List<PublishedVersion> published = definitions.stream().map(d -> new PublishedVersion(d, 0, Map.of(), 0L)).toList();
        JourneySource withJourneys = p -> p.equals(EngineBench.PROJECT)
                ? ProjectJourneys.of(p, definitions, published, FrequencyCaps.none(p)) : ProjectJourneys.none(p);
        JourneySource without = ProjectJourneys::none;
        long usersTriggered = usersTriggered(definitions, events);
        // an untimed node first, journeys on, so that neither measured mode pays the JIT warm-up of the engine and
        // journey paths for the other
        runOne(stack, base, "warmup", withJourneys, warmupEvents(events));
        // none, journeys, journeys, none (and so on): the load of the shared machine drifts, an ABBA order cancels a linear drift
        List<Run> runs = new ArrayList<>();
        List<Run> nones = new ArrayList<>();
        List<Run> ons = new ArrayList<>();
        JfrProfile jfr = JfrProfile.start("journeys", work.resolve("jfr"));
        JfrProfile.Summary profile;
        try {
            for (int round = 0; round < rounds(quick); round++) {
                boolean onFirst = round % 2 == 1;
                for (int k = 0; k < 2; k++) {
                    boolean on = (k == 0) == onFirst;
                    Run r = runOne(stack, base, on ? "journeys" : "none", on ? withJourneys : without, events);
                    runs.add(r);
                    (on ? ons : nones).add(r);
                }
            }
        } finally {
            profile = jfr.stop();
        }
        Run none = Run.combined("none", nones);
        Run on = Run.combined("journeys", ons);
        LOG.info("journeys bench: none {} events/s, {} journeys {} events/s (steady), {} sends", none.steadyPerSecond(), JOURNEYS,
                on.steadyPerSecond(), on.sends());
        Latency latency = latency(stack, base, withJourneys, quick);
        LOG.info("journeys bench: trigger → outbox p50 {} ms, p99 {} ms, max {} ms; {} of {} received", latency.ms(50), latency.ms(99),
                latency.ms(100), latency.received(), latency.sent());
        return new Result(none, on, runs, usersTriggered, latency, profile);
    }

    /**
     * The 10 live journeys of the bench project: event triggers with property filters on what a share of the users do
     * (a cart or pricing page, a signup or banner click, a big purchase), segment entries of {@link EngineBench#segments()};
     * sends on push, email and crm, delays and waits with timeouts (hours to days: none ends during a run), branches on
     * the user's counts, a random split and trait updates.
     */
    static List<JourneyDefinition> definitions() {
        List<String> texts = List.of(
                """
                {"id":"cart_recovery","name":"Cart recovery","status":"live","priority":9,
                 "trigger":{"type":"event","event":"page","filters":[{"property":"path","op":"eq","value":"/cart"}]},
                 "entry":"remind",
                 "steps":{
                   "remind":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"Your cart is waiting","body":"{{journey.name}}"},"next":"wait"},
                   "wait":{"type":"wait_until","event":{"event":"purchase"},"max_wait":"PT4H","next":"done","timeout_next":"mail"},
                   "mail":{"type":"send","destination_id":"mailer","channel":"email","template":{"subject":"Still thinking it over?"},"next":"done"},
                   "done":{"type":"exit"}},
                 "re_entry":{"policy":"after","cooldown":"P1D"}}""",
                """
                {"id":"pricing_followup","name":"Pricing follow-up","status":"live","priority":5,
                 "trigger":{"type":"event","event":"page","filters":[{"property":"path","op":"eq","value":"/pricing"}]},
                 "entry":"pause",
                 "steps":{
                   "pause":{"type":"delay","duration":"PT2H","next":"bought"},
                   "bought":{"type":"branch","condition":{"event_count":{"event":"purchase","window":"30d","op":"gte","value":1}},"then":"done","else":"mail"},
                   "mail":{"type":"send","destination_id":"mailer","channel":"email","template":{"subject":"Plans compared"},"next":"done"},
                   "done":{"type":"exit"}}}""",
                """
                {"id":"vip_thanks","name":"VIP thanks","status":"live","priority":8,
                 "trigger":{"type":"event","event":"purchase","filters":[{"property":"revenue","op":"gt","value":80}]},
                 "entry":"crm",
                 "steps":{
                   "crm":{"type":"send","destination_id":"crm","channel":"crm","template":{"stage":"vip"},"next":"mark"},
                   "mark":{"type":"update_traits","set":{"vip":true},"next":"done"},
                   "done":{"type":"exit"}},
                 "re_entry":{"policy":"always"}}""",
                """
                {"id":"first_purchase","name":"First purchase","status":"live","priority":7,
                 "trigger":{"type":"event","event":"purchase","filters":[{"property":"category","op":"exists"}]},
                 "entry":"repeat",
                 "steps":{
                   "repeat":{"type":"branch","condition":{"event_count":{"event":"purchase","window":"all","op":"gte","value":2}},"then":"done","else":"welcome"},
                   "welcome":{"type":"send","destination_id":"mailer","channel":"email","template":{"subject":"Thanks for your first order"},"next":"later"},
                   "later":{"type":"delay","duration":"P7D","next":"review"},
                   "review":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"How was it?"},"next":"done"},
                   "done":{"type":"exit"}}}""",
                """
                {"id":"signup_onboarding","name":"Signup onboarding","status":"live","priority":6,
                 "trigger":{"type":"event","event":"click","filters":[{"property":"element","op":"eq","value":"signup"}]},
                 "entry":"hello",
                 "steps":{
                   "hello":{"type":"send","destination_id":"mailer","channel":"email","template":{"subject":"Welcome aboard"},"next":"wait"},
                   "wait":{"type":"wait_until","event":{"event":"purchase"},"max_wait":"P3D","next":"done","timeout_next":"nudge"},
                   "nudge":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"10 % off your first order"},"next":"done"},
                   "done":{"type":"exit"}},
                 "exit_criteria":[{"event":{"event":"purchase","filters":[{"property":"revenue","op":"gt","value":50}]}}]}""",
                """
                {"id":"banner_test","name":"Banner A/B","status":"live","priority":3,
                 "trigger":{"type":"event","event":"click","filters":[{"property":"element","op":"eq","value":"banner"}]},
                 "entry":"ab",
                 "steps":{
                   "ab":{"type":"random_split","branches":[{"percent":50,"next":"a"},{"percent":50,"next":"b"}]},
                   "a":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"Offer A"},"next":"done"},
                   "b":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"Offer B"},"next":"done"},
                   "done":{"type":"exit"}}}""",
                """
                {"id":"help_seekers","name":"Help seekers","status":"live","priority":2,
                 "trigger":{"type":"event","event":"page","filters":[{"property":"path","op":"eq","value":"/help"}]},
                 "entry":"mail",
                 "steps":{
                   "mail":{"type":"send","destination_id":"mailer","channel":"email","template":{"subject":"Can we help?"},"next":"done"},
                   "done":{"type":"exit"}},
                 "re_entry":{"policy":"after","cooldown":"P7D"}}""",
                """
                {"id":"engaged_reward","name":"Engaged reward","status":"live","priority":4,
                 "trigger":{"type":"segment_entered","segment_id":"engaged"},
                 "entry":"push",
                 "steps":{
                   "push":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"A reward for you"},"next":"pause"},
                   "pause":{"type":"delay","duration":"P1D","next":"mail"},
                   "mail":{"type":"send","destination_id":"mailer","channel":"email","template":{"subject":"Your reward expires soon"},"next":"done"},
                   "done":{"type":"exit"}}}""",
                """
                {"id":"browse_abandon","name":"Browse abandonment","status":"live","priority":1,
                 "trigger":{"type":"segment_entered","segment_id":"browsers"},
                 "entry":"pause",
                 "steps":{
                   "pause":{"type":"delay","duration":"P1D","next":"bought"},
                   "bought":{"type":"branch","condition":{"event_count":{"event":"purchase","window":"7d","op":"gte","value":1}},"then":"done","else":"push"},
                   "push":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"Picked for you"},"next":"done"},
                   "done":{"type":"exit"}},
                 "exit_criteria":[{"event":{"event":"purchase"}}]}""",
                """
                {"id":"big_spender","name":"Big spender","status":"live","priority":10,
                 "trigger":{"type":"segment_entered","segment_id":"spenders"},
                 "entry":"crm",
                 "steps":{
                   "crm":{"type":"send","destination_id":"crm","channel":"crm","template":{"stage":"gold"},"next":"tier"},
                   "tier":{"type":"update_traits","set":{"tier":"gold"},"next":"done"},
                   "done":{"type":"exit"}}}""");
        Set<String> segments = Set.of("buyers", "active1h", "engaged", "spenders", "browsers");
        JourneyContext ctx = JourneyContext.of(Set.of("fcm", "mailer", "crm"), segments);
        List<JourneyDefinition> out = new ArrayList<>();
        for (String text : texts) {
            try {
                out.add(JourneyJson.parse(EngineBench.PROJECT, null, (ObjectNode) JSON.readTree(text), ctx));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (out.size() != JOURNEYS) {
            throw new IllegalStateException("expected " + JOURNEYS + " journeys, had " + out.size());
        }
        return out;
    }

    private static Run runOne(BeaconStack stack, Config base, String label, JourneySource journeys, int events) throws Exception {
        String prefix = "bench-journeys-" + label + "-" + Long.toHexString(System.nanoTime()) + ".";
        Path stateDir = Files.createTempDirectory("beacon-bench-journeys-");
        Config config = config(stack, base, prefix, stateDir, "bench-journeys-" + label);
        EngineRuntimeSettings settings = EngineRuntimeSettings.fromConfig(config);
        stack.kafka().createTopics(Map.of(settings.eventsTopic(), EngineBench.PARTITIONS, settings.outboxTopic(), OUTBOX_PARTITIONS));
        prefill(stack.kafka().bootstrapServers(), settings.eventsTopic(), events);
        List<SegmentDefinition> segments = EngineBench.segments();
        try (Engine engine = Engine.start(config, settings, p -> p.equals(EngineBench.PROJECT) ? segments : List.of(), ScoringSource.NONE,
                journeys, System::currentTimeMillis)) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (engine.metrics().recordsProcessed() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5); // poll the metric with a deadline
            }
            long t1 = System.nanoTime();
            long tWarm = -1;
            long atWarm = 0;
            boolean jitSettled = false;
            long windowStart = t1;
            long compileAtWindowStart = JitActivity.compileMillis();
            while (engine.metrics().recordsProcessed() < events && System.nanoTime() < deadline && engine.isRunning()) {
                Thread.sleep(20); // poll interval within the deadline
                long processed = engine.metrics().recordsProcessed();
                long tick = System.nanoTime();
                if (tWarm < 0 && tick - windowStart >= TimeUnit.SECONDS.toNanos(3)) {
                    long compiled = compileAtWindowStart < 0 ? -1 : JitActivity.compileMillis() - compileAtWindowStart;
                    if (JitActivity.settled(compiled, TimeUnit.NANOSECONDS.toMillis(tick - windowStart))) {
                        tWarm = tick;
                        atWarm = processed;
                        jitSettled = true;
                    }
                    windowStart = tick;
                    compileAtWindowStart = JitActivity.compileMillis();
                }
                if (tWarm < 0 && processed >= events / 2) {
                    tWarm = tick;
                    atWarm = processed;
                }
            }
            long t2 = System.nanoTime();
            long done = engine.metrics().recordsProcessed();
            if (done < events) {
                throw new IllegalStateException("journeys " + label + ": " + done + " of " + events + " events processed before the deadline");
            }
            if (tWarm < 0) {
                tWarm = t1;
            }
            Run run = new Run(label, done, (t2 - t1) / 1e9, atWarm, jitSettled, done - atWarm, (t2 - tWarm) / 1e9,
                    engine.metrics().journeySendsEmitted(), engine.metrics().journeyEventsEmitted());
            LOG.info("journeys bench {}: {} events in {} s ({} events/s); after the first {}: {} events/s; {} sends, {} journey events; stages {}",
                    label, done, run.seconds(), run.perSecond(), atWarm, run.steadyPerSecond(), run.sends(), run.journeyEvents(),
                    engine.metrics().stageSeconds());
            return run;
        } finally {
            deleteQuietly(stateDir);
        }
    }

    /** A fresh node with the journeys, fed {@code page /cart} events of new users at a constant rate. */
    private static Latency latency(BeaconStack stack, Config base, JourneySource journeys, boolean quick) throws Exception {
        double rate = latencyRate(quick);
        Duration warmup = LATENCY_WARMUP;
        Duration measure = latencyMeasure(quick);
        String prefix = "bench-journeys-latency-" + Long.toHexString(System.nanoTime()) + ".";
        Path stateDir = Files.createTempDirectory("beacon-bench-journeys-latency-");
        Config config = config(stack, base, prefix, stateDir, "bench-journeys-latency");
        EngineRuntimeSettings settings = EngineRuntimeSettings.fromConfig(config);
        stack.kafka().createTopics(Map.of(settings.eventsTopic(), EngineBench.PARTITIONS, settings.outboxTopic(), OUTBOX_PARTITIONS));
        List<SegmentDefinition> segments = EngineBench.segments();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        AtomicLong received = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        try (Engine engine = Engine.start(config, settings, p -> p.equals(EngineBench.PROJECT) ? segments : List.of(), ScoringSource.NONE,
                journeys, System::currentTimeMillis)) {
            long ready = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!(engine.ownedPartitions().size() == EngineBench.PARTITIONS && "ok".equals(engine.readiness())) && System.nanoTime() < ready) {
                Thread.sleep(20); // poll the node's readiness with a deadline
            }
            if (engine.ownedPartitions().size() != EngineBench.PARTITIONS) {
                throw new IllegalStateException("latency node owns " + engine.ownedPartitions() + " after 2 min, readiness " + engine.readiness());
            }
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < OUTBOX_PARTITIONS; i++) {
                tps.add(new TopicPartition(settings.outboxTopic(), i));
            }
            consumer.assign(tps);
            consumer.seekToEnd(tps);
            tps.forEach(consumer::position); // fix the start before the first event is sent
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        long at = System.nanoTime();
                        OutboxMessage m = CdpCodec.decodeMessage(r.value());
                        JsonNode id = m.data().path("event_id");
                        Long sent = id.isTextual() ? sentAt.remove(id.asText()) : null;
                        if (sent != null && id.asText().startsWith("lat-")) {
                            histogram.recordValue(Math.min(histogram.getHighestTrackableValue(), (at - sent) / 1000));
                            received.incrementAndGet();
                        }
                    }
                }
                consumer.close();
            }, "journey-bench-outbox");
            reader.start();
            long sent = 0;
            try (KafkaProducer<String, byte[]> producer = producer(stack.kafka().bootstrapServers())) {
                // an unrecorded warm-up at the same rate (the node's first transactions, its users' first state), then the measured run
                paced(producer, settings.eventsTopic(), "warm-", rate, warmup, sentAt);
                sent = paced(producer, settings.eventsTopic(), "lat-", rate, measure, sentAt);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.get() < sent && System.nanoTime() < deadline) {
                Thread.sleep(20); // poll interval within the deadline
            }
            stop.set(true);
            reader.join(5_000);
            return new Latency(histogram, sent, received.get(), rate, measure, warmup);
        } finally {
            stop.set(true);
            deleteQuietly(stateDir);
        }
    }

    /** Produces one {@code page /cart} event of a new user every 1/{@code rate} s for {@code length}; returns how many. */
    private static long paced(KafkaProducer<String, byte[]> producer, String topic, String idPrefix, double rate, Duration length,
                              Map<String, Long> sentAt) {
        long sent = 0;
        long start = System.nanoTime();
        long end = start + length.toNanos();
        for (long k = 0; ; k++) {
            long due = start + (long) (k * 1e9 / rate);
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String id = idPrefix + k;
            Event e = event("cart-" + idPrefix + k, "page", System.currentTimeMillis(), id, Map.of("path", "/cart"));
            sentAt.put(id, System.nanoTime());
            producer.send(new ProducerRecord<>(topic, e.personKey(), EventCodec.encode(e)));
            sent++;
        }
        producer.flush();
        return sent;
    }

    private static Config config(BeaconStack stack, Config base, String prefix, Path stateDir, String nodeId) {
        Map<String, Object> m = new HashMap<>();
        m.put("beacon.kafka.bootstrap-servers", stack.kafka().bootstrapServers());
        m.put("beacon.kafka.topic-prefix", prefix);
        m.put("beacon.engine.state-dir", stateDir.toString());
        m.put("beacon.engine.node-id", nodeId);
        return ConfigFactory.parseMap(m).withFallback(base);
    }

    /**
     * The events of {@link EngineBench}'s throughput run (page/click/purchase of {@link EngineBench#USERS} users over 2
     * days, seed 42), with properties: a page's path, a click's element, a purchase's revenue and category.
     */
    private static void prefill(String bootstrap, String topic, int events) {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            generate(events, System.currentTimeMillis(), e -> producer.send(new ProducerRecord<>(topic, e.personKey(), EventCodec.encode(e))));
            producer.flush();
        }
    }

    private static void generate(int events, long now, Consumer<Event> out) {
        Random random = new Random(SEED);
        for (int i = 0; i < events; i++) {
            String person = "u" + random.nextInt(EngineBench.USERS);
            int kind = random.nextInt(10);
            long t = now - random.nextInt(2 * 24 * 3_600_000);
            Event e;
            if (kind == 0) {
                e = event(person, "purchase", t, "e" + i, Map.of("revenue", 10 + random.nextInt(90),
                        "category", CATEGORIES.get(random.nextInt(CATEGORIES.size()))));
            } else if (kind < 7) {
                e = event(person, "page", t, "e" + i, Map.of("path", PATHS.get(random.nextInt(PATHS.size()))));
            } else {
                e = event(person, "click", t, "e" + i, Map.of("element", ELEMENTS.get(random.nextInt(ELEMENTS.size()))));
            }
            out.accept(e);
        }
    }

    /** Users of the pre-filled events with at least one event that matches an event trigger of {@code definitions}. */
    static long usersTriggered(List<JourneyDefinition> definitions, int events) {
        List<Trigger.Event> triggers = new ArrayList<>();
        for (JourneyDefinition d : definitions) {
            if (d.trigger() instanceof Trigger.Event t) {
                triggers.add(t);
            }
        }
        BitSet users = new BitSet(EngineBench.USERS);
        generate(events, System.currentTimeMillis(), e -> {
            JsonNode props = JSON.valueToTree(e.properties());
            for (Trigger.Event t : triggers) {
                if (EventFilters.matches(t.match(), e.eventName(), props)) {
                    users.set(Integer.parseInt(e.personId().substring(1)));
                    return;
                }
            }
        });
        return users.cardinality();
    }

    private static Event event(String person, String name, long timeMs, String id, Map<String, Object> props) {
        return new Event(id, EngineBench.PROJECT, EventType.TRACK, name, person, null, "s-" + person, timeMs, timeMs, null, null,
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

    static int events(boolean quick) {
        return Integer.getInteger("beacon.bench.journeys-events", quick ? 100_000 : 600_000);
    }

    static int rounds(boolean quick) {
        return Integer.getInteger("beacon.bench.journeys-rounds", quick ? 1 : 2);
    }

    static double latencyRate(boolean quick) {
        return quick ? 500 : 1_000;
    }

    static Duration latencyMeasure(boolean quick) {
        return quick ? Duration.ofSeconds(10) : Duration.ofSeconds(30);
    }

    static int warmupEvents(int events) {
        return events / 3;
    }

    static List<Figure> figures(Result r) {
        List<Figure> out = new ArrayList<>();
        Run none = r.none();
        Run on = r.journeys();
        List<String> each = new ArrayList<>();
        for (Run run : r.runs()) {
            each.add(String.format(Locale.ROOT, "%s %,.0f", run.label(), run.steadyPerSecond()));
        }
        long perRun = r.runs().isEmpty() ? none.events() : r.runs().get(0).events();
        boolean throughputMet = r.throughputMet();
        out.add(new Figure("journeys", "engine events/s with " + JOURNEYS + " live journeys vs none (one node, 5 segments)",
                String.format(Locale.ROOT, "%,.0f events/s", on.steadyPerSecond()),
                String.format(Locale.ROOT, "no journeys: %,.0f events/s", none.steadyPerSecond()),
                String.format(Locale.ROOT, "%.0f %%", r.ratio() * 100), THROUGHPUT_TARGET, Figure.check(throughputMet),
                (throughputMet ? "" : "**missed: see the JFR profile `journeys` below (all measured runs, their pre-fills included)**; ")
                        + String.format(Locale.ROOT, "the same %,d pre-filled events of %,d users (seed %d; %,d users, %.0f %%, have an event "
                                        + "matching one of the 7 event triggers; the 3 others enter on segment entries) on a topic of its own per run, "
                                        + "consumed flat out by a fresh engine node each, after an untimed warm-up node (journeys on, %,d events); "
                                        + "runs in the order %s (steady events/s each); the rates are summed events over summed seconds per mode; "
                                        + "steady state after the JIT warm-up (none: %s, journeys: %s): none %,d events in %.1f s, journeys %,d "
                                        + "events in %.1f s; whole runs: none %,.0f events/s (%.1f s), journeys %,.0f events/s (%.1f s), ratio %.0f %%; "
                                        + "the journeys runs wrote %,d sends to the outbox and %,d journey events (EngineMetrics), the none runs %,d",
                                perRun, EngineBench.USERS, SEED, r.usersTriggered(), 100.0 * r.usersTriggered() / EngineBench.USERS,
                                warmupEvents((int) perRun), String.join(", ", each), warmup(none), warmup(on), none.steadyEvents(),
                                none.steadySeconds(), on.steadyEvents(), on.steadySeconds(), none.perSecond(), none.seconds(), on.perSecond(),
                                on.seconds(), r.wholeRunRatio() * 100, on.sends(), on.journeyEvents(), none.sends())));
        Latency l = r.latency();
        boolean latencyMet = l.met();
        out.add(new Figure("journeys", "trigger event → outbox record latency p50 / p99 / max",
                String.format(Locale.ROOT, "%.0f / %.0f / %.0f ms", l.ms(50), l.ms(99), l.ms(100)), "—", "—", LATENCY_TARGET,
                Figure.check(latencyMet),
                (latencyMet ? "" : "**missed: see the JFR profile `journeys` below (the throughput runs' engine paths)**; ")
                        + String.format(Locale.ROOT, "open model, %,.0f trigger events/s (moderate: well under the node's saturation above) "
                                        + "for %d s after an unrecorded %d s at the same rate, each a `page` `/cart` of a new user entering "
                                        + "`cart_recovery` (first step a send) on a fresh node with the %d journeys; from the produce call to the "
                                        + "outbox record with that `data.event_id`, read (read_committed) from beacon.cdp.outbox; %,d of %,d received",
                                l.rate(), l.measure().toSeconds(), l.warmup().toSeconds(), JOURNEYS, l.received(), l.sent())));
        return out;
    }

    static String method(Scale scale) {
        boolean quick = scale.name().equals("quick");
        return String.format(Locale.ROOT, "(j) Journeys: %,d canonical events of %,d users (the engine phase's generator, seed %d, with "
                        + "properties: page `path` of 8, click `element` of 5, purchase `revenue` and `category`) pre-filled once per run on a "
                        + "topic of its own, %d partitions, outbox topic created with %d partitions; an untimed warm-up node (journeys on, a "
                        + "third of the events) first, then %d round(s) of two nodes in ABBA order (none, journeys, journeys, none, …): (a) "
                        + "`ProjectJourneys.none`, (b) %d live journeys (`JourneyJson.parse`, published as version 1: event triggers with "
                        + "property filters on `/cart`, `/pricing` and `/help` pages, `signup` and `banner` clicks, purchases over 80 and "
                        + "with a category; segment-entered triggers on engaged, browsers and spenders; sends on push, email and crm, delays "
                        + "and wait_until timeouts of 2 h to 7 d, so no timer comes due within a run, branches on purchase counts, a 50/50 "
                        + "random split, trait updates, exit criteria, re-entry once, always or after a cool-down); both with the 5 segments "
                        + "of (g), wall clock. Events/s from the first applied record until all are processed, the figure from when the JIT "
                        + "compilers spent ≤ 3 %% of a 3 s window compiling (at the latest half the events); per mode summed events over "
                        + "summed seconds; ratio = journeys / none. Latency: a fresh node with the journeys, %,.0f `page /cart` events of "
                        + "new users a second (open model, due times fixed in advance) for %d s unrecorded then %d s measured; HdrHistogram "
                        + "(3 digits) of the time from the produce call to the read_committed consumer's poll returning the outbox record "
                        + "whose `data.event_id` is the event's id.",
                events(quick), EngineBench.USERS, SEED, EngineBench.PARTITIONS, OUTBOX_PARTITIONS, rounds(quick), JOURNEYS,
                latencyRate(quick), LATENCY_WARMUP.toSeconds(), latencyMeasure(quick).toSeconds());
    }

    private static String warmup(Run run) {
        return String.format(Locale.ROOT, "%,d events%s", run.warmupEvents(), run.jitSettled() ? "" : ", JIT not settled in every run: half its events there");
    }

    private static void deleteQuietly(Path dir) {
        try {
            if (Files.exists(dir)) {
                Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.delete(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                        Files.delete(d);
                        return FileVisitResult.CONTINUE;
                    }
                });
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
