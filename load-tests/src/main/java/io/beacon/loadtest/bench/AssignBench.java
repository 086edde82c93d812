package io.beacon.loadtest.bench;

import io.beacon.devstack.BeaconStack;
import io.beacon.loadtest.load.Http1Pool;
import io.beacon.loadtest.load.LoopbackTarget;
import io.beacon.loadtest.node.NodeConfig;
import io.beacon.platform.BeaconNode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (f) Assignment API latency: a node with the gateway role (which serves the A/B routes), 10 running
 * experiments created over {@code POST /api/v1/experiments}, then an open-model constant rate of
 * {@code GET /api/v1/assignments?user_id=u-<n>} (Bearer secret key, exposures logged as by default):
 * request <i>k</i> is due at {@code start + k / rate} whatever the answers do, and its latency is
 * measured from that due time, so a stall shows in the percentiles instead of lowering the rate
 * (no coordinated omission). Requests go through {@link Http1Pool} (64 keep-alive connections, one
 * selector thread): the JDK HttpClient first used here started a thread per response on 2 cores and,
 * fixed, still cost about 85 µs of CPU per request on the machine the server shares (now about 40 µs).
 * A floor run against {@code GET /health/live} measures the generator plus pekko-http alone.
 */
final class AssignBench {
    private static final Logger LOG = LoggerFactory.getLogger(AssignBench.class);
    static final int EXPERIMENTS = 10;
    /** Distinct users cycled through; each is assigned once before the timed runs, so timed traffic is returning users. */
    static final int USERS = 100_000;
    /** Users per batch request of the first-assignment prefill. */
    static final int PREFILL_BATCH = 500;
    /** A request still unanswered after this counts as an error. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Requests in flight beyond this are not sent and count as errors (the generator must not become closed-model). */
    static final int MAX_IN_FLIGHT = 4_000;
    /** Requests on the wire at once, so keep-alive connections at most (an application server's client pool). */
    static final int CONNECTIONS = 64;
    /** Length of the floor measurement against {@code GET /health/live} (the generator's own overhead plus HTTP). */
    static final Duration FLOOR = Duration.ofSeconds(10);

    /**
     * @param cpuMicrosPerOk thread CPU time per answered request by thread group (measured phase only; empty otherwise)
     */
    record Run(Histogram latencyMicros, long sent, long ok, long errors, Map<String, Long> errorKinds, double seconds,
               Map<String, Double> cpuMicrosPerOk) {
        Run withCpu(Map<String, Double> cpu) {
            return new Run(latencyMicros, sent, ok, errors, errorKinds, seconds, Map.copyOf(cpu));
        }

        double perSecond() {
            return sent / seconds;
        }

        double ms(double percentile) {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    record Prefill(double seconds, Map<String, Double> cpuMicrosPerUser) {
    }

    /** Warm-up chunks at most (each {@code Scale.assignWarmup()} long) while the JIT has not settled. */
    static final int MAX_WARMUP_CHUNKS = 5;

    /**
     * @param warmup          the last warm-up chunk
     * @param warmupChunks    warm-up chunks run
     * @param warmupCompileMs JIT compile time during the last warm-up chunk (-1 unknown)
     * @param measuredCompileMs JIT compile time during the floor and the measured run (-1 unknown)
     */
    record Result(Prefill prefill, Run floor, Run warmup, int warmupChunks, long warmupCompileMs, long measuredCompileMs,
                  Run measured, double rate, int experimentsRunning) {
    }

    private AssignBench() {
    }

    static Result run(BeaconStack stack, Scale scale) throws Exception {
        NodeConfig nc = NodeConfig.of("bench_ab", "gateway", stack.kafka().bootstrapServers(), stack.clickhouse().httpUrl());
        try (BeaconNode node = BeaconNode.start(nc.config())) {
            node.awaitReady(Duration.ofSeconds(60));
            URI base = LoopbackTarget.require(URI.create(node.httpUrl()));
            String secret = node.controlPlane().projects().byId(nc.projectId()).orElseThrow().secretKey();
            ExecutorService callbacks = Executors.newFixedThreadPool(2, daemon("assign-bench-http"));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).executor(callbacks).build();
            Http1Pool pool = null;
            try {
                createExperiments(client, base, secret);
                Prefill prefill = assignEveryUserOnce(client, base, secret);
                LOG.info("first assignments (batch API, {} users a request, closed loop): {} users in {} s = {} users/s",
                        PREFILL_BATCH, USERS, Math.round(prefill.seconds() * 10) / 10.0, Math.round(USERS / prefill.seconds()));
                pool = new Http1Pool(new InetSocketAddress(base.getHost(), base.getPort()), CONNECTIONS, TIMEOUT.toMillis(),
                        TimeUnit.MILLISECONDS);
                String host = base.getHost() + ":" + base.getPort();
                AtomicLong userCounter = new AtomicLong();
                LongFunction<String> assign = u -> "/api/v1/assignments?user_id=u-" + u;
                // warm up in chunks until the JIT has settled (at most MAX_WARMUP_CHUNKS): a cold JVM compiles for a minute
                Run warm;
                int chunks = 0;
                long compiled;
                do {
                    long c0 = JitActivity.compileMillis();
                    warm = drive(pool, assign, host, secret, scale.assignRate(), scale.assignWarmup(), userCounter);
                    compiled = c0 < 0 ? -1 : JitActivity.compileMillis() - c0;
                    chunks++;
                    LOG.info("assignment API warm-up {}: {} req/s, p50 {} ms, p99 {} ms, errors {}, JIT compile time {} ms",
                            chunks, Math.round(warm.perSecond()), warm.ms(50), warm.ms(99), warm.errors(), compiled);
                } while (!JitActivity.settled(compiled, scale.assignWarmup().toMillis()) && chunks < MAX_WARMUP_CHUNKS);
                long c1 = JitActivity.compileMillis();
                // the generator's own floor (warm now too): the same open model against the node's trivial liveness route
                Run floor = drive(pool, u -> "/health/live", host, secret, scale.assignRate(),
                        scale.assignWarmup().compareTo(FLOOR) < 0 ? scale.assignWarmup() : FLOOR, new AtomicLong());
                LOG.info("load generator floor (GET /health/live): {} req/s, p50 {} ms, p99 {} ms, p99.9 {} ms, errors {} {}",
                        Math.round(floor.perSecond()), floor.ms(50), floor.ms(99), floor.ms(99.9), floor.errors(), floor.errorKinds());
                Map<String, Long> cpuBefore = cpuByGroup();
                Map<String, Long> threadsBefore = cpuByThreadName();
                Run run = drive(pool, assign, host, secret, scale.assignRate(), scale.assignMeasure(), userCounter);
                Map<String, Long> cpuAfter = cpuByGroup();
                Map<String, Long> threadsAfter = cpuByThreadName();
                StringBuilder top = new StringBuilder();
                threadsAfter.entrySet().stream()
                        .map(e -> Map.entry(e.getKey(), e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0L)))
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
                        .forEach(e -> top.append(String.format(Locale.ROOT, "%n  %8.1f µs/request  %s",
                                e.getValue() / 1e3 / Math.max(1, run.ok()), e.getKey())));
                LOG.info("assignment API thread CPU by thread name (measured phase):{}", top);
                Map<String, Double> cpuPerRequest = new TreeMap<>();
                cpuAfter.forEach((group, nanos) -> cpuPerRequest.put(group,
                        Math.round((nanos - cpuBefore.getOrDefault(group, 0L)) / 1e3 / Math.max(1, run.ok()) * 10) / 10.0));
                Run measured = run.withCpu(cpuPerRequest);
                LOG.info("assignment API CPU µs per answered request by thread group: {}", cpuPerRequest);
                LOG.info("assignment API: {} req/s, p50 {} ms, p99 {} ms, p99.9 {} ms, max {} ms, errors {} {}",
                        Math.round(measured.perSecond()), measured.ms(50), measured.ms(99), measured.ms(99.9), measured.ms(100),
                        measured.errors(), measured.errorKinds());
                long measuredCompile = c1 < 0 ? -1 : JitActivity.compileMillis() - c1;
                return new Result(prefill, floor, warm, chunks, compiled, measuredCompile, measured, scale.assignRate(), EXPERIMENTS);
            } finally {
                if (pool != null) {
                    pool.close();
                }
                callbacks.shutdownNow();
            }
        }
    }

    /**
     * CPU time of this JVM's live threads, grouped: the load generator (its callback pool and the JDK client's
     * selector), the node's HTTP dispatcher (pekko), the Kafka broker (in this JVM), and the rest (Kafka clients,
     * JIT, GC, …). CPU per request does not depend on how many other processes share the cores the way latency does.
     */
    static Map<String, Long> cpuByGroup() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new TreeMap<>();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long cpu = mx.getThreadCpuTime(t.getThreadId());
            if (cpu < 0) {
                continue;
            }
            String n = t.getThreadName();
            String group;
            if (n.startsWith("load-generator-http1") || n.equals("main")) {
                // the generator's I/O thread and the thread pacing the requests (the bench's main thread)
                group = "generator";
            } else if (n.startsWith("beacon-pekko.actor.default-dispatcher")) {
                group = "node HTTP dispatcher";
            } else if (n.startsWith("beacon-pekko.io")) {
                group = "node TCP I/O (pekko-io)";
            } else if (n.startsWith("kafka-producer-network-thread | beacon-gateway") || n.startsWith("beacon-gateway-kafka-send")) {
                group = "node exposure producer";
            } else if (n.startsWith("beacon-sticky") || n.contains("beacon-sticky-writer")) {
                group = "node sticky-bucket topic";
            } else if (n.startsWith("kafka-producer-network-thread") || n.startsWith("kafka-coordinator") || n.startsWith("beacon-")) {
                group = "node other (Kafka clients, views, pekko internals)";
            } else if (n.startsWith("data-plane-kafka") || n.startsWith("kafka-") || n.startsWith("broker-") || n.startsWith("controller-")
                    || n.startsWith("quorum-") || n.startsWith("ExpirationReaper") || n.startsWith("executor-")
                    || n.startsWith("group-coordinator") || n.startsWith("share-")) {
                group = "Kafka broker";
            } else {
                group = "other JVM threads";
            }
            out.merge(group, cpu, Long::sum);
        }
        return out;
    }

    /** Thread CPU time by thread name with digits replaced by N (for the log). */
    static Map<String, Long> cpuByThreadName() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new HashMap<>();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            long cpu = t == null ? -1 : mx.getThreadCpuTime(t.getThreadId());
            if (cpu >= 0) {
                out.merge(t.getThreadName().replaceAll("[0-9]+", "N"), cpu, Long::sum);
            }
        }
        return out;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Ten running experiments with 2–4 variations each, created and started in one POST each. */
    private static void createExperiments(HttpClient client, URI base, String secret) throws Exception {
        for (int i = 0; i < EXPERIMENTS; i++) {
            StringBuilder variations = new StringBuilder();
            int n = 2 + i % 3;
            for (int v = 0; v < n; v++) {
                variations.append(v > 0 ? "," : "").append("{\"key\":\"v").append(v).append("\"}");
            }
            String body = "{\"key\":\"bench-exp-" + i + "\",\"status\":\"running\",\"coverage\":" + (i % 2 == 0 ? "1.0" : "0.8")
                    + ",\"variations\":[" + variations + "],\"goal_metrics\":[{\"event\":\"purchase\"}]}";
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/api/v1/experiments"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + secret)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201 && r.statusCode() != 200) {
                throw new IllegalStateException("creating experiment " + i + " failed: " + r.statusCode() + " " + r.body());
            }
        }
        // the catalog is fed by the config store: wait until a user is assigned to all ten
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/api/v1/assignments?user_id=probe&log_exposures=false"))
                    .header("Authorization", "Bearer " + secret).GET().build(), HttpResponse.BodyHandlers.ofString());
            int count = r.body().split("\"experiment\"", -1).length - 1;
            if (r.statusCode() == 200 && count == EXPERIMENTS) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("experiments not all running after 30 s: " + r.statusCode() + " " + r.body());
            }
            Thread.sleep(100); // poll interval of the catalog wait
        }
    }

    /**
     * Every user's first assignment, before the timed runs, through the batch API ({@value #PREFILL_BATCH} users a
     * request, one request at a time): the open-model runs then measure the steady state of returning users (plus
     * the warm-up's JIT), as a prefilled topic does for the pipeline phases. A first assignment costs far more than a
     * returning one — it writes the unit's sticky document and is answered only once its up to 10 exposure events
     * are acknowledged — so its rate and CPU are reported on their own.
     */
    private static Prefill assignEveryUserOnce(HttpClient client, URI base, String secret) throws Exception {
        Map<String, Long> cpuBefore = cpuByGroup();
        long t0 = System.nanoTime();
        for (int from = 0; from < USERS; from += PREFILL_BATCH) {
            StringBuilder body = new StringBuilder("{\"users\":[");
            for (int u = from; u < Math.min(USERS, from + PREFILL_BATCH); u++) {
                body.append(u > from ? "," : "").append("{\"user_id\":\"u-").append(u).append("\"}");
            }
            body.append("]}");
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/assignments")).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("first assignments from u-" + from + " failed: " + r.statusCode() + " " + r.body());
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Long> cpuAfter = cpuByGroup();
        Map<String, Double> perUser = new TreeMap<>();
        cpuAfter.forEach((group, nanos) -> perUser.put(group, Math.round((nanos - cpuBefore.getOrDefault(group, 0L)) / 1e3 / USERS * 10) / 10.0));
        return new Prefill(seconds, perUser);
    }

    /**
     * Open model: request <i>k</i> is due at {@code start + k / rate} for {@code duration}, then the stragglers are
     * awaited. At most {@link #CONNECTIONS} requests are on the wire (keep-alive connections, like an application
     * server's client pool); due requests beyond that wait in the generator's queue, and their latency still counts
     * from the due time, so a slow server shows as queueing delay, never as a lower rate.
     */
    private static Run drive(Http1Pool pool, LongFunction<String> target, String hostHeader, String secret, double rate,
                             Duration duration, AtomicLong userCounter)
            throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicInteger inFlight = new AtomicInteger(); // due and not answered: queued here or on the wire
        Map<String, Long> kinds = new ConcurrentHashMap<>();
        long interval = Math.round(1e9 / rate);
        long total = Math.round(rate * duration.toNanos() / 1e9);
        String headers = " HTTP/1.1\r\nHost: " + hostHeader + "\r\nAuthorization: Bearer " + secret + "\r\n\r\n";
        long start = System.nanoTime();
        long sent = 0;
        for (long k = 0; k < total; k++) {
            long due = start + k * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            sent++;
            if (inFlight.get() >= MAX_IN_FLIGHT) {
                errors.incrementAndGet();
                kinds.merge("not sent: " + MAX_IN_FLIGHT + " in flight", 1L, Long::sum);
                continue;
            }
            long user = userCounter.getAndIncrement() % USERS;
            byte[] request = ("GET " + target.apply(user) + headers).getBytes(StandardCharsets.ISO_8859_1);
            inFlight.incrementAndGet();
            pool.submit(request, (status, error) -> {
                long micros = (System.nanoTime() - due) / 1_000;
                inFlight.decrementAndGet();
                if (status == 200) {
                    recorder.recordValue(Math.max(1, micros));
                    ok.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                    kinds.merge(error != null ? error : "HTTP " + status, 1L, Long::sum);
                }
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long end = System.nanoTime() + TIMEOUT.toNanos() + TimeUnit.SECONDS.toNanos(2);
        while (inFlight.get() > 0 && System.nanoTime() < end) {
            Thread.sleep(10); // wait for the last answers
        }
        return new Run(recorder.getIntervalHistogram(), sent, ok.get(), errors.get(), Map.copyOf(kinds), seconds, Map.of());
    }
}
