package io.beacon.cdp.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.beacon.cdp.CdpSettings;
import io.beacon.cdp.signing.WebhookSigner;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.control.destinations.DestinationJson;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectKeys;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.control.segments.SegmentJson;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.SegmentChange;
import io.beacon.event.SegmentChangeCodec;
import io.beacon.event.TopicNames;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.CdpDeadLetter;
import io.beacon.event.cdp.ErrorClass;
import io.beacon.event.cdp.IdempotencyKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The connectors' delivery machinery on a real Kafka broker with local HTTP receivers: segment changes written to
 * {@code beacon.segment.changes} go through the trigger router, the outbox and the worker to the receivers.
 * Schedules are scaled down (the Svix schedule × 1/10,000, no jitter) so a whole retry run takes seconds.
 */
@ExtendWith(BeaconStackExtension.class)
class ConnectorsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    /** The Svix schedule × 1/10,000: 0, 0.5 ms, 30 ms, 180 ms, 720 ms, 1.8 s, 3.6 s, 3.6 s. */
    private static final double SCALE = 0.0001;

    private TestStack stack;
    private TopicNames topics;
    private ControlPlane controlPlane;
    private Connectors connectors;
    private KafkaProducer<String, byte[]> producer;
    private CdpSettings settings;
    private final List<Receiver> receivers = new ArrayList<>();
    private String project;

    @BeforeEach
    void start(TestStack stack) {
        this.stack = stack;
        String prefix = stack.uniqueName("cdp") + ".";
        topics = TopicNames.withPrefix(prefix);
        stack.createTopics(3, topics.segmentChanges(), topics.valid());
        Map<String, Object> conf = new HashMap<>();
        conf.put("beacon.kafka.bootstrap-servers", stack.bootstrapServers());
        conf.put("beacon.kafka.topic-prefix", prefix);
        conf.put("beacon.destinations.allow-private-addresses", "true");
        conf.put("beacon.cdp.partitions", "3");
        conf.put("beacon.cdp.request-timeout", "2s");
        var config = ConfigFactory.parseMap(conf).withFallback(ConfigFactory.defaultReference()).resolve();
        ControlPlaneSettings cps = ControlPlaneSettings.fromConfig(config);
        controlPlane = ControlPlane.start(cps);
        Project p = new Project("shop", "shop", "UTC", EnforcementMode.PERMISSIVE, ProjectKeys.newWriteKey(),
                ProjectKeys.newSecretKey(), ProjectKeys.newPiiSecret());
        controlPlane.projects().create(p).toCompletableFuture().join();
        project = p.id();
        controlPlane.segments().put(SegmentJson.parseBody(json("{\"name\":\"VIP\",\"rule\":{\"last_seen_within\":\"P1D\"}}"),
                project, "vip"), 0).toCompletableFuture().join();
        // the circuit's open time scaled down too (30 s → 200 ms, cap 1 s), so it does not outlast the scaled schedule
        settings = CdpSettings.fromConfig(config).withRetry(CdpSettings.fromConfig(config).retrySchedule(), 0.0, SCALE)
                .withCircuit(5, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofDays(5));
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer());
    }

    private void startConnectors() {
        connectors = Connectors.start(settings, new Connectors.Wiring(controlPlane.store(), controlPlane.projects(),
                controlPlane.destinations(), controlPlane.segments(), ControlPlaneSettings.fromConfig(ConfigFactory.parseMap(Map.of(
                        "beacon.kafka.bootstrap-servers", stack.bootstrapServers(), "beacon.kafka.topic-prefix", topics.prefix()))
                        .withFallback(ConfigFactory.defaultReference()).resolve()),
                null, null, "it-" + UUID.randomUUID()));
        await("connectors ready", () -> connectors.readiness().equals("ok"));
    }

    @AfterEach
    void stop() {
        if (connectors != null) {
            connectors.close();
        }
        receivers.forEach(Receiver::close);
        producer.close();
        controlPlane.close();
    }

    // ---- tests -----------------------------------------------------------------------------------

    @Test
    void shouldDeliverEachSegmentEntryOnceSignedWithItsIdempotencyKey() throws Exception {
        Receiver r = receiver(c -> Receiver.Answer.ok());
        destination("crm", r.url(), 4);
        startConnectors();

        List<SegmentChange> changes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            changes.add(entered("u" + i, 1_000 + i));
        }
        changes.forEach(this::write);
        await("40 webhooks", () -> r.calls().size() >= 40);

        WebhookSigner verifier = new WebhookSigner(List.of(SECRET));
        Set<String> expected = changes.stream().map(c -> IdempotencyKeys.ofSegmentChange("crm", c)).collect(Collectors.toSet());
        Set<String> seen = new HashSet<>();
        for (Receiver.Call c : r.calls()) {
            assertTrue(verifier.verify(c.webhookId(), c.timestamp(), c.signature(), c.body(), System.currentTimeMillis() / 1000),
                    "signature of " + c.webhookId());
            assertEquals("segment.entered", c.json().path("type").asText());
            assertEquals("vip", c.json().path("data").path("segment").path("id").asText());
            assertEquals("VIP", c.json().path("data").path("segment").path("name").asText());
            assertTrue(c.json().path("timestamp").asText().startsWith("1970-01-01T00:00:01"), c.json().toString());
            seen.add(c.webhookId());
        }
        assertEquals(expected, seen);
        assertEquals(40, r.calls().size(), "no duplicates without failures");
    }

    @Test
    void shouldKeepDeliveringToAHealthyDestinationWhileASlowOneHoldsItsRequests() throws Exception {
        Receiver slow = receiver(c -> new Receiver.Answer(200, null, 10_000));
        Receiver healthy = receiver(c -> Receiver.Answer.ok());
        destination("slow", slow.url(), 2);
        destination("healthy", healthy.url(), 2);
        startConnectors();
        long firstSlowAnswerAt = System.currentTimeMillis() + 10_000;

        for (int i = 0; i < 30; i++) {
            write(entered("u" + i, 2_000 + i));
        }
        await("30 webhooks at the healthy destination", () -> healthy.calls().size() >= 30);

        long healthyDone = healthy.calls().stream().mapToLong(Receiver.Call::atMs).max().orElseThrow();
        assertTrue(healthyDone < firstSlowAnswerAt, "the healthy destination got all 30 before the slow one answered once");
        assertTrue(slow.calls().size() <= 2, "the slow destination holds at most its 2 concurrency slots: " + slow.calls().size());
    }

    @Test
    void shouldNotDelayOtherPersonsBehindOnePersonWhoseDeliveriesFail() throws Exception {
        Receiver r = receiver(c -> c.person().equals("bad") ? new Receiver.Answer(500, null, 0) : Receiver.Answer.ok());
        destination("crm", r.url(), 4);
        startConnectors();

        write(entered("bad", 3_000));
        for (int i = 0; i < 20; i++) {
            write(entered("good" + i, 3_001 + i));
        }
        await("20 good persons delivered", () -> r.calls().stream().filter(c -> c.person().startsWith("good")).count() >= 20);

        long badAttempts = r.calls().stream().filter(c -> c.person().equals("bad")).count();
        assertTrue(badAttempts >= 1, "bad was attempted");
        assertTrue(badAttempts < 8, "bad is still on its schedule while the others are done: " + badAttempts);
    }

    @Test
    void shouldRetryOnTheScheduleAndDeadLetterWhenItRunsOut() throws Exception {
        Receiver r = receiver(c -> new Receiver.Answer(500, null, 0));
        destination("crm", r.url(), 1);
        startConnectors();

        SegmentChange c = entered("u1", 4_000);
        write(c);
        CdpDeadLetter letter = awaitDeadLetter(IdempotencyKeys.ofSegmentChange("crm", c));

        List<Receiver.Call> calls = r.calls();
        assertEquals(8, calls.size(), "one attempt per entry of the schedule");
        assertEquals(8, letter.attempts());
        assertEquals(ErrorClass.EXHAUSTED, letter.errorClass());
        assertEquals(500, letter.lastStatus());
        List<Duration> schedule = settings.retrySchedule();
        for (int i = 1; i < calls.size(); i++) {
            long gap = calls.get(i).atMs() - calls.get(i - 1).atMs();
            long planned = Math.round(schedule.get(i).toMillis() * SCALE);
            assertTrue(gap >= planned - 2, "gap before attempt " + (i + 1) + ": " + gap + " ms, planned " + planned + " ms");
            assertTrue(gap <= planned + 1_000, "gap before attempt " + (i + 1) + ": " + gap + " ms, planned " + planned + " ms");
        }
        assertTrue(calls.stream().allMatch(x -> x.webhookId().equals(calls.get(0).webhookId())), "every attempt has the same webhook-id");
    }

    @Test
    void shouldHonourRetryAfterOnA429() throws Exception {
        Receiver r = receiver(c -> new Receiver.Answer(429, "2", 0));
        destination("crm", r.url(), 1);
        startConnectors();
        write(entered("u1", 5_000));
        await("two attempts", () -> r.calls().size() >= 2);

        long gap = r.calls().get(1).atMs() - r.calls().get(0).atMs();
        assertTrue(gap >= 2_000, "the second attempt waited for Retry-After: 2 s, gap " + gap + " ms");
    }

    @Test
    void shouldDisableADestinationThatAnswers410AndDeadLetterItsMessages() throws Exception {
        Receiver r = receiver(c -> new Receiver.Answer(410, null, 0));
        destination("gone", r.url(), 1);
        startConnectors();
        SegmentChange c = entered("u1", 6_000);
        write(c);

        CdpDeadLetter letter = awaitDeadLetter(IdempotencyKeys.ofSegmentChange("gone", c));
        assertEquals(ErrorClass.DESTINATION_DISABLED, letter.errorClass());
        await("destination disabled", () -> controlPlane.destinations().get(project, "gone").map(d -> !d.enabled()).orElse(false));
        DestinationDefinition d = controlPlane.destinations().get(project, "gone").orElseThrow();
        assertNotNull(d.disabledReason());
        assertTrue(d.disabledReason().contains("410"), d.disabledReason());
        assertEquals(1, r.calls().size());
    }

    @Test
    void shouldDeliverWhatWaitedInTheRetryTopicAfterTheWorkerRestarts() throws Exception {
        // fails until the flag flips: the first worker parks the message in the retry topic, the second delivers it
        AtomicBoolean healthy = new AtomicBoolean();
        Receiver r = receiver(c -> healthy.get() ? Receiver.Answer.ok() : new Receiver.Answer(500, null, 0));
        destination("crm", r.url(), 1);
        settings = settings.withRetry(List.of(Duration.ZERO, Duration.ofSeconds(3), Duration.ofSeconds(3)), 0.0, 1.0);
        startConnectors();
        SegmentChange c = entered("u1", 7_000);
        write(c);
        await("first attempt", () -> r.calls().size() >= 1);
        connectors.close();
        healthy.set(true);

        startConnectors();
        await("delivered after the restart", () -> r.calls().size() >= 2);
        assertEquals(IdempotencyKeys.ofSegmentChange("crm", c), r.calls().get(1).webhookId());
        assertFalse(deadLetters().containsKey(IdempotencyKeys.ofSegmentChange("crm", c)));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private Receiver receiver(Function<Receiver.Call, Receiver.Answer> behaviour) {
        Receiver r = new Receiver(behaviour);
        receivers.add(r);
        return r;
    }

    private void destination(String id, String url, int concurrency) {
        DestinationDefinition d = DestinationJson.parseBody(json("{\"name\":\"" + id + "\",\"type\":\"webhook\",\"url\":\"" + url
                + "\",\"secrets\":[\"" + SECRET + "\"],\"concurrency\":" + concurrency + ",\"rate_limit_per_second\":1000,"
                + "\"subscriptions\":[{\"on\":\"segment_entered\",\"segment\":\"vip\"}]}"), project, id);
        controlPlane.destinations().put(d, 0).toCompletableFuture().join();
    }

    private SegmentChange entered(String person, long atMs) {
        return new SegmentChange(project, person, "vip", 1, SegmentChange.Kind.ENTERED, atMs, SegmentChange.Cause.EVENT, "e-" + person);
    }

    private void write(SegmentChange c) {
        try {
            producer.send(new ProducerRecord<>(topics.segmentChanges(), c.userKey(), SegmentChangeCodec.encodeBytes(c))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private CdpDeadLetter awaitDeadLetter(String messageId) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            CdpDeadLetter d = deadLetters().get(messageId);
            if (d != null) {
                return d;
            }
        }
        throw new AssertionError("no dead letter " + messageId + " within " + DEADLINE);
    }

    private Map<String, CdpDeadLetter> deadLetters() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, CdpDeadLetter> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topics.cdpDlq()));
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(1_500))) {
                CdpDeadLetter d = CdpCodec.decodeDeadLetter(r.value());
                out.put(d.message().messageId(), d);
            }
        }
        return out;
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20); // poll interval
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        throw new AssertionError("not within " + DEADLINE + ": " + what);
    }
}
