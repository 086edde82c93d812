package io.beacon.loadtest.bench;

import io.beacon.devstack.BeaconStack;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./beacon bench}: starts a private stack (Kafka broker in this JVM, ClickHouse child process) in
 * a temporary directory, runs every benchmark with its baseline, and writes {@code BENCHMARKS.md}.
 *
 * <pre>
 * usage: BenchMain [--output FILE] [--quick] [--only jmh,gateway,topology,sink,e2e,assign,engine,scoring,journeys,analytics,cdp]
 * </pre>
 */
public final class BenchMain {
    /**
     * The JDK's {@code HttpClient.sendAsync} (every load generator here) completes each response through
     * CompletableFuture's default executor: with a common-pool parallelism of 1 (any 2-core machine) that is a
     * new thread per response, which made the generator itself a bottleneck. Set before anything starts the
     * common pool (this class's static initializer runs before {@code main}).
     */
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    static {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(BenchMain.class);
    private static final List<String> PHASES = List.of("jmh", "gateway", "topology", "sink", "e2e", "assign", "engine", "scoring", "journeys", "analytics", "cdp");

    private final BenchReport report = new BenchReport();
    private final List<String> loads = new ArrayList<>();
    private double maxLoad;
    private boolean assignMeasured;
    private boolean engineMeasured;
    private boolean scoringMeasured;
    private boolean journeysMeasured;
    private boolean analyticsMeasured;
    private boolean cdpMeasured;

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("beacon.home", ".")).toAbsolutePath().normalize();
        Path output = home.resolve("BENCHMARKS.md");
        Scale scale = Scale.full();
        Set<String> only = new LinkedHashSet<>(PHASES);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--output" -> output = Path.of(args[++i]).toAbsolutePath();
                case "--quick" -> scale = Scale.quick();
                case "--only" -> only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                default -> {
                    System.err.println("usage: bench [--output FILE] [--quick] [--only " + String.join(",", PHASES) + "]");
                    System.exit(2);
                }
            }
        }
        int code = new BenchMain().run(home, output, scale, only);
        System.exit(code);
    }

    private int run(Path home, Path output, Scale scale, Set<String> only) throws Exception {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Path work = home.resolve("load-tests/target/bench");
        deleteRecursively(work);
        Files.createDirectories(work);
        sampleLoad("start");

        machineInfo(home, scale);
        if (only.contains("jmh") && scale.jmh()) {
            phase("jmh", () -> report.figures.addAll(MicroBenchmarks.run(work.resolve("jmh.log"))));
        }
        Path stackDir = Files.createTempDirectory("beacon-bench-stack-");
        try (BeaconStack stack = BeaconStack.start(stackDir)) {
            try (ClickHouse ch = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouse().httpUrl(), "default"))) {
                report.machine.put("ClickHouse", "server " + ch.serverVersion() + " (child process, private data dir); client-v2 over HTTP");
            } catch (RuntimeException e) {
                report.machine.put("ClickHouse", "version unknown: " + e.getMessage());
            }
            if (only.contains("gateway")) {
                phase("gateway", () -> gateway(GatewayBench.run(stack, scale, work)));
            }
            if (only.contains("topology")) {
                phase("topology", () -> topology(TopologyBench.run(stack, scale, work)));
            }
            if (only.contains("sink")) {
                phase("sink", () -> sink(SinkBench.run(stack, scale, work)));
            }
            if (only.contains("e2e")) {
                phase("e2e", () -> freshness(FreshnessBench.run(stack, scale, work)));
            }
            if (only.contains("assign")) {
                phase("assign", () -> assignment(AssignBench.run(stack, scale)));
            }
            if (only.contains("engine")) {
                phase("engine", () -> engine(EngineBench.run(stack, scale, work)));
            }
            if (only.contains("scoring")) {
                phase("scoring", () -> scoring(EngineScoringBench.run(stack, scale)));
            }
            if (only.contains("journeys")) {
                phase("journeys", () -> journeys(JourneyBench.run(stack, scale, work)));
            }
            if (only.contains("analytics")) {
                // 10 M events at full scale; the quick scale tries the harness with 200 K.
                phase("analytics", () -> {
                    report.figures.addAll(AnalyticsBench.figures(AnalyticsBench.run(stack.clickhouse(),
                            scale.name().equals("quick") ? 200_000L : 10_000_000L, 50_000L)));
                    analyticsMeasured = true;
                });
            }
            if (only.contains("cdp")) {
                phase("cdp", () -> cdp(CdpBench.run(stack, scale, work)));
            }
            memory(stack);
        } finally {
            deleteRecursively(stackDir);
        }
        notYetMeasurable();
        methods(scale);
        if (only.contains("assign")) {
            assignMethod(scale);
        }
        if (only.contains("scoring")) {
            report.method.add(EngineScoringBench.method(scale));
        }
        if (only.contains("journeys")) {
            report.method.add(JourneyBench.method(scale));
        }
        if (only.contains("cdp")) {
            report.method.add(CdpBench.method(scale));
        }
        sampleLoad("end");
        long wall = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        report.machine.put("run", DateTimeFormatter.ISO_INSTANT.format(started.truncatedTo(ChronoUnit.SECONDS))
                + ", scale `" + scale.name() + "`, phases " + only + ", wall time " + wall / 60 + " min " + wall % 60 + " s");
        report.machine.put("load average (1/5/15 min)", String.join("; ", loads)
                + String.format(Locale.ROOT, " — max 1-min load %.2f on %d cores", maxLoad, MachineInfo.cores())
                + (maxLoad > MachineInfo.cores() * 0.75
                ? " (**load above the core count — the bench's own broker, ClickHouse, nodes and load generator share 2 cores, plus any other work on the machine: absolute figures are depressed; ratios to same-run baselines are the figures to read**)"
                : ""));
        report.write(output);
        LOG.info("wrote {} ({} s)", output, wall);
        return report.problems.isEmpty() ? 0 : 1;
    }

    @FunctionalInterface
    private interface Phase {
        void run() throws Exception;
    }

    private void phase(String name, Phase body) {
        LOG.info("=== bench phase {} (load average {})", name, MachineInfo.loadAverage());
        long t = System.nanoTime();
        try {
            body.run();
        } catch (Exception | AssertionError e) {
            LOG.error("bench phase {} failed", name, e);
            report.problems.add(name + ": " + e);
        }
        sampleLoad(name);
        LOG.info("=== {} took {} s", name, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t));
    }

    private void sampleLoad(String when) {
        String l = MachineInfo.loadAverage();
        loads.add(when + " " + l);
        double one = MachineInfo.loadAverage1();
        if (!Double.isNaN(one)) {
            maxLoad = Math.max(maxLoad, one);
        }
    }

    private void machineInfo(Path home, Scale scale) {
        report.machine.put("CPU", MachineInfo.cpuModel() + ", " + MachineInfo.cores() + " cores visible to the JVM");
        report.machine.put("memory", MachineInfo.memTotal());
        report.machine.put("OS", MachineInfo.os());
        report.machine.put("JVM", MachineInfo.jvm() + ", bench JVM max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        report.machine.put("Kafka", MachineInfo.kafkaVersion() + " (KRaft broker in the bench JVM, 1 node; clients and Streams " + MachineInfo.kafkaVersion() + ")");
        report.machine.put("Beacon", gitDescribe(home));
    }

    private static String gitDescribe(Path home) {
        try {
            Process p = new ProcessBuilder("git", "-C", home.toString(), "log", "-1", "--format=%h %s").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            Process d = new ProcessBuilder("git", "-C", home.toString(), "status", "--porcelain").redirectErrorStream(true).start();
            boolean dirty = !new String(d.getInputStream().readAllBytes()).isBlank();
            d.waitFor(10, TimeUnit.SECONDS);
            return "commit " + out.replace("|", "/") + (dirty ? " (work tree has uncommitted changes)" : "");
        } catch (IOException e) {
            return "unknown (no git)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    // ---- figures ----

    private void gateway(GatewayBench.Result r) {
        var rep = r.report();
        var pp = r.baseline();
        double rate = rep.acceptedPerSecond();
        double ratio = rate / pp.recordsPerSecond();
        String base = String.format(Locale.ROOT, "ProducerPerformance %,.0f records/s", pp.recordsPerSecond());
        report.figures.add(new Figure("gateway", "events/s, flat out, batches of " + GatewayBench.BATCH + ", " + GatewayBench.CONCURRENCY + " connections",
                String.format(Locale.ROOT, "%,.0f events/s", rate), base, pct(ratio), "≥ 40 % of baseline",
                Figure.check(ratio >= 0.40),
                String.format(Locale.ROOT, "%,d events acknowledged in %.1f s; %d failed requests %s; record %.0f B",
                        rep.eventsAccepted(), rep.elapsed().toMillis() / 1000.0, rep.failedRequests(), rep.errors().isEmpty() ? "" : rep.errors(), r.recordBytes())));
        report.figures.add(new Figure("gateway", "events/s, absolute", String.format(Locale.ROOT, "%,.0f events/s", rate),
                "—", "—", "≥ 50,000 events/s on 2 cores", Figure.check(rate >= 50_000), "same run as above"));
        report.figures.add(new Figure("gateway", "request latency p50 / p99 / max (100-event batch)",
                String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms", rep.latencyMillis(50), rep.latencyMillis(99), rep.latencyMillis(100)),
                String.format(Locale.ROOT, "ProducerPerformance per-record p50 / p99 / max %d / %d / %.0f ms", pp.p50Ms(), pp.p99Ms(), pp.maxLatencyMs()),
                "—", "—", Figure.Status.INFO,
                "both flat out, so latency is queueing-dominated; an HTTP answer waits for Kafka's acks=all of all its 100 events"));
        if (ratio < 0.40 || rate < 50_000) {
            report.missedPhases.add("gateway");
        }
        report.profiles.add(r.profile());
    }

    private void topology(TopologyBench.Result r) {
        double beacon = r.beacon().perSecond();
        double base = r.passThrough().perSecond();
        double ratio = beacon / base;
        report.figures.add(new Figure("topology", "records/s, EventPipeline over a pre-filled raw topic",
                String.format(Locale.ROOT, "%,.0f records/s", beacon),
                String.format(Locale.ROOT, "pass-through Streams app (exactly_once_v2) %,.0f records/s", base), pct(ratio),
                "≥ 50 % of baseline", Figure.check(ratio >= 0.5 && r.beacon().completed()),
                String.format(Locale.ROOT, "%,d records of %.0f B; start-up to first commit %d ms (Beacon) / %d ms (baseline)%s",
                        r.records(), r.recordBytes(), r.beacon().startupMillis(), r.passThrough().startupMillis(),
                        r.beacon().completed() ? "" : "; EventPipeline did NOT finish: " + r.beacon())));
        if (ratio < 0.5) {
            report.missedPhases.add("topology");
        }
        report.profiles.add(r.profile());
    }

    private void sink(SinkBench.Result r) {
        double sink = r.sink().perSecond();
        double base = r.clientRowsPerSecond();
        double ratio = sink / base;
        report.figures.add(new Figure("sink", "rows/s, TopicTableSink from a pre-filled valid topic into ClickHouse",
                String.format(Locale.ROOT, "%,.0f rows/s", sink),
                String.format(Locale.ROOT, "clickhouse-client JSONEachRow file %,.0f rows/s", base), pct(ratio),
                "≥ 70 % of baseline", Figure.check(ratio >= 0.7 && r.sink().completed()),
                String.format(Locale.ROOT, "%,d rows of %.0f B (%,d in the sink's table, %,d in the baseline's); client took %d ms incl. process start",
                        r.rows(), r.rowBytes(), r.sinkRowsInTable(), r.clientRows(), r.clientMillis())));
        if (ratio < 0.7) {
            report.missedPhases.add("sink");
        }
        report.profiles.add(r.profile());
    }

    private void freshness(FreshnessBench.Result r) {
        var h = r.freshnessMillis();
        var rep = r.report();
        boolean all = r.markersSeen() == r.markersSent();
        long p99 = h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(99);
        report.figures.add(new Figure("end to end", "freshness p50 / p99 / max (received_at → visible in ClickHouse)",
                String.format(Locale.ROOT, "%d / %d / %d ms", h.getValueAtPercentile(50), p99, h.getMaxValue()),
                "—", "—", "p99 ≤ 2 s", Figure.check(p99 >= 0 && p99 <= 2_000 && all),
                String.format(Locale.ROOT, "%d of %d markers seen; sink flush interval 1 s, Streams commit interval 100 ms; 100 ms watcher poll",
                        r.markersSeen(), r.markersSent())));
        report.figures.add(new Figure("end to end", "sustained rate held (gateway + topology + sink in one node)",
                String.format(Locale.ROOT, "%,.0f events/s accepted", rep.acceptedPerSecond()),
                String.format(Locale.ROOT, "target rate %,.0f events/s", r.targetRate()), pct(rep.acceptedPerSecond() / r.targetRate()),
                "5,000 events/s", Figure.check(rep.acceptedPerSecond() >= r.targetRate() * 0.97 && rep.failedRequests() == 0),
                String.format(Locale.ROOT, "%,d events in %.0f s, %d failed requests; gateway latency p50 / p99 %.1f / %.1f ms; %,d rows stored",
                        rep.eventsAccepted(), rep.elapsed().toMillis() / 1000.0, rep.failedRequests(),
                        rep.latencyMillis(50), rep.latencyMillis(99), r.rowsStored())));
        if (!(p99 >= 0 && p99 <= 2_000)) {
            report.missedPhases.add(r.profile().phase());
        }
        report.figures.add(Figure.info("memory", "peak RSS of the platform process (all roles, during the end-to-end run)",
                MachineInfo.mb(r.platformPeakRssKb()),
                "`BeaconMain run` as a child JVM with ./beacon's default -Xms256m -Xmx1g, after start-up, warm-up and a minute at "
                        + String.format(Locale.ROOT, "%,.0f", r.targetRate()) + " events/s"));
        report.profiles.add(r.profile());
    }

    private void assignment(AssignBench.Result r) {
        AssignBench.Run m = r.measured();
        double p99 = m.ms(99);
        boolean rateHeld = m.perSecond() >= r.rate() * 0.97;
        boolean met = Double.isFinite(p99) && p99 <= 5.0 && m.errors() == 0 && rateHeld;
        report.figures.add(new Figure("abtest", "assignment API latency p50 / p99 / p99.9 / max, open model at "
                + String.format(Locale.ROOT, "%,.0f", r.rate()) + " req/s (" + r.experimentsRunning() + " running experiments)",
                String.format(Locale.ROOT, "%.2f / %.2f / %.2f / %.1f ms", m.ms(50), p99, m.ms(99.9), m.ms(100)),
                "—", "—", "p99 ≤ 5 ms at 5K req/s", Figure.check(met),
                String.format(Locale.ROOT, "%,d requests in %.0f s (%,.0f req/s sent), %,d answered 200, %,d errors%s; latency from each "
                                + "request's scheduled send time; warm-up %d × %.0f s until the JIT settled (last chunk: p50 / p99 %.2f / %.2f ms, "
                                + "%,d errors, JIT compile time %,d ms; during the floor and the measured run %,d ms); generator floor "
                                + "(same open model against `GET /health/live` for %.0f s, after the warm-up): p50 / p99 / p99.9 %.2f / %.2f / %.2f ms, %,d errors",
                        m.sent(), m.seconds(), m.perSecond(), m.ok(), m.errors(), m.errorKinds().isEmpty() ? "" : " " + m.errorKinds(),
                        r.warmupChunks(), r.warmup().seconds(), r.warmup().ms(50), r.warmup().ms(99), r.warmup().errors(),
                        r.warmupCompileMs(), r.measuredCompileMs(),
                        r.floor().seconds(), r.floor().ms(50), r.floor().ms(99), r.floor().ms(99.9), r.floor().errors())
                        + "; thread CPU µs per answered request (measured phase, live threads; GC and JIT threads are not Java "
                        + "threads and are not counted): " + m.cpuMicrosPerOk()
                        + String.format(Locale.ROOT, "; before the runs every user's first assignment (batch API, %d a request, closed "
                                + "loop): %,.0f users/s, thread CPU µs per user %s", AssignBench.PREFILL_BATCH,
                                AssignBench.USERS / r.prefill().seconds(), r.prefill().cpuMicrosPerUser())));
        if (!met) {
            report.missedPhases.add("assign");
        }
        assignMeasured = true;
    }

    private void assignMethod(Scale scale) {
        report.method.add(String.format(Locale.ROOT, "(f) Assignment API: node with role `gateway` (it serves the A/B routes; the A/B "
                        + "module has its own ClickHouse client, unused here); %d experiments (2–4 variations, coverage 1.0 or 0.8) created "
                        + "running via `POST /api/v1/experiments`; then `GET /api/v1/assignments?user_id=u-<n>` with `Authorization: Bearer "
                        + "<secret key>`, n cycling over %,d users, each assigned once before the timed runs through the batch API "
                        + "(500 a request, closed loop; its rate and CPU are reported), exposures logged (the API's default: a first "
                        + "assignment writes the "
                        + "unit's sticky document to the `beacon.sticky-buckets` topic in the background and is answered once its "
                        + "`$experiment_exposure` events are acknowledged by Kafka; returning units send nothing), open model at a constant "
                        + "%,.0f req/s (`io.beacon.loadtest.load.Http1Pool`: HTTP/1.1 keep-alive, at most %d requests on the wire, due "
                        + "requests queue in the generator; request k due at start + k/rate, latency measured from the due time, so stalls "
                        + "are not hidden), warm-up in chunks of %d s (at most %d) until the JIT compilers spent ≤ 3 %% of a chunk compiling "
                        + "(everything shares one JVM, whose JIT otherwise compiles into the measured run), then %d s against "
                        + "`GET /health/live` (the generator + pekko-http floor), then %d s measured; HdrHistogram (3 digits) of 200 answers; non-200, failures, timeouts (%d s) and requests not sent "
                        + "because %,d were due and unanswered count as errors; thread CPU per answered request from the JVM's thread CPU "
                        + "times, grouped by thread name.",
                AssignBench.EXPERIMENTS, AssignBench.USERS, scale.assignRate(), AssignBench.CONNECTIONS,
                scale.assignWarmup().toSeconds(), AssignBench.MAX_WARMUP_CHUNKS,
                Math.min(AssignBench.FLOOR.toSeconds(), scale.assignWarmup().toSeconds()), scale.assignMeasure().toSeconds(), AssignBench.TIMEOUT.toSeconds(), AssignBench.MAX_IN_FLIGHT));
    }

    private void memory(BeaconStack stack) {
        long self = MachineInfo.statusKb("self", "VmHWM");
        long ch = MachineInfo.statusKb(Long.toString(stack.clickhouse().pid()), "VmHWM");
        report.figures.add(Figure.info("memory", "peak RSS of the bench JVM (VmHWM)", MachineInfo.mb(self),
                "the Kafka broker, the in-process nodes of phases (a)-(c), the load generator and the prefills; heap max "
                        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB — not the platform's own figure"));
        report.figures.add(Figure.info("memory", "peak RSS of the ClickHouse server process (VmHWM)", MachineInfo.mb(ch),
                "child process, pid " + stack.clickhouse().pid()));
    }

    /** (g) the actor engine: throughput with 5 segments and event → segment-change latency (see {@link EngineBench}). */
    private void engine(EngineBench.Result r) {
        engineMeasured = true;
        report.profiles.add(r.profile());
        double rate = r.steadyPerSecond();
        report.figures.add(new Figure("engine", "events/s through one engine node, 5 segments",
                String.format(Locale.ROOT, "%,.0f events/s", rate), "—", "—", "≥ 100,000 events/s on 2 cores",
                Figure.check(rate >= 100_000),
                String.format(Locale.ROOT, "%,d pre-filled canonical events of %,d users on %d partitions, consumed flat out; the "
                                + "figure is the steady state after the first %,d events (%s): %,d events in %.1f s, JIT compile time in that window %,d ms, CPU µs per event there by thread (from /proc, GC and JIT included) %s; the whole "
                                + "run, warm-up included: %,.0f events/s (%.1f s). Per poll one Kafka transaction (changelog snapshot "
                                + "per touched user, segment changes, offsets) then the RocksDB commit; broker in the same JVM",
                        r.events(), EngineBench.USERS, EngineBench.PARTITIONS, r.warmupEvents(),
                        r.jitSettled() ? "JIT warm-up: from when the compilers spent ≤ 3 % of 3 s compiling"
                                : "JIT warm-up: half of the events, the compilers had not yet spent ≤ 3 % of a 3 s window compiling",
                        r.steadyEvents(),
                        r.steadySeconds(), r.steadyCompileMs(), r.cpuMicrosPerEvent(), r.perSecond(), r.seconds())));
        double p99 = r.ms(99);
        boolean met = r.latencyReceived() == r.latencySent() && p99 <= 500;
        report.figures.add(new Figure("engine", "event → segment-change latency p50 / p99 / max",
                String.format(Locale.ROOT, "%.0f / %.0f / %.0f ms", r.ms(50), p99, r.ms(100)), "—", "—", "p99 ≤ 500 ms",
                Figure.check(met),
                String.format(Locale.ROOT, "open model, %,.0f new users/s for %,d events, each entering \"active in the last hour\"; "
                                + "from the produce call to the change read (read_committed) from beacon.segment.changes; %,d of %,d changes received",
                        r.latencyRate(), r.latencySent(), r.latencyReceived(), r.latencySent())));
        if (rate < 100_000 || !met) {
            report.missedPhases.add("engine");
        }
    }

    /** (i) engine throughput with online scoring on vs off (see {@link EngineScoringBench}). */
    private void scoring(EngineScoringBench.Result r) {
        scoringMeasured = true;
        report.figures.addAll(EngineScoringBench.figures(r));
        if (!r.met()) {
            report.missedPhases.add("scoring");
        }
    }

    /** (j) engine throughput with 10 live journeys vs none, and trigger event → outbox latency (see {@link JourneyBench}). */
    private void journeys(JourneyBench.Result r) {
        journeysMeasured = true;
        report.figures.addAll(JourneyBench.figures(r));
        if (!r.met()) {
            report.missedPhases.add(r.profile().phase());
        }
        report.profiles.add(r.profile());
    }

    /** (h) the CDP connectors: segment entry → webhook latency and delivery throughput (see {@link CdpBench}). */
    private void cdp(CdpBench.Result r) {
        cdpMeasured = true;
        report.figures.addAll(CdpBench.figures(r));
        if (!r.latencyMet()) {
            report.missedPhases.add(r.profile().phase());
        }
        report.profiles.add(r.profile());
    }

    private void notYetMeasurable() {
        if (!cdpMeasured) {
            report.figures.add(Figure.notMeasured("cdp", "segment entry → webhook received p99 and delivery throughput",
                    "p99 ≤ 1 s at 1,000 entries/s", "phase `cdp` not run (`--only cdp`)"));
        }
        if (!engineMeasured) {
            report.figures.add(Figure.notMeasured("engine", "events/s and event → segment-change p99",
                    "≥ 100 K events/s, p99 ≤ 500 ms", "phase `engine` not run (`--only engine`)"));
        }
        if (!assignMeasured) {
            report.figures.add(new Figure("abtest", "assignment API p99", "—", "—", "—", "p99 ≤ 5 ms at 5K req/s",
                    Figure.Status.NOT_MEASURABLE, "phase `assign` not run (`--only assign`)"));
        }
        if (report.figures.stream().noneMatch(f -> f.name().equals(MicroBenchmarks.ASSIGNMENT_FIGURE))) {
            report.figures.add(new Figure("abtest", MicroBenchmarks.ASSIGNMENT_FIGURE, "—", "—", "—", "≤ 1 µs",
                    Figure.Status.NOT_MEASURABLE, "phase `jmh` not run (JMH `io.beacon.loadtest.jmh.AssignmentBenchmark`)"));
        }
        if (!scoringMeasured) {
            report.figures.add(Figure.notMeasured("ml", "engine events/s with churn scoring on vs off",
                    EngineScoringBench.TARGET, "phase `scoring` not run (`--only scoring`)"));
        }
        if (!journeysMeasured) {
            report.figures.add(Figure.notMeasured("journeys", "engine events/s with 10 live journeys vs none, trigger event → outbox p99",
                    JourneyBench.THROUGHPUT_TARGET + ", " + JourneyBench.LATENCY_TARGET, "phase `journeys` not run (`--only journeys`)"));
        }
        if (!analyticsMeasured) {
            report.figures.add(Figure.notMeasured("analytics", "funnel / retention / trend query times vs hand-written SQL over 10 M events",
                    "≤ 1.2× hand-written SQL", "phase `analytics` not run (`--only analytics`, see AnalyticsBench)"));
        }
    }

    private void methods(Scale scale) {
        List<String> m = report.method;
        m.add("Stack: `BeaconStack.start(tempdir)` — a real Kafka " + MachineInfo.kafkaVersion()
                + " KRaft broker in the bench JVM and a ClickHouse server child process, on free loopback ports. Each phase runs its own "
                + "`BeaconNode` (`BeaconNode.start(config)`, roles as stated) with its own topic prefix, database, Streams application id and "
                + "sink group, and stops it before the next phase; everything shares the 2 cores with the broker and ClickHouse.");
        m.add("Data: the behaviour simulator (`io.beacon.loadtest.sim`, seeded): Segment page/screen/track/identify items of web, iOS "
                + "and Android users in 9 time zones with a shop funnel. Stages are fed what their upstream really produces: raw "
                + "records are the gateway's encoded envelopes (`IncomingRequest.prepare`), valid records the encoded canonical events.");
        m.add(String.format(Locale.ROOT, "(a) Gateway: node with role `gateway` only; the load generator (`java.net.http.HttpClient`, HTTP/1.1, "
                + "connections reused) posts `/v1/batch` bodies of %d events, %d in flight, flat out, %d s warm-up then %d s measured; "
                + "%,d distinct simulator events are pre-encoded and cycled (the gateway does not deduplicate). Baseline: "
                + "`org.apache.kafka.tools.ProducerPerformance` as a child JVM, `--payload-file` with the gateway's own encoded envelopes of "
                + "those events (same bytes), random keys, acks=all, enable.idempotence=true and the gateway's linger.ms and compression.type, "
                + "%,d records of which the first 20 %% are warm-up (steady-state line reported), to a 3-partition topic like the raw topic.",
                GatewayBench.BATCH, GatewayBench.CONCURRENCY, scale.gatewayWarmup().toSeconds(), scale.gatewayMeasure().toSeconds(),
                scale.gatewayItems(), scale.producerPerfRecords()));
        m.add(String.format(Locale.ROOT, "(b) Topology: %,d raw records pre-filled; `EventPipeline` (settings from reference.conf: exactly_once_v2, 1 thread, "
                + "commit 100 ms, 3 partitions) started on them; rate = records between the first and the last committed-offset observation "
                + "(polled every 50 ms through the admin client) / elapsed time, so group join and task start are left out. Baseline: a "
                + "`builder.stream(raw).to(out)` Streams app with the same guarantee, threads and commit interval over the same raw topic.",
                scale.pipelineRecords()));
        m.add(String.format(Locale.ROOT, "(c) Sink: %,d canonical events pre-filled on the valid topic; `TopicTableSink` (reference.conf: batches of 5,000, "
                + "1 s flush) into a freshly migrated `events` table; rate from the first to the last `rowsWritten` observation. Baseline: the "
                + "same events as `EventRows.toJson` rows in a JSONEachRow file, `clickhouse-client --port <tcp> --query \"INSERT INTO "
                + "<db>.events FORMAT JSONEachRow\" < file` into an identical table, timed as a whole process.", scale.sinkRows()));
        m.add(String.format(Locale.ROOT, "(d) Freshness: node with all roles as its own process (`BeaconMain run`, -Xmx1g, JFR on); the generator paces simulator events at %,.0f events/s (100 per "
                + "request), %d s warm-up, a pause until the warm-up's events are all stored (steady state), then %d s measured; every %dth request carries a `%s` track event with timestamp now; a watcher "
                + "polls ClickHouse every 100 ms and records first-seen time minus the row's `received_at_ms`.",
                scale.freshnessRate(), scale.freshnessWarmup().toSeconds(), scale.freshnessMeasure().toSeconds(),
                FreshnessBench.MARKER_EVERY, FreshnessBench.MARKER));
        m.add("(e) Memory: `VmHWM` (peak RSS) from `/proc/<pid>/status` of the platform process of (d) just before it stops, of the "
                + "bench JVM and of the ClickHouse process after all phases.");
        m.add("Micro: JMH 1.37 `io.beacon.loadtest.jmh.PipelineStagesBenchmark`, 1 fork, 3 × 1 s warm-up, 5 × 1 s measurement, average "
                + "time; ± is JMH's 99.9 % confidence half-width over only 5 iterations on a shared machine — indicative, not precise.");
        m.add("Noise: the machine is shared; the load average is sampled before and after every phase (table above). Ratios to a "
                + "baseline measured minutes apart on the same machine are more stable than the absolute numbers.");
    }

    private static String pct(double ratio) {
        return Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.0f %%", ratio * 100) : "—";
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
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
}
