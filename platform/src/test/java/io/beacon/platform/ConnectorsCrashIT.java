package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.SegmentChange;
import io.beacon.event.SegmentChangeCodec;
import io.beacon.event.TopicNames;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.CdpDeadLetter;
import io.beacon.event.cdp.ErrorClass;
import io.beacon.event.cdp.IdempotencyKeys;
import io.beacon.event.cdp.OutboxMessage;
import io.beacon.warehouse.clickhouse.ClickHouse;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors' guarantee end to end and across a SIGKILL: real Kafka, ClickHouse and engine in a platform child
 * process (all roles), local receivers on 127.0.0.1. 150 users enter a segment; a webhook destination fails half of
 * its calls (500), times out on 7 %, answers 429 with Retry-After on 3 % (each holds the whole destination for 1 s); a second destination answers 410. The
 * process is SIGKILLed while deliveries and retries are under way and started again. Every message must end
 * delivered or in the DLQ (none lost), every call the receivers saw must carry the webhook-id of a message that was
 * meant for them, and each person has one webhook-id per destination (repeats are retries of the same id).
 */
@ExtendWith(BeaconStackExtension.class)
class ConnectorsCrashIT {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorsCrashIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 150;
    private static final Duration DEADLINE = Duration.ofSeconds(150);

    /** A receiver answering by a behaviour; records every call's webhook-id, person and answer. */
    private static final class Receiver implements AutoCloseable {
        record Call(String webhookId, String person, int status, long atMs) {
        }

        final HttpServer server;
        final ExecutorService executor = Executors.newCachedThreadPool();
        final List<Call> calls = new ArrayList<>();
        final IntSupplier status;

        Receiver(IntSupplier status) throws IOException {
            this.status = status;
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
            int s = status.getAsInt();
            synchronized (calls) {
                // status 0: this call times out (answered after the connectors gave up), so it is not a delivery
                calls.add(new Call(ex.getRequestHeaders().getFirst("webhook-id"), body.path("data").path("person_id").asText(),
                        s, System.currentTimeMillis()));
            }
            if (s == 0) {
                try {
                    Thread.sleep(1_500); // longer than the 1 s request timeout: the connectors give up on this call
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                s = 200;
            }
            if (s == 429) {
                ex.getResponseHeaders().add("Retry-After", "1");
            }
            byte[] out = "{}".getBytes(StandardCharsets.UTF_8);
            try {
                ex.sendResponseHeaders(s, out.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            } catch (IOException e) {
                // the caller timed out and closed the connection
            }
        }

        List<Call> calls() {
            synchronized (calls) {
                return List.copyOf(calls);
            }
        }

        /** Webhook-ids answered 2xx (a timed-out call counts as not delivered: the connectors did not see its answer). */
        Set<String> delivered() {
            Set<String> ids = new HashSet<>();
            for (Call c : calls()) {
                if (c.status() >= 200 && c.status() < 300) {
                    ids.add(c.webhookId());
                }
            }
            return ids;
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    @Test
    void shouldDeliverOrDeadLetterEverySegmentEntryAcrossASigkill(TestStack stack) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PlatformFixture fx = new PlatformFixture(stack, "cdpcrash", port);
        String secret = "sk_" + fx.name + "_crash_secret_key";
        fx.settings.put("beacon.bootstrap-project.secret-key", secret);
        // the Svix schedule × 1/5,000 (5 s → 1 ms, 10 h → 7.2 s; ~20 s in all), with its jitter; 1 s request timeout
        fx.settings.put("beacon.cdp.retry.time-scale", "0.0002");
        fx.settings.put("beacon.cdp.request-timeout", "1s");
        fx.settings.put("beacon.cdp.circuit.open-for", "200ms");
        fx.settings.put("beacon.cdp.circuit.max-open-for", "1s");
        fx.settings.put("beacon.cdp.partitions", "3");
        String project = fx.settings.get("beacon.bootstrap-project.id");
        TopicNames topics = TopicNames.withPrefix(fx.name + ".");
        Path log = Files.createTempFile("beacon-cdpcrash-", ".log");
        Map<String, Integer> attemptsOfFlaky = new ConcurrentHashMap<>();
        try (Receiver flaky = new Receiver(() -> {
                int r = ThreadLocalRandom.current().nextInt(100);
                return r < 50 ? 500 : r < 57 ? 0 : r < 60 ? 429 : 200; // 50 % fail, 7 % time out, 3 % throttle
            });
             Receiver gone = new Receiver(() -> 410);
             ClickHouse ch = fx.clickhouse()) {
            PlatformProcess first = PlatformProcess.start(fx.settings, log);
            first.awaitReady(Duration.ofSeconds(120));
            ApiClient api = new ApiClient(first.httpUrl(), secret);
            assertEquals(201, api.post("/api/v1/segments", "{\"id\":\"active\",\"name\":\"Active\",\"rule\":{\"last_seen_within\":\"P1D\"}}").status());
            for (String[] d : new String[][] {{"flaky", flaky.url(), "8"}, {"gone", gone.url(), "2"}}) {
                ApiClient.Response r = api.post("/api/v1/destinations", "{\"id\":\"" + d[0] + "\",\"name\":\"" + d[0]
                        + "\",\"type\":\"webhook\",\"url\":\"" + d[1] + "\",\"concurrency\":" + d[2]
                        + ",\"rate_limit_per_second\":1000,\"subscriptions\":[{\"on\":\"segment_entered\",\"segment\":\"active\"}]}");
                assertEquals(201, r.status(), r.text());
            }

            // Given 150 users entering the segment (one event each)
            SegmentLoad load = new SegmentLoad(first::httpUrl, fx.writeKey);
            for (int b = 0; b < USERS / 50; b++) {
                List<String> items = new ArrayList<>();
                for (int i = b * 50; i < (b + 1) * 50; i++) {
                    items.add("{\"type\":\"track\",\"event\":\"visit\",\"userId\":\"user-" + i + "\",\"messageId\":\"m-" + i
                            + "\",\"timestamp\":\"" + Instant.now() + "\"}");
                }
                assertEquals(200, load.post("/v1/batch", SegmentLoad.batch(items)));
            }
            // When the platform is SIGKILLed while deliveries and retries are under way
            await("some deliveries before the kill", () -> flaky.calls().size() >= 40);
            int callsBeforeKill = flaky.calls().size();
            first.kill();
            LOG.info("SIGKILL after {} calls at the flaky receiver ({} delivered)", callsBeforeKill, flaky.delivered().size());
            PlatformProcess second = PlatformProcess.start(fx.settings, log);
            try {
                second.awaitReady(Duration.ofSeconds(120));

                // Then every segment entry's message ends delivered or dead-lettered, for both destinations
                Map<String, String> expectedFlaky = new HashMap<>();
                Map<String, String> expectedGone = new HashMap<>();
                await("150 segment entries", () -> {
                    for (SegmentChange c : entries(stack, topics, project)) {
                        expectedFlaky.put(IdempotencyKeys.ofSegmentChange("flaky", c), c.personId());
                        expectedGone.put(IdempotencyKeys.ofSegmentChange("gone", c), c.personId());
                    }
                    return expectedFlaky.values().stream().filter(p -> p.startsWith("user-")).count() >= USERS;
                });
                // the destinations' own state changes are events of persons beacon-destination:<id>, who enter too
                assertEquals(USERS, expectedFlaky.values().stream().filter(p -> p.startsWith("user-")).count(), "one entry per user");
                assertTrue(expectedFlaky.values().stream().allMatch(p -> p.startsWith("user-") || p.startsWith("beacon-destination:")),
                        expectedFlaky.values().toString());
                // the 410 destination is disabled at its first answer: later entries make no message for it
                expectedGone.keySet().retainAll(outboxIds(stack, topics, "gone"));
                assertTrue(!expectedGone.isEmpty(), "some messages were made for the 410 destination before it was disabled");
                Map<String, CdpDeadLetter> dlq = new HashMap<>();
                Set<String> missing = new HashSet<>();
                await("every message delivered or dead-lettered", () -> {
                    dlq.putAll(deadLetters(stack, topics));
                    Set<String> done = new HashSet<>(flaky.delivered());
                    done.addAll(dlq.keySet());
                    missing.clear();
                    expectedFlaky.keySet().stream().filter(id -> !done.contains(id)).forEach(missing::add);
                    expectedGone.keySet().stream().filter(id -> !dlq.containsKey(id)).forEach(missing::add);
                    return missing.isEmpty();
                }, () -> missing.size() + " messages neither delivered nor dead-lettered, e.g. " + missing.stream().limit(5).toList());

                Set<String> flakyDelivered = flaky.delivered();
                long flakyDeadLettered = expectedFlaky.keySet().stream().filter(dlq::containsKey).count();
                for (String id : expectedFlaky.keySet()) {
                    assertTrue(flakyDelivered.contains(id) || dlq.containsKey(id), "lost: " + id);
                }
                for (String id : expectedGone.keySet()) {
                    assertEquals(ErrorClass.DESTINATION_DISABLED, dlq.get(id).errorClass(), id);
                }
                // nothing foreign, one id per person and destination: repeats at a receiver are retries of that id.
                // The destinations' own persons can enter after the snapshot above (a state change after the restart),
                // so the entries are read once more: they only grow
                for (SegmentChange c : entries(stack, topics, project)) {
                    expectedFlaky.putIfAbsent(IdempotencyKeys.ofSegmentChange("flaky", c), c.personId());
                }
                Map<String, Set<String>> idsPerPerson = new HashMap<>();
                for (Receiver.Call c : flaky.calls()) {
                    assertTrue(expectedFlaky.containsKey(c.webhookId()), () -> "unexpected webhook-id " + c.webhookId() + " for "
                            + c.person() + " (on the outbox for flaky: " + outboxIds(stack, topics, "flaky").contains(c.webhookId()) + ")");
                    assertEquals(expectedFlaky.get(c.webhookId()), c.person(), "the webhook-id names its person");
                    idsPerPerson.computeIfAbsent(c.person(), k -> new HashSet<>()).add(c.webhookId());
                    attemptsOfFlaky.merge(c.webhookId(), 1, Integer::sum);
                }
                assertTrue(idsPerPerson.values().stream().allMatch(s -> s.size() == 1), "one webhook-id per person");
                for (Receiver.Call c : gone.calls()) {
                    assertTrue(expectedGone.containsKey(c.webhookId()), "unexpected webhook-id " + c.webhookId());
                }
                assertTrue(gone.calls().size() <= 2 + 2, "the 410 destination was disabled after its first answers: "
                        + gone.calls().size() + " calls (2 concurrency slots, before and after the restart)");
                long deliveredTwice = flaky.calls().stream().filter(c -> c.status() == 200).map(Receiver.Call::webhookId)
                        .collect(Collectors.groupingBy(x -> x, Collectors.counting()))
                        .values().stream().filter(n -> n > 1).count();
                LOG.info("flaky: {} calls, {} delivered, {} dead-lettered, {} delivered twice (at least once across the kill), "
                                + "max attempts of one message {}; gone: {} calls, {} dead-lettered",
                        flaky.calls().size(), flakyDelivered.size(), flakyDeadLettered, deliveredTwice,
                        attemptsOfFlaky.values().stream().mapToInt(Integer::intValue).max().orElse(0), gone.calls().size(),
                        expectedGone.keySet().stream().filter(dlq::containsKey).count());
                // the delivery log holds the attempts (deliveries FINAL, copied by the sink)
                long logged = PlatformFixture.awaitValue(() -> PlatformFixture.count(ch,
                        "SELECT count() FROM deliveries FINAL WHERE destination_id = 'flaky' AND outcome = 'delivered'"),
                        flakyDelivered.size(), Duration.ofSeconds(30));
                assertTrue(logged >= flakyDelivered.size() * 9 / 10, "delivered attempts in the log: " + logged + " of " + flakyDelivered.size());
            } finally {
                second.kill();
            }
        }
    }

    /** The ENTERED changes of the project on beacon.segment.changes. */
    private static List<SegmentChange> entries(TestStack stack, TopicNames topics, String project) {
        List<SegmentChange> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(stack, topics.segmentChanges(), true)) {
            SegmentChange c = SegmentChangeCodec.decode(r.value());
            if (c.projectId().equals(project) && c.kind() == SegmentChange.Kind.ENTERED) {
                out.add(c);
            }
        }
        return out;
    }

    private static Map<String, CdpDeadLetter> deadLetters(TestStack stack, TopicNames topics) {
        Map<String, CdpDeadLetter> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(stack, topics.cdpDlq(), false)) {
            CdpDeadLetter d = CdpCodec.decodeDeadLetter(r.value());
            out.put(d.message().messageId(), d);
        }
        return out;
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(TestStack stack, String topic, boolean committedOnly) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-read-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (committedOnly) {
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private static void await(String what, BooleanSupplier condition) {
        await(what, condition, () -> "");
    }

    private static void await(String what, BooleanSupplier condition, Supplier<String> diagnosis) {
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
        throw new AssertionError("not within " + DEADLINE + ": " + what + "; " + diagnosis.get());
    }

    /** The message ids on the outbox (committed transactions only) for {@code destination}. */
    private static Set<String> outboxIds(TestStack stack, TopicNames topics, String destination) {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : readAll(stack, topics.cdpOutbox(), true)) {
            OutboxMessage m = CdpCodec.decodeMessage(r.value());
            if (m.destinationId().equals(destination)) {
                ids.add(m.messageId());
            }
        }
        return ids;
    }
}
