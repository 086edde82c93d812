package io.beacon.abtest.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.abtest.assignment.Assigner;
import io.beacon.abtest.assignment.AssignmentService;
import io.beacon.abtest.assignment.InMemoryStickyBucketStore;
import io.beacon.abtest.experiment.CompiledExperiment;
import io.beacon.abtest.experiment.ExperimentCatalog;
import io.beacon.abtest.experiment.ExperimentFixtures;
import io.beacon.abtest.experiment.ExperimentStatus;
import io.beacon.abtest.exposure.ExposureLogger;
import io.beacon.abtest.hashing.GrowthBookHash;
import io.beacon.control.store.InMemoryConfigStore;
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
 * In-process assignment cost (target: at most 1 µs per experiment). Not a test: run it with
 * {@code mvn -pl abtest test-compile exec:java} or, simpler, from the test classpath:
 * <pre>
 * cd abtest &amp;&amp; mvn -q -o dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) io.beacon.abtest.bench.AssignmentBenchmark
 * </pre>
 * Benchmarks: the bare v2 hash; one experiment through the pure {@link Assigner}; and a unit through
 * {@link AssignmentService} across 10 running experiments with sticky bucketing (in-memory store) and
 * exposure logging to a no-op sink (with the production memory of logged ids) — divide that score by 10 for the per-experiment cost.
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
        compiled = CompiledExperiment.compile(ExperimentFixtures.twoWay("bench", ExperimentStatus.RUNNING));
        InMemoryConfigStore store = new InMemoryConfigStore();
        ExperimentCatalog catalog = new ExperimentCatalog(store);
        for (int i = 0; i < 10; i++) {
            catalog.create("p", ExperimentFixtures.twoWay("exp-" + i, ExperimentStatus.RUNNING)).toCompletableFuture().join();
        }
        service = new AssignmentService(catalog, new InMemoryStickyBucketStore(),
                new ExposureLogger(envs -> CompletableFuture.completedFuture(null), System::currentTimeMillis, 1_000_000), true);
        users = new ObjectNode[4096];
        for (int i = 0; i < users.length; i++) {
            users[i] = JsonNodeFactory.instance.objectNode().put("user_id", "user-" + i).put("country", "US");
        }
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
