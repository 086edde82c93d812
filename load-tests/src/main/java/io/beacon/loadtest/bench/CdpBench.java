package io.beacon.loadtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.beacon.cdp.CdpSettings;
import io.beacon.cdp.payload.WebhookBody;
import io.beacon.cdp.runtime.Connectors;
import io.beacon.cdp.signing.WebhookSigner;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.control.destinations.DestinationJson;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectKeys;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.control.segments.SegmentJson;
import io.beacon.devstack.BeaconStack;
import io.beacon.event.SegmentChange;
import io.beacon.event.SegmentChangeCodec;
import io.beacon.event.TopicNames;
import io.beacon.event.cdp.IdempotencyKeys;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (h) The CDP connectors (issue 17): segment entries on {@code beacon.segment.changes} → trigger router → outbox →
 * outbox worker → Standard Webhooks-signed POSTs to a local receiver that answers 200 at once. Two parts, each on
 * its own topic prefix with its own control plane, project, segment and one webhook destination: (1) latency at a
 * paced 1,000 entries/s, from each change's {@code at_ms} (its send time) to its arrival; (2) throughput over a
 * pre-filled topic, against a same-run baseline: the JDK {@link HttpClient} posting the same bodies with the same
 * signing headers, the same concurrency, to the same receiver, flat out. Everything runs in the bench JVM, next to
 * the broker.
 */
final class CdpBench {
    private static final Logger LOG = LoggerFactory.getLogger(CdpBench.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int CONCURRENCY = 32;
    static final int RATE_LIMIT = 10_000;
    static final double LATENCY_RATE = 1_000;
    static final int SEGMENT_CHANGE_PARTITIONS = 3;
    static final String DESTINATION = "bench-hook";
    static final String SEGMENT = "vip";
    static final String SEGMENT_NAME = "VIP";
    static final String PROJECT = "bench";
    static final long P99_TARGET_MS = 1_000;
    private static final Duration READY = Duration.ofSeconds(120);
    /** A part gives up waiting when no webhook arrived for this long. */
    private static final Duration STALL = Duration.ofSeconds(60);

    /** The latency part. */
    record Latency(Duration warmup, Duration measure, long sent, long measuredSent, long measuredArrived, long duplicates,
                   long produceErrors, double sentPerSecond, Histogram millis) {
        long ms(double percentile) {
            return millis.getTotalCount() == 0 ? -1 : percentile >= 100 ? millis.getMaxValue() : millis.getValueAtPercentile(percentile);
        }
    }

    /** The throughput part and its baseline. */
    record Throughput(int entries, long arrived, long duplicates, double perSecond, double perSecondFromStart,
                      long startToFirstMs, long baselineArrived, long baselineErrors, double baselinePerSecond,
                      double baselineWallPerSecond, int bodyBytes) {
    }

    record Result(Latency latency, Throughput throughput, JfrProfile.Summary profile) {
        boolean latencyMet() {
            long p99 = latency.ms(99);
            return p99 >= 0 && p99 <= P99_TARGET_MS && latency.measuredArrived() == latency.measuredSent();
        }
    }

    private CdpBench() {
    }

    static Result run(BeaconStack stack, Scale scale, Path work) throws Exception {
        boolean quick = scale.name().equals("quick");
        Duration warmup = quick ? Duration.ofSeconds(3) : Duration.ofSeconds(20);
        Duration measure = quick ? Duration.ofSeconds(10) : Duration.ofSeconds(60);
        int entries = quick ? 10_000 : 50_000;
        String secret = WebhookSigner.newSecret(new SecureRandom());
        JfrProfile jfr = JfrProfile.start("cdp", work.resolve("jfr"));
        try (WebhookReceiver receiver = new WebhookReceiver(CONCURRENCY * 2)) {
            Latency latency = latency(stack, receiver, secret, warmup, measure);
            Throughput throughput = throughput(stack, receiver, secret, entries);
            JfrProfile.Summary profile = jfr.stop();
            return new Result(latency, throughput, profile);
        }
    }

    // ---- (1) latency ----

    private static Latency latency(BeaconStack stack, WebhookReceiver receiver, String secret, Duration warmup,
                                   Duration measure) throws Exception {
        WebhookArrivals arrivals = new WebhookArrivals();
        receiver.track(arrivals);
        try (Rig rig = Rig.open(stack, "bench-cdp-latency-" + Long.toHexString(System.nanoTime()) + ".", receiver.url(), secret);
             KafkaProducer<String, byte[]> producer = producer(stack)) {
            rig.startConnectors();
            long warmCount = (long) (LATENCY_RATE * warmup.toSeconds());
            long total = warmCount + (long) (LATENCY_RATE * measure.toSeconds());
            AtomicLong errors = new AtomicLong();
            long t0 = System.nanoTime();
            long measuredStart = 0;
            for (long k = 0; k < total; k++) {
                long due = t0 + (long) (k * 1e9 / LATENCY_RATE);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (k == warmCount) {
                    measuredStart = System.nanoTime();
                }
                long at = System.currentTimeMillis();
                SegmentChange c = entered("p" + k, at, "e" + k);
                arrivals.sent(IdempotencyKeys.ofSegmentChange(DESTINATION, c), at, k >= warmCount);
                producer.send(record(rig.topics, c), (md, e) -> {
                    if (e != null) {
                        errors.incrementAndGet();
                    }
                });
            }
            producer.flush();
            double sentPerSecond = (total - warmCount) * 1e9 / (System.nanoTime() - measuredStart);
            awaitProgress(arrivals::measuredArrived, arrivals.measuredSent(), STALL);
            LOG.info("cdp latency: connector metrics at the end:\n{}", rig.connectors.metricsText());
            LOG.info("cdp latency: worst latency per 5 s of send time: {}", arrivals.timeline(5_000));
            LOG.info("cdp latency: {} of {} measured entries arrived, p50 / p99 / max {} / {} / {} ms, {} duplicates",
                    arrivals.measuredArrived(), arrivals.measuredSent(), arrivals.latencyMillis().getValueAtPercentile(50),
                    arrivals.latencyMillis().getValueAtPercentile(99), arrivals.latencyMillis().getMaxValue(), arrivals.duplicates());
            return new Latency(warmup, measure, total, arrivals.measuredSent(), arrivals.measuredArrived(), arrivals.duplicates(),
                    errors.get(), sentPerSecond, arrivals.latencyMillis());
        }
    }

    // ---- (2) throughput and its baseline ----

    private static Throughput throughput(BeaconStack stack, WebhookReceiver receiver, String secret, int entries) throws Exception {
        WebhookArrivals arrivals = new WebhookArrivals();
        receiver.track(arrivals);
        List<SegmentChange> changes = new ArrayList<>(entries);
        long startedAt;
        try (Rig rig = Rig.open(stack, "bench-cdp-throughput-" + Long.toHexString(System.nanoTime()) + ".", receiver.url(), secret)) {
            try (KafkaProducer<String, byte[]> producer = producer(stack)) {
                for (int i = 0; i < entries; i++) {
                    long at = System.currentTimeMillis();
                    SegmentChange c = entered("t" + i, at, "f" + i);
                    changes.add(c);
                    arrivals.sent(IdempotencyKeys.ofSegmentChange(DESTINATION, c), at, true);
                    producer.send(record(rig.topics, c));
                }
                producer.flush();
            }
            // a new router group starts at the end of the topic (a first deployment does not replay history): place it at
            // the beginning, as if the connectors had been down while the entries piled up
            rig.seedRouterOffsetsAtStart(stack);
            LOG.info("cdp throughput: {} entries pre-filled; starting the connectors", entries);
            startedAt = System.currentTimeMillis();
            rig.startConnectors();
            awaitProgress(arrivals::arrivedCount, entries, STALL);
        }
        double perSecond = arrivals.perSecondBetweenFirstAndLast();
        double fromStart = arrivals.perSecondSince(startedAt);
        long startToFirst = arrivals.firstArrivalMs() < 0 ? -1 : arrivals.firstArrivalMs() - startedAt;
        LOG.info("cdp throughput: {} of {} arrived, {} webhooks/s between first and last, {} from the start",
                arrivals.arrivedCount(), entries, perSecond, fromStart);

        // the baseline: the same bodies, signed the same way, posted flat out with the same concurrency
        List<OutboxMessage> messages = new ArrayList<>(entries);
        for (SegmentChange c : changes) {
            messages.add(message(c));
        }
        WebhookArrivals base = new WebhookArrivals();
        for (OutboxMessage m : messages) {
            base.sent(m.messageId(), m.createdAtMs(), true);
        }
        receiver.track(base);
        int bodyBytes = WebhookBody.of(messages.get(0)).length;
        AtomicLong baseErrors = new AtomicLong();
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-baseline-http");
            t.setDaemon(true);
            return t;
        });
        long wallMs;
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(15)).executor(executor).build();
            WebhookSigner signer = new WebhookSigner(List.of(secret));
            URI uri = URI.create(receiver.url());
            Semaphore slots = new Semaphore(CONCURRENCY);
            long t0 = System.nanoTime();
            for (OutboxMessage m : messages) {
                slots.acquire();
                byte[] body = WebhookBody.of(m);
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                        .header("content-type", "application/json")
                        .header("user-agent", "Beacon-Bench-Baseline/1")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                for (Map.Entry<String, String> h : signer.headers(m.messageId(), System.currentTimeMillis() / 1000, body).entrySet()) {
                    request.header(h.getKey(), h.getValue());
                }
                client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
                    if (e != null || r.statusCode() != 200) {
                        baseErrors.incrementAndGet();
                    }
                    slots.release();
                });
            }
            slots.acquire(CONCURRENCY);
            wallMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        } finally {
            executor.shutdownNow();
        }
        double basePerSecond = base.perSecondBetweenFirstAndLast();
        LOG.info("cdp baseline: {} of {} arrived, {} errors, {} webhooks/s between first and last, {} ms wall",
                base.arrivedCount(), entries, baseErrors.get(), basePerSecond, wallMs);
        return new Throughput(entries, arrivals.arrivedCount(), arrivals.duplicates(), perSecond, fromStart, startToFirst,
                base.arrivedCount(), baseErrors.get(), basePerSecond, wallMs == 0 ? Double.NaN : entries * 1000.0 / wallMs, bodyBytes);
    }

    // ---- figures ----

    /** The figures of a run, for the results table. */
    static List<Figure> figures(Result r) {
        Latency l = r.latency();
        Throughput t = r.throughput();
        List<Figure> out = new ArrayList<>();
        out.add(new Figure("cdp", "segment entry → webhook received p50 / p99 / max, paced "
                + String.format(Locale.ROOT, "%,.0f", LATENCY_RATE) + " entries/s",
                String.format(Locale.ROOT, "%d / %d / %d ms", l.ms(50), l.ms(99), l.ms(100)), "—", "—", "p99 ≤ 1 s",
                Figure.check(r.latencyMet()),
                String.format(Locale.ROOT, "%,d of %,d measured entries arrived (%,d duplicates, %,d produce errors), sent at %,.0f "
                                + "entries/s over %d s after a %d s warm-up; from each change's at_ms (its send time) to the receiver's "
                                + "arrival time; one webhook destination, concurrency %d, rate limit %,d/s",
                        l.measuredArrived(), l.measuredSent(), l.duplicates(), l.produceErrors(), l.sentPerSecond(),
                        l.measure().toSeconds(), l.warmup().toSeconds(), CONCURRENCY, RATE_LIMIT)));
        double ratio = t.perSecond() / t.baselinePerSecond();
        out.add(new Figure("cdp", "webhooks delivered/s over a pre-filled topic (" + String.format(Locale.ROOT, "%,d", t.entries())
                + " segment entries)",
                String.format(Locale.ROOT, "%,.0f webhooks/s", t.perSecond()),
                String.format(Locale.ROOT, "JDK HttpClient, same signed bodies, %d in flight: %,.0f webhooks/s", CONCURRENCY, t.baselinePerSecond()),
                Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.0f %%", ratio * 100) : "—",
                "— (issue 17 sets none)", Figure.Status.INFO,
                String.format(Locale.ROOT, "%,d of %,d arrived (%,d duplicates); rate between the first and the last arrival; "
                                + "from the connectors' start: %,.0f webhooks/s, first arrival %,d ms after the start; baseline %,d of "
                                + "%,d arrived, %,d errors, %,.0f requests/s wall; body %d B",
                        t.arrived(), t.entries(), t.duplicates(), t.perSecondFromStart(), t.startToFirstMs(), t.baselineArrived(),
                        t.entries(), t.baselineErrors(), t.baselineWallPerSecond(), t.bodyBytes())));
        return out;
    }

    /** The method paragraph. */
    static String method(Scale scale) {
        boolean quick = scale.name().equals("quick");
        return String.format(Locale.ROOT, "(h) CDP connectors: `Connectors.start` in the bench JVM with a `ControlPlane` (project, segment, one "
                        + "webhook destination: concurrency %d, rate limit %,d/s, one whsec_ secret; private addresses allowed) per part, each on "
                        + "its own topic prefix (%d segment-change partitions, outbox partitions as in reference.conf); the receiver is a JDK "
                        + "`HttpServer` on 127.0.0.1 (%d threads) that answers 200 with no body and records each `webhook-id`'s arrival. "
                        + "Latency: `segment_entered` changes produced (acks=all, linger 1 ms) at a paced %,.0f/s, %d s warm-up then %d s "
                        + "measured, at_ms = send time, webhook-id = `IdempotencyKeys.ofSegmentChange`; each measured entry's arrival − at_ms. "
                        + "Throughput: %,d entries pre-filled with the connectors stopped and the router's group placed at the topic's start (a new "
                        + "router group starts at the end), then started; rate = (n − 1) / (last − first "
                        + "arrival). Baseline: `java.net.http.HttpClient` (HTTP/1.1, 4-thread executor like the connectors' `HttpSender`) "
                        + "posting the same `WebhookBody` bodies signed by `WebhookSigner`, %d in flight, flat out, to the same receiver. JFR "
                        + "covers the whole phase (bench JVM: broker, connectors, receiver, producer).",
                CONCURRENCY, RATE_LIMIT, SEGMENT_CHANGE_PARTITIONS, CONCURRENCY * 2, LATENCY_RATE,
                quick ? 3 : 10, quick ? 10 : 60, quick ? 10_000 : 50_000, CONCURRENCY);
    }

    // ---- helpers ----

    private static SegmentChange entered(String person, long atMs, String eventId) {
        return new SegmentChange(PROJECT, person, SEGMENT, 1, SegmentChange.Kind.ENTERED, atMs, SegmentChange.Cause.EVENT, eventId);
    }

    /** The outbox message the trigger router makes of {@code c} for the bench's destination (as TriggerMessages does). */
    static OutboxMessage message(SegmentChange c) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("person_id", c.personId());
        ObjectNode segment = data.putObject("segment");
        segment.put("id", c.segmentId());
        segment.put("name", SEGMENT_NAME);
        segment.put("version", c.segmentVersion());
        data.put("change", c.kind().wireName());
        data.put("cause", c.cause().wireName());
        data.put("event_id", c.eventId());
        return new OutboxMessage(c.projectId(), DESTINATION, c.personId(), IdempotencyKeys.ofSegmentChange(DESTINATION, c),
                MessageTypes.SEGMENT_ENTERED, c.atMs(), data);
    }

    private static ProducerRecord<String, byte[]> record(TopicNames topics, SegmentChange c) {
        return new ProducerRecord<>(topics.segmentChanges(), c.userKey(), SegmentChangeCodec.encodeBytes(c));
    }

    private static KafkaProducer<String, byte[]> producer(BeaconStack stack) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static boolean await(BooleanSupplier condition, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20); // poll interval within the deadline
        }
        return condition.getAsBoolean();
    }

    /** Waits until {@code count} reaches {@code target}, or until it has not moved for {@code stall}. */
    private static void awaitProgress(LongSupplier count, long target, Duration stall) throws InterruptedException {
        long last = count.getAsLong();
        long movedAt = System.nanoTime();
        while (last < target && System.nanoTime() - movedAt < stall.toNanos()) {
            Thread.sleep(20); // poll interval within the stall deadline
            long now = count.getAsLong();
            if (now != last) {
                last = now;
                movedAt = System.nanoTime();
            }
        }
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** One part's control plane (project, segment, destination) and connectors on their own topic prefix. */
    private static final class Rig implements AutoCloseable {
        final TopicNames topics;
        final Config config;
        final ControlPlane controlPlane;
        Connectors connectors;

        private Rig(TopicNames topics, Config config, ControlPlane controlPlane) {
            this.topics = topics;
            this.config = config;
            this.controlPlane = controlPlane;
        }

        static Rig open(BeaconStack stack, String prefix, String url, String secret) {
            TopicNames topics = TopicNames.withPrefix(prefix);
            stack.kafka().createTopics(Map.of(topics.segmentChanges(), SEGMENT_CHANGE_PARTITIONS, topics.valid(), SEGMENT_CHANGE_PARTITIONS));
            Map<String, Object> m = new HashMap<>();
            m.put(CdpSettings.KAFKA_BOOTSTRAP_SERVERS, stack.kafka().bootstrapServers());
            m.put(CdpSettings.KAFKA_TOPIC_PREFIX, prefix);
            m.put("beacon.destinations.allow-private-addresses", "true");
            Config config = ConfigFactory.parseMap(m).withFallback(ConfigFactory.defaultReference()).resolve();
            ControlPlane cp = ControlPlane.start(ControlPlaneSettings.fromConfig(config));
            try {
                Project p = new Project(PROJECT, PROJECT, "UTC", EnforcementMode.PERMISSIVE, ProjectKeys.newWriteKey(),
                        ProjectKeys.newSecretKey(), ProjectKeys.newPiiSecret());
                cp.projects().create(p).toCompletableFuture().join();
                cp.segments().put(SegmentJson.parseBody(json("{\"name\":\"" + SEGMENT_NAME + "\",\"rule\":{\"last_seen_within\":\"P1D\"}}"),
                        PROJECT, SEGMENT), 0).toCompletableFuture().join();
                DestinationDefinition d = DestinationJson.parseBody(json("{\"name\":\"bench\",\"type\":\"webhook\",\"url\":\"" + url
                        + "\",\"secrets\":[\"" + secret + "\"],\"concurrency\":" + CONCURRENCY + ",\"rate_limit_per_second\":" + RATE_LIMIT
                        + ",\"subscriptions\":[{\"on\":\"segment_entered\",\"segment\":\"" + SEGMENT + "\"}]}"), PROJECT, DESTINATION);
                cp.destinations().put(d, 0).toCompletableFuture().join();
            } catch (RuntimeException e) {
                cp.close();
                throw e;
            }
            return new Rig(topics, config, cp);
        }

        void startConnectors() throws InterruptedException {
            CdpSettings settings = CdpSettings.fromConfig(config);
            connectors = Connectors.start(settings, new Connectors.Wiring(controlPlane.store(), controlPlane.projects(),
                    controlPlane.destinations(), controlPlane.segments(), ControlPlaneSettings.fromConfig(config), null, null, "bench"));
            if (!await(() -> connectors.readiness().equals("ok"), READY)) {
                throw new IllegalStateException("connectors not ready within " + READY + ": " + connectors.readiness());
            }
        }

        void seedRouterOffsetsAtStart(BeaconStack stack) throws Exception {
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            for (int i = 0; i < SEGMENT_CHANGE_PARTITIONS; i++) {
                start.put(new TopicPartition(topics.segmentChanges(), i), new OffsetAndMetadata(0));
                start.put(new TopicPartition(topics.valid(), i), new OffsetAndMetadata(0));
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()))) {
                admin.alterConsumerGroupOffsets(topics.prefix() + Connectors.ROUTER_GROUP, start).all().get(30, TimeUnit.SECONDS);
            }
        }

        @Override
        public void close() {
            if (connectors != null) {
                connectors.close();
            }
            controlPlane.close();
        }
    }
}
