package io.beacon.loadtest.bench;

import io.beacon.loadtest.jmh.AssignmentBenchmark;
import io.beacon.loadtest.jmh.PipelineStagesBenchmark;
import io.beacon.loadtest.jmh.ScoringBenchmark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks of {@code io.beacon.loadtest.jmh} (pipeline stages, A/B assignment, ML scoring) in a forked JVM with few iterations
 * (the bench must fit in minutes): 1 fork, 3 × 1 s warm-up, 5 × 1 s measurement.
 */
final class MicroBenchmarks {
    private static final Map<String, String> WHAT = Map.ofEntries(
            Map.entry("gatewayBatchOf100", "gateway: parse + split + map + encode one /v1/batch body of 100 events"),
            Map.entry("topologyRecord", "topology: decode envelope + EventMapper.map + encode event, per record"),
            Map.entry("eventMapperMap", "EventMapper.map alone, per event"),
            Map.entry("sinkRecord", "sink: decode event + EventRows.toJson, per record"),
            Map.entry("eventRowsToJson", "EventRows.toJson alone, per event"),
            Map.entry("hashV2", "abtest: GrowthBook hash v2 of one value"),
            Map.entry("assignOneExperiment", "abtest: Assigner.assign, one unit in one experiment"),
            Map.entry("assignTenExperimentsWithStickyAndExposures", "abtest: AssignmentService, one returning unit in 10 experiments, sticky + exposure ledger"),
            Map.entry("assignTenExperimentsWithStickyNoExposures", "abtest: AssignmentService, one unit in 10 experiments, sticky, no exposures"),
            Map.entry("logisticExtractAndScore", "ml: FeatureExtractor + Scorer (logistic fast path), per user"),
            Map.entry("xgboostExtractAndScore", "ml: FeatureExtractor + Scorer (XGBoost through Tribuo), per user"),
            Map.entry("extractOnly", "ml: FeatureExtractor alone, per user"));
    /** The issue-8 figure: in-process assignment per experiment, from the 10-experiment service benchmark. */
    static final String ASSIGNMENT_FIGURE = "in-process assignment µs per experiment";
    /** The issue-18 figures: feature extraction + score per user. */
    static final String SCORING_FIGURE = "feature extraction + score µs per user (logistic)";
    static final String XGBOOST_SCORING_FIGURE = "feature extraction + score µs per user (xgboost)";

    private MicroBenchmarks() {
    }

    static List<Figure> run(Path log) throws RunnerException {
        // JMH refuses to start while another JMH run on the machine holds /tmp/jmh.lock; on a shared machine
        // that is another engineer's run, whose forks do not interfere with ours beyond CPU (noted as load).
        System.setProperty("jmh.ignoreLock", "true");
        Options options = new OptionsBuilder()
                .include(PipelineStagesBenchmark.class.getName())
                .include(AssignmentBenchmark.class.getName())
                .include(ScoringBenchmark.class.getName())
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgs("-Xms512m", "-Xmx512m")
                .output(log.toString())
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        List<Figure> out = new ArrayList<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            var primary = r.getPrimaryResult();
            String value = String.format(Locale.ROOT, "%.2f ± %.2f %s", primary.getScore(),
                    Double.isNaN(primary.getScoreError()) ? 0 : primary.getScoreError(), primary.getScoreUnit());
            String note = WHAT.getOrDefault(method, method);
            if (method.equals("gatewayBatchOf100")) {
                note += String.format(Locale.ROOT, " (%.2f µs/event: one core could prepare %.0fK events/s)",
                        primary.getScore() / 100, 100_000 / primary.getScore());
            } else if (primary.getScore() > 0) {
                note += String.format(Locale.ROOT, " (one core: %.0fK/s)", 1_000 / primary.getScore());
            }
            out.add(Figure.info("micro (JMH)", method, value, note));
            if (method.equals("assignTenExperimentsWithStickyAndExposures")) {
                double perExperimentMicros = primary.getScore() / 10 / 1_000; // score in ns per unit of 10 experiments
                out.add(new Figure("abtest", ASSIGNMENT_FIGURE, String.format(Locale.ROOT, "%.3f µs", perExperimentMicros), "—", "—",
                        "≤ 1 µs", Figure.check(perExperimentMicros <= 1.0),
                        "JMH `io.beacon.loadtest.jmh.AssignmentBenchmark.assignTenExperimentsWithStickyAndExposures` / 10: "
                                + "AssignmentService with sticky bucketing (in-memory store) and exposure logging (ledger) for returning units"));
            }
            if (method.equals("logisticExtractAndScore")) {
                double micros = primary.getScore() / 1_000; // score in ns per user
                out.add(new Figure("ml", SCORING_FIGURE, String.format(Locale.ROOT, "%.3f µs", micros), "—", "—",
                        "≤ 20 µs", Figure.check(micros <= 20.0),
                        "JMH `io.beacon.loadtest.jmh.ScoringBenchmark.logisticExtractAndScore`: FeatureExtractor.extractInto + "
                                + "Scorer.value on a model loaded from a model directory, synthetic users"));
            }
            if (method.equals("xgboostExtractAndScore")) {
                out.add(Figure.info("ml", XGBOOST_SCORING_FIGURE, String.format(Locale.ROOT, "%.3f µs", primary.getScore() / 1_000),
                        "JMH `io.beacon.loadtest.jmh.ScoringBenchmark.xgboostExtractAndScore`: 100 trees of depth 4 through Tribuo's predict"));
            }
        }
        return out;
    }
}
