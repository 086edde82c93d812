package io.beacon.loadtest.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.devstack.BeaconStack;
import io.beacon.engine.runtime.Engine;
import io.beacon.engine.runtime.EngineMetrics;
import io.beacon.engine.runtime.EngineRuntimeSettings;
import io.beacon.engine.runtime.ModelCatalog;
import io.beacon.engine.runtime.ScoringSource;
import io.beacon.engine.scoring.ScoringSettings;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventType;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.dataset.Dataset;
import io.beacon.ml.dataset.DatasetRow;
import io.beacon.ml.registry.ModelManifest;
import io.beacon.ml.registry.ModelStore;
import io.beacon.ml.train.Training;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (i) Engine throughput with online scoring on vs off, in the same run: two pre-filled topics of the same events (same
 * seed, same size, users and partitions as {@link EngineBench}), each consumed flat out by its own engine node with the
 * 5 segments of {@link EngineBench#segments()}, one after the other: (a) {@link ScoringSource#NONE}; (b) a
 * {@link ModelCatalog} with a logistic churn model (trained here on synthetic rows of the serving spec of
 * reference.conf) promoted for the bench project, scoring settings (debounce, thresholds) from reference.conf.
 */
final class EngineScoringBench {
    private static final Logger LOG = LoggerFactory.getLogger(EngineScoringBench.class);
    static final String TARGET = "≥ 70 % of the no-scoring rate";
    static final double TARGET_RATIO = 0.70;
    private static final long SEED = 42;

    /** One engine node's run over a pre-filled topic. */
    record Run(String label, long events, double seconds, long warmupEvents, boolean jitSettled, long steadyEvents,
               double steadySeconds, long scores) {
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
            long scores = 0;
            for (Run r : runs) {
                events += r.events();
                seconds += r.seconds();
                warmup += r.warmupEvents();
                settled &= r.jitSettled();
                steadyEvents += r.steadyEvents();
                steadySeconds += r.steadySeconds();
                scores += r.scores();
            }
            return new Run(label, events, seconds, warmup, settled, steadyEvents, steadySeconds, scores);
        }
    }

    /**
     * @param off  the off runs combined
     * @param on   the on runs combined
     * @param runs every measured run in the order run
     */
    record Result(Run off, Run on, String modelVersion, Duration debounce, int features, List<Run> runs) {
        double ratio() {
            return on.steadyPerSecond() / off.steadyPerSecond();
        }

        double wholeRunRatio() {
            return on.perSecond() / off.perSecond();
        }

        boolean met() {
            return ratio() >= TARGET_RATIO && on.scores() > 0;
        }
    }

    private EngineScoringBench() {
    }

    static Result run(BeaconStack stack, Scale scale) throws Exception {
        boolean quick = scale.name().equals("quick");
        int events = Integer.getInteger("beacon.bench.scoring-events", quick ? 100_000 : 600_000);
        Config base = ConfigFactory.load();
        ScoringSettings scoring = ScoringSettings.fromConfig(base);
        Path modelDir = Files.createTempDirectory("beacon-bench-models-");
        try {
            ModelStore store = new ModelStore(modelDir);
            ModelManifest model = writeChurnModel(store, scoring.servingSpec());
            ModelCatalog catalog = new ModelCatalog(store, scoring);
            Optional<ModelCatalog.Refusal> refused = catalog.promote(EngineBench.PROJECT, Task.CHURN, model.version());
            if (refused.isPresent()) {
                throw new IllegalStateException("bench churn model refused: " + refused.get());
            }
            // an untimed node first, scoring on, so that neither measured run pays the JIT warm-up of the engine and
            // scoring paths for the other (measured off first, the off run was the one compiling them)
            runOne(stack, base, "warmup", catalog, warmupEvents(events));
            // off, on, on, off (and so on): the load of the shared machine drifts, an ABBA order cancels a linear drift
            List<Run> runs = new ArrayList<>();
            List<Run> offs = new ArrayList<>();
            List<Run> ons = new ArrayList<>();
            for (int round = 0; round < rounds(quick); round++) {
                boolean onFirst = round % 2 == 1;
                for (int k = 0; k < 2; k++) {
                    boolean on = (k == 0) == onFirst;
                    Run r = runOne(stack, base, on ? "on" : "off", on ? catalog : ScoringSource.NONE, events);
                    runs.add(r);
                    (on ? ons : offs).add(r);
                }
            }
            Run off = Run.combined("off", offs);
            Run on = Run.combined("on", ons);
            LOG.info("scoring bench: off {} events/s, on {} events/s (steady), {} scores", off.steadyPerSecond(), on.steadyPerSecond(),
                    on.scores());
            return new Result(off, on, model.version(), scoring.debounce(), scoring.servingSpec().size(), runs);
        } finally {
            deleteQuietly(modelDir);
        }
    }

    private static Run runOne(BeaconStack stack, Config base, String label, ScoringSource scoring, int events) throws Exception {
        String prefix = "bench-scoring-" + label + "-" + Long.toHexString(System.nanoTime()) + ".";
        String topic = prefix + "beacon.events.valid";
        stack.kafka().createTopics(Map.of(topic, EngineBench.PARTITIONS));
        prefill(stack.kafka().bootstrapServers(), topic, events);
        Path stateDir = Files.createTempDirectory("beacon-bench-scoring-");
        Map<String, Object> m = new HashMap<>();
        m.put("beacon.kafka.bootstrap-servers", stack.kafka().bootstrapServers());
        m.put("beacon.kafka.topic-prefix", prefix);
        m.put("beacon.engine.state-dir", stateDir.toString());
        m.put("beacon.engine.node-id", "bench-scoring-" + label);
        Config config = ConfigFactory.parseMap(m).withFallback(base);
        EngineRuntimeSettings settings = EngineRuntimeSettings.fromConfig(config);
        List<SegmentDefinition> segments = EngineBench.segments();
        long scoresBefore = EngineMetrics.scoresComputed();
        try (Engine engine = Engine.start(config, settings, p -> p.equals(EngineBench.PROJECT) ? segments : List.of(), scoring,
                System::currentTimeMillis)) {
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
            long scores = EngineMetrics.scoresComputed() - scoresBefore;
            if (done < events) {
                throw new IllegalStateException("scoring " + label + ": " + done + " of " + events + " events processed before the deadline");
            }
            if (tWarm < 0) {
                tWarm = t1;
            }
            Run run = new Run(label, done, (t2 - t1) / 1e9, atWarm, jitSettled, done - atWarm, (t2 - tWarm) / 1e9, scores);
            LOG.info("scoring bench {}: {} events in {} s ({} events/s); after the first {}: {} events/s; {} scores; stages {}",
                    label, done, run.seconds(), run.perSecond(), atWarm, run.steadyPerSecond(), scores, engine.metrics().stageSeconds());
            return run;
        } finally {
            deleteQuietly(stateDir);
        }
    }

    /** The events of {@link EngineBench}'s throughput run: page/click/purchase of {@link EngineBench#USERS} users over 2 days. */
    private static void prefill(String bootstrap, String topic, int events) {
        long now = System.currentTimeMillis();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            Random random = new Random(SEED);
            for (int i = 0; i < events; i++) {
                String person = "u" + random.nextInt(EngineBench.USERS);
                int kind = random.nextInt(10);
                String name = kind == 0 ? "purchase" : kind < 7 ? "page" : "click";
                Map<String, Object> props = kind == 0 ? Map.of("revenue", 10 + random.nextInt(90)) : Map.of();
                long t = now - random.nextInt(2 * 24 * 3_600_000);
                Event e = new Event("e" + i, EngineBench.PROJECT, EventType.TRACK, name, person, null, "s-" + person, t, t, null, null,
                        "web", null, null, null, null, null, null, null, null, null, null, null, null, null, "bench", "1",
                        null, null, props, Map.of(), List.of(), person);
                producer.send(new ProducerRecord<>(topic, e.personKey(), EventCodec.encode(e)));
            }
            producer.flush();
        }
    }

    static int rounds(boolean quick) {
        return Integer.getInteger("beacon.bench.scoring-rounds", quick ? 1 : 2);
    }

    static int warmupEvents(int events) {
        return events / 3;
    }

    /** Trains the bench's logistic churn model on {@link #churnDataset} and writes it to {@code store}. */
    static ModelManifest writeChurnModel(ModelStore store, FeatureSpec spec) throws IOException {
        return store.write(Training.train(churnDataset(spec), TrainerKind.LOGISTIC, SEED, line -> { }), Instant.now());
    }

    /** Synthetic churn rows on {@code spec}: churn follows recency (a user gone for more than ~10 days churns). */
    static Dataset churnDataset(FeatureSpec spec) {
        Random r = new Random(SEED);
        int recency = spec.indexOf(FeatureSpec.RECENCY_DAYS);
        int tenure = spec.indexOf(FeatureSpec.TENURE_DAYS);
        int events30d = spec.indexOf(FeatureSpec.EVENTS_30D);
        int revenue30d = spec.indexOf(FeatureSpec.REVENUE_30D);
        List<DatasetRow> rows = new ArrayList<>();
        for (int cutoff = 1; cutoff <= 2; cutoff++) {
            for (int i = 0; i < 500; i++) {
                double[] x = new double[spec.size()];
                double days = r.nextDouble() * 30;
                x[recency] = days;
                x[tenure] = days + r.nextDouble() * 60;
                x[events30d] = 1 + r.nextInt(20);
                x[revenue30d] = r.nextInt(4) * 25.0;
                double label = days + r.nextGaussian() * 2 > 10 ? 1 : 0;
                rows.add(new DatasetRow("p" + i, cutoff * 1_000_000L, x, label, 0));
            }
        }
        return new Dataset(Task.CHURN, spec, rows);
    }

    static List<Figure> figures(Result r) {
        List<Figure> out = new ArrayList<>();
        Run off = r.off();
        Run on = r.on();
        List<String> each = new ArrayList<>();
        for (Run run : r.runs()) {
            each.add(String.format(Locale.ROOT, "%s %,.0f", run.label(), run.steadyPerSecond()));
        }
        long perRun = r.runs().isEmpty() ? off.events() : r.runs().get(0).events();
        out.add(new Figure("ml", "engine events/s with churn scoring on vs off (one node, 5 segments)",
                String.format(Locale.ROOT, "%,.0f events/s", on.steadyPerSecond()),
                String.format(Locale.ROOT, "scoring off: %,.0f events/s", off.steadyPerSecond()),
                String.format(Locale.ROOT, "%.0f %%", r.ratio() * 100), TARGET, Figure.check(r.met()),
                String.format(Locale.ROOT, "the same %,d pre-filled events of %,d users (seed %d) on a topic of its own per run, consumed "
                                + "flat out by a fresh engine node each, after an untimed warm-up node (scoring on, %,d events); "
                                + "runs in the order %s (steady events/s each); the rates are summed events over summed seconds "
                                + "per mode; steady state after the JIT warm-up "
                                + "(off: %s, on: %s): off %,d events in %.1f s, on %,d events in %.1f s; whole runs: off %,.0f events/s "
                                + "(%.1f s), on %,.0f events/s (%.1f s), ratio %.0f %%; %,d scores computed in the on runs "
                                + "(EngineMetrics), model %s",
                        perRun, EngineBench.USERS, SEED, warmupEvents((int) perRun), String.join(", ", each), warmup(off), warmup(on), off.steadyEvents(), off.steadySeconds(),
                        on.steadyEvents(), on.steadySeconds(), off.perSecond(), off.seconds(), on.perSecond(), on.seconds(),
                        r.wholeRunRatio() * 100, on.scores(), r.modelVersion())));
        out.add(new Figure("ml", "scores computed while the on runs consumed their topics", String.format(Locale.ROOT, "%,d", on.scores()),
                "—", "—", "> 0", Figure.check(on.scores() > 0),
                String.format(Locale.ROOT, "churn_risk per user, debounce %d ms (reference.conf): a user is scored at most once per "
                        + "debounce after events, later events set a timer; %,d users, %,d events over the on runs", r.debounce().toMillis(),
                        EngineBench.USERS, on.events())));
        return out;
    }

    static String method(Scale scale) {
        return String.format(Locale.ROOT, "(i) Scoring on vs off: %,d canonical events of %,d users (the engine phase's generator, "
                        + "seed %d) pre-filled once per run on a topic of its own, %d partitions; an untimed warm-up node (scoring on, a third of the events) first, then %d rounds of two nodes in ABBA order (off, on, on, off, …): (a) with `ScoringSource.NONE`, (b) with a "
                        + "`ModelCatalog` serving a logistic churn model (ml-models `Training`, %s, on 1,000 synthetic rows of the "
                        + "serving spec of reference.conf, churn following recency) promoted for the bench project; both with the 5 "
                        + "segments of (g) and the scoring settings of reference.conf. Events/s from the first applied record until all "
                        + "are processed, the figure from when the JIT compilers spent ≤ 3 %% of a 3 s window compiling (at the latest "
                        + "half the events); per mode summed events over summed seconds; ratio = on / off.",
                Integer.getInteger("beacon.bench.scoring-events", scale.name().equals("quick") ? 100_000 : 600_000), EngineBench.USERS, SEED,
                EngineBench.PARTITIONS, rounds(scale.name().equals("quick")), TrainerKind.LOGISTIC);
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
