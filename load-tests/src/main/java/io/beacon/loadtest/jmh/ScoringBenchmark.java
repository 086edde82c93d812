package io.beacon.loadtest.jmh;

import io.beacon.ml.FeatureSpec;
import io.beacon.ml.FeatureState;
import io.beacon.ml.FeatureWindow;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.dataset.Dataset;
import io.beacon.ml.dataset.DatasetRow;
import io.beacon.ml.feature.FeatureExtractor;
import io.beacon.ml.registry.ModelStore;
import io.beacon.ml.score.Scorer;
import io.beacon.ml.train.Training;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Feature extraction + score per user (issue 18's target: at most 20 µs for logistic regression), run by
 * {@code ./beacon bench} (phase {@code jmh}). Models are trained at setup on synthetic users, written to and
 * loaded from a temporary model directory (the serving path), then each invocation extracts the vector of the
 * next of 1,024 synthetic users ({@link SyntheticState}: answers from arrays, as the engine's counters do) and
 * scores it: the logistic fast path, and XGBoost through Tribuo.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScoringBenchmark {
    static final long DAY = 86_400_000L;
    static final long NOW = 1_796_000_000_000L;
    static final FeatureSpec SPEC = FeatureSpec.of(List.of("app_open"), List.of("app_open", "view", "purchase", "share"), FeatureSpec.DEFAULT_HORIZON_MS);

    private Path dir;
    private FeatureExtractor extractor;
    private Scorer logistic;
    private Scorer xgboost;
    private SyntheticState[] users;
    private double[] buffer;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        extractor = new FeatureExtractor(SPEC);
        Random rng = new Random(42);
        users = new SyntheticState[1024];
        for (int i = 0; i < users.length; i++) {
            users[i] = SyntheticState.random(rng);
        }
        Dataset data = dataset(rng);
        dir = Files.createTempDirectory("beacon-scoring-bench");
        ModelStore store = new ModelStore(dir);
        String lv = store.write(Training.train(data, TrainerKind.LOGISTIC, 42, s -> { }), Instant.parse("2026-12-07T00:00:00Z")).version();
        String xv = store.write(Training.train(data, TrainerKind.XGBOOST, 42, s -> { }), Instant.parse("2026-12-07T00:00:01Z")).version();
        logistic = Scorer.of(store.load(lv, Task.CHURN, SPEC));
        xgboost = Scorer.of(store.load(xv, Task.CHURN, SPEC));
        buffer = new double[SPEC.size()];
    }

    /** 4,000 synthetic rows over two cutoffs; churn follows recency and the 7-day trend with noise. */
    static Dataset dataset(Random rng) {
        List<DatasetRow> rows = new ArrayList<>();
        FeatureExtractor x = new FeatureExtractor(SPEC);
        for (int i = 0; i < 4000; i++) {
            double[] f = x.extract(SyntheticState.random(rng), NOW);
            double risk = f[0] / 10 - Math.log(f[SPEC.indexOf(FeatureSpec.TREND_7D)]) + rng.nextGaussian();
            rows.add(new DatasetRow("u" + i, NOW - (i % 2) * 7 * DAY, f, risk > 1 ? 1 : 0, 0));
        }
        return new Dataset(Task.CHURN, SPEC, rows);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private SyntheticState nextUser() {
        next = (next + 1) & (users.length - 1);
        return users[next];
    }

    @Benchmark
    public double logisticExtractAndScore() {
        extractor.extractInto(nextUser(), NOW, buffer);
        return logistic.value(buffer);
    }

    @Benchmark
    public double xgboostExtractAndScore() {
        extractor.extractInto(nextUser(), NOW, buffer);
        return xgboost.value(buffer);
    }

    @Benchmark
    public double extractOnly() {
        extractor.extractInto(nextUser(), NOW, buffer);
        return buffer[0];
    }

    /** A user whose answers come from arrays (window index = {@link FeatureWindow#ordinal()}). */
    static final class SyntheticState implements FeatureState {
        private static final String[] EVENTS = {"app_open", "view", "purchase", "share", "search", "settings"};
        private final long first;
        private final long last;
        private final long sessions;
        private final long[][] counts = new long[EVENTS.length][FeatureWindow.values().length];
        private final long[] all = new long[FeatureWindow.values().length];
        private final double[] revenue = new double[FeatureWindow.values().length];
        private final long[] activeDays = new long[FeatureWindow.values().length];
        private final Optional<String> platform;

        private SyntheticState(Random rng) {
            last = NOW - (long) (rng.nextDouble() * 30 * DAY);
            first = last - (long) (rng.nextDouble() * 200 * DAY);
            sessions = 1 + rng.nextInt(300);
            for (int e = 0; e < EVENTS.length; e++) {
                long d30 = rng.nextInt(200);
                long d7 = d30 == 0 ? 0 : rng.nextInt((int) d30 + 1);
                long prev = d30 - d7 == 0 ? 0 : rng.nextInt((int) (d30 - d7) + 1);
                counts[e][FeatureWindow.H24.ordinal()] = d7 == 0 ? 0 : rng.nextInt((int) d7 + 1);
                counts[e][FeatureWindow.D7.ordinal()] = d7;
                counts[e][FeatureWindow.PREV_D7.ordinal()] = prev;
                counts[e][FeatureWindow.D30.ordinal()] = d30;
                counts[e][FeatureWindow.ALL.ordinal()] = d30 + rng.nextInt(1000);
                for (int w = 0; w < all.length; w++) {
                    all[w] += counts[e][w];
                }
            }
            revenue[FeatureWindow.D7.ordinal()] = rng.nextInt(100);
            revenue[FeatureWindow.D30.ordinal()] = revenue[FeatureWindow.D7.ordinal()] + rng.nextInt(300);
            revenue[FeatureWindow.ALL.ordinal()] = revenue[FeatureWindow.D30.ordinal()] + rng.nextInt(3000);
            activeDays[FeatureWindow.D7.ordinal()] = rng.nextInt(8);
            activeDays[FeatureWindow.D30.ordinal()] = activeDays[FeatureWindow.D7.ordinal()] + rng.nextInt(24);
            String[] platforms = {"iOS", "Android", "web", "Windows"};
            platform = Optional.of(platforms[rng.nextInt(platforms.length)]);
        }

        static SyntheticState random(Random rng) {
            return new SyntheticState(rng);
        }

        @Override
        public long firstSeenMs() {
            return first;
        }

        @Override
        public long lastSeenMs() {
            return last;
        }

        @Override
        public long sessionsCount() {
            return sessions;
        }

        @Override
        public Set<String> eventNames() {
            return Set.of(EVENTS);
        }

        @Override
        public long count(String event, FeatureWindow w, long nowMs) {
            for (int e = 0; e < EVENTS.length; e++) {
                if (EVENTS[e].equals(event)) {
                    return counts[e][w.ordinal()];
                }
            }
            return 0;
        }

        @Override
        public long countAll(FeatureWindow w, long nowMs) {
            return all[w.ordinal()];
        }

        @Override
        public double revenue(FeatureWindow w, long nowMs) {
            return revenue[w.ordinal()];
        }

        @Override
        public long activeDays(FeatureWindow w, long nowMs) {
            return activeDays[w.ordinal()];
        }

        @Override
        public Optional<String> textTrait(String name) {
            return name.equals("platform") ? platform : Optional.empty();
        }
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(ScoringBenchmark.class.getName()).build()).run();
    }
}
