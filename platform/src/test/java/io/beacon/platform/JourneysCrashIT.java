package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.JourneyEvent;
import io.beacon.event.JourneyEventCodec;
import io.beacon.event.TopicNames;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.IdempotencyKeys;
import io.beacon.event.cdp.OutboxMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live journey across a SIGKILL of the whole platform (real Kafka, ClickHouse, engine and connectors in a child
 * process; a local receiver on 127.0.0.1 that fails a fifth of its calls): 60 users enter (hello → 3 s delay → wait up
 * to 60 s for a purchase → thanks, or nudge). The process is killed while the first half of the runs wait and the
 * second half sit in their delay, with deliveries under way; it starts again, the even users purchase. Every run must
 * resume where it was: each user gets hello and then exactly one of thanks (even) or nudge (odd), the nudge no sooner
 * than the delay and the wait allow; the outbox holds each idempotency key once and the receiver sees each key's
 * message (repeats are retries of the same webhook-id); the journey's figures in ClickHouse count the same.
 */
@ExtendWith(BeaconStackExtension.class)
class JourneysCrashIT {
    private static final Logger LOG = LoggerFactory.getLogger(JourneysCrashIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 60;
    private static final long DELAY_MS = 3_000;
    private static final long MAX_WAIT_MS = 60_000;
    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final String JOURNEY = """
            {"id":"onboard","name":"Onboard","status":"live","priority":1,
             "trigger":{"type":"segment_entered","segment_id":"visitors"},
             "entry":"hello",
             "steps":{
               "hello":{"type":"send","destination_id":"hook","channel":"push","template":{"title":"Hello {{person_id}}"},"next":"pause"},
               "pause":{"type":"delay","duration":"PT3S","next":"wait"},
               "wait":{"type":"wait_until","event":{"event":"purchase"},"max_wait":"PT60S","next":"thanks","timeout_next":"nudge"},
               "thanks":{"type":"send","destination_id":"hook","channel":"push","template":{"title":"Thanks"},"next":"done"},
               "nudge":{"type":"send","destination_id":"hook","channel":"push","template":{"title":"Still thinking?"},"next":"done"},
               "done":{"type":"exit"}},
             "re_entry":{"policy":"once"}}""";

    /** Answers 500 to a fifth of the calls; records each call's webhook-id, person, step, message time and answer. */
    private static final class Receiver implements AutoCloseable {
        record Call(String webhookId, String person, String step, long createdAtMs, int status) {
        }

        final HttpServer server;
        final ExecutorService executor = Executors.newFixedThreadPool(8);
        final List<Call> calls = new ArrayList<>();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(executor);
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        private void handle(HttpExchange ex) throws IOException {
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            int status = ThreadLocalRandom.current().nextInt(5) == 0 ? 500 : 200;
            JsonNode data = body.path("data");
            synchronized (calls) {
                calls.add(new Call(ex.getRequestHeaders().getFirst("webhook-id"), data.path("person_id").asText(),
                        data.path("journey").path("step").asText(), Instant.parse(body.path("timestamp").asText()).toEpochMilli(),
                        status));
            }
            byte[] out = "{}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }

        List<Call> calls() {
            synchronized (calls) {
                return List.copyOf(calls);
            }
        }

        /** webhook-id → the first call answered 2xx. */
        Map<String, Call> delivered() {
            Map<String, Call> out = new HashMap<>();
            for (Call c : calls()) {
                if (c.status() == 200) {
                    out.putIfAbsent(c.webhookId(), c);
                }
            }
            return out;
        }

        long deliveredOf(String step, int fromUser, int toUser) {
            return delivered().values().stream().filter(c -> c.step().equals(step) && user(c.person()) >= fromUser
                    && user(c.person()) < toUser).count();
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    @Test
    void shouldResumeEveryRunAtItsStepAndSendEachStepOnceAcrossASigkill(TestStack stack) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PlatformFixture fx = new PlatformFixture(stack, "jnycrash", port);
        String secret = "sk_" + fx.name + "_crash_secret_key";
        fx.settings.put("beacon.bootstrap-project.secret-key", secret);
        fx.settings.put("beacon.cdp.retry.time-scale", "0.0002"); // the Svix schedule × 1/5,000: retries within seconds
        fx.settings.put("beacon.cdp.request-timeout", "2s");
        fx.settings.put("beacon.cdp.partitions", "3");
        String project = fx.settings.get("beacon.bootstrap-project.id");
        TopicNames topics = TopicNames.withPrefix(fx.name + ".");
        Path log = Files.createTempFile("beacon-jnycrash-", ".log");
        try (Receiver receiver = new Receiver()) {
            PlatformProcess first = PlatformProcess.start(fx.settings, log);
            first.awaitReady(Duration.ofSeconds(120));
            ApiClient api = new ApiClient(first.httpUrl(), secret);
            assertEquals(201, api.post("/api/v1/segments", "{\"id\":\"visitors\",\"name\":\"Visitors\",\"rule\":{\"last_seen_within\":\"P1D\"}}").status());
            ApiClient.Response d = api.post("/api/v1/destinations", "{\"id\":\"hook\",\"name\":\"hook\",\"type\":\"webhook\",\"url\":\""
                    + receiver.url() + "\",\"concurrency\":4,\"rate_limit_per_second\":1000,\"subscriptions\":[]}");
            assertEquals(201, d.status(), d.text());
            ApiClient.Response j = api.post("/api/v1/journeys", JOURNEY);
            assertEquals(201, j.status(), j.text());
            SegmentLoad load = new SegmentLoad(first::httpUrl, fx.writeKey);

            // Given the first half entering, then the second half once the first half's runs wait for a purchase
            assertEquals(200, load.post("/v1/batch", visits(0, USERS / 2)));
            await("the first half waiting", () -> atStep(stack, topics, "wait").size() == USERS / 2);
            assertEquals(200, load.post("/v1/batch", visits(USERS / 2, USERS)));
            await("some hellos of the second half delivered", () -> receiver.deliveredOf("hello", USERS / 2, USERS) >= 5);

            // When the platform is SIGKILLed: the first half waits, the second half sits in its 3 s delay
            int waitingAtKill = atStep(stack, topics, "wait").size();
            long killedAt = System.currentTimeMillis();
            first.kill();
            LOG.info("SIGKILL with {} runs waiting, {} calls at the receiver ({} delivered)", waitingAtKill,
                    receiver.calls().size(), receiver.delivered().size());
            assertTrue(waitingAtKill < USERS, "some runs were still in their delay at the kill: " + waitingAtKill + " waiting");
            PlatformProcess second = PlatformProcess.start(fx.settings, log);
            try {
                second.awaitReady(Duration.ofSeconds(120));
                long restartedMs = System.currentTimeMillis() - killedAt;
                // the delays that ended while the platform was down end at the restart: every run waits again
                await("every run waiting", () -> atStep(stack, topics, "wait").size() == USERS);
                // Then the even users purchase, inside every wait (the first wait began less than 60 s ago)
                List<String> purchases = new ArrayList<>();
                for (int u = 0; u < USERS; u += 2) {
                    purchases.add("{\"type\":\"track\",\"event\":\"purchase\",\"userId\":\"user-" + u + "\",\"messageId\":\"buy-" + u
                            + "\",\"timestamp\":\"" + Instant.now() + "\"}");
                }
                long purchasedAt = System.currentTimeMillis();
                SegmentLoad load2 = new SegmentLoad(second::httpUrl, fx.writeKey);
                assertEquals(200, load2.post("/v1/batch", SegmentLoad.batch(purchases)));
                Map<String, String> expected = new TreeMap<>(); // webhook-id → "user step"
                for (int u = 0; u < USERS; u++) {
                    for (String step : List.of("hello", u % 2 == 0 ? "thanks" : "nudge")) {
                        expected.put(IdempotencyKeys.of("journey", "hook", project, "journey/onboard/v1/user-" + u + "/1/" + step),
                                "user-" + u + " " + step);
                    }
                }
                await("every step delivered", () -> receiver.delivered().keySet().containsAll(expected.keySet()));

                // each idempotency key once on the outbox (the engine's transactions), nothing else
                List<OutboxMessage> outbox = readCommitted(stack, topics.cdpOutbox(), CdpCodec::decodeMessage);
                Map<String, Integer> perId = new TreeMap<>();
                outbox.forEach(m -> perId.merge(m.messageId(), 1, Integer::sum));
                assertEquals(expected.keySet(), perId.keySet(), "the outbox holds exactly the expected sends");
                assertTrue(perId.values().stream().allMatch(n -> n == 1), "each key once on the outbox: " + perId);
                // the receiver saw only those ids, each naming its person and step
                Map<String, Receiver.Call> delivered = receiver.delivered();
                for (Receiver.Call c : receiver.calls()) {
                    assertEquals(expected.get(c.webhookId()), c.person() + " " + c.step(), "webhook-id " + c.webhookId());
                }
                // at the right time: a nudge comes after the delay and the whole wait, a thanks after the purchase
                for (int u = 0; u < USERS; u++) {
                    Receiver.Call hello = delivered.get(id(project, u, "hello"));
                    if (u % 2 == 0) {
                        Receiver.Call thanks = delivered.get(id(project, u, "thanks"));
                        assertTrue(thanks.createdAtMs() >= purchasedAt - 1_000, "user-" + u + " thanked after the purchase");
                    } else {
                        Receiver.Call nudge = delivered.get(id(project, u, "nudge"));
                        long after = nudge.createdAtMs() - hello.createdAtMs();
                        assertTrue(after >= DELAY_MS + MAX_WAIT_MS, "user-" + u + " nudged " + after + " ms after hello");
                        assertTrue(after <= DELAY_MS + MAX_WAIT_MS + restartedMs + 30_000,
                                "user-" + u + " nudged " + after + " ms after hello (restart took " + restartedMs + " ms)");
                    }
                }
                long repeats = receiver.calls().stream().filter(c -> c.status() == 200).count() - delivered.size();
                LOG.info("journey crash: restart {} ms, {} calls, {} keys delivered, {} repeated deliveries (at least once "
                        + "across the kill)", restartedMs, receiver.calls().size(), delivered.size(), repeats);

                // the figures in ClickHouse (journey_events, via the sink) count the same runs and sends
                ApiClient api2 = new ApiClient(second.httpUrl(), secret);
                await("the figures", () -> {
                    JsonNode stats = api2.get("/api/v1/journeys/onboard/stats?version=1").body();
                    return stats.path("entered").asLong() == USERS && stats.path("completed").asLong() == USERS
                            && stats.path("steps").path("hello").path("sent").asLong() == USERS
                            && stats.path("steps").path("thanks").path("sent").asLong() == USERS / 2
                            && stats.path("steps").path("nudge").path("sent").asLong() == USERS / 2;
                });
            } finally {
                second.kill();
            }
        }
    }

    private static String id(String project, int u, String step) {
        return IdempotencyKeys.of("journey", "hook", project, "journey/onboard/v1/user-" + u + "/1/" + step);
    }

    private static int user(String person) {
        return Integer.parseInt(person.substring("user-".length()));
    }

    private static String visits(int from, int to) {
        List<String> items = new ArrayList<>();
        for (int u = from; u < to; u++) {
            items.add("{\"type\":\"track\",\"event\":\"visit\",\"userId\":\"user-" + u + "\",\"messageId\":\"visit-" + u
                    + "\",\"timestamp\":\"" + Instant.now() + "\"}");
        }
        return SegmentLoad.batch(items);
    }

    /** The persons whose runs entered {@code step} (committed journey events). */
    private static Set<String> atStep(TestStack stack, TopicNames topics, String step) {
        Set<String> persons = new TreeSet<>();
        for (JourneyEvent e : readCommitted(stack, topics.journeyEvents(), JourneyEventCodec::decode)) {
            if (e.kind() == JourneyEvent.Kind.STEP_ENTERED && step.equals(e.stepId())) {
                persons.add(e.personId());
            }
        }
        return persons;
    }

    private static <T> List<T> readCommitted(TestStack stack, String topic, Function<byte[], T> decode) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within 20 s");
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(decode.apply(r.value()));
                }
            }
        }
        return out;
    }

    private static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200); // poll interval
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        throw new AssertionError("not within " + DEADLINE + ": " + what);
    }
}
