package io.beacon.loadtest.jmh;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.abtest.assignment.Assigner;
import io.beacon.abtest.assignment.AssignmentService;
import io.beacon.abtest.assignment.InMemoryStickyBucketStore;
import io.beacon.abtest.experiment.CompiledExperiment;
import io.beacon.abtest.experiment.Experiment;
import io.beacon.abtest.experiment.ExperimentCatalog;
import io.beacon.abtest.experiment.ExperimentStatus;
import io.beacon.abtest.experiment.Metric;
import io.beacon.abtest.experiment.MetricType;
import io.beacon.abtest.experiment.Variation;
import io.beacon.abtest.exposure.ExposureLogger;
import io.beacon.abtest.hashing.GrowthBookHash;
import io.beacon.control.store.InMemoryConfigStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * In-process assignment cost (issue 8's target: at most 1 µs per experiment), run by {@code ./beacon bench}
 * (phase {@code jmh}) with the pipeline benchmarks. Benchmarks: the bare v2 hash; one experiment through the
 * pure {@link Assigner}; and a unit through {@link AssignmentService} across 10 running experiments with
 * sticky bucketing (in-memory store), with and without exposure logging to a no-op sink (the production
 * exposure ledger, so returning units cost the ledger look-ups) — divide those scores by 10 for the
 * per-experiment cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AssignmentBenchmark {
    private CompiledExperiment compiled;
    private AssignmentService service;
    private ObjectNode[] users;
    private int next;

    @Setup
    public void setUp() {
        compiled = CompiledExperiment.compile(twoWay("bench"));
        InMemoryConfigStore store = new InMemoryConfigStore();
        ExperimentCatalog catalog = new ExperimentCatalog(store);
        for (int i = 0; i < 10; i++) {
            catalog.create("p", twoWay("exp-" + i)).toCompletableFuture().join();
        }
        service = new AssignmentService(catalog, new InMemoryStickyBucketStore(),
                new ExposureLogger(envs -> CompletableFuture.completedFuture(null), System::currentTimeMillis, 1_000_000), true);
        users = new ObjectNode[4096];
        for (int i = 0; i < users.length; i++) {
            users[i] = JsonNodeFactory.instance.objectNode().put("user_id", "user-" + i).put("country", "US");
        }
    }

    /** A running 50/50 experiment with defaults (seed = key, hash v2, user_id), like the API creates. */
    static Experiment twoWay(String key) {
        return new Experiment(key, null, null, ExperimentStatus.RUNNING,
                List.of(new Variation("control", null, null), new Variation("treatment", null, null)),
                null, null, null, null, null, null, null, null, null,
                List.of(new Metric(null, "purchase", MetricType.CONVERSION, null, null)), List.of(), Map.of(), null, null)
                .withDefaults();
    }

    @Benchmark
    public double hashV2() {
        return GrowthBookHash.hashOrNaN("bench", "user-" + (next++ & 4095), 2);
    }

    @Benchmark
    public Object assignOneExperiment() {
        return Assigner.assign(compiled, users[next++ & 4095], Map.of(), null, null);
    }

    @Benchmark
    public Object assignTenExperimentsWithStickyAndExposures() {
        return service.assign("p", users[next++ & 4095], Map.of(), null, true);
    }

    @Benchmark
    public Object assignTenExperimentsWithStickyNoExposures() {
        return service.assign("p", users[next++ & 4095], Map.of(), null, false);
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(AssignmentBenchmark.class.getSimpleName()).build()).run();
    }
}
