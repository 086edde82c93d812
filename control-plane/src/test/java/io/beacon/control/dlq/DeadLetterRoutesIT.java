package io.beacon.control.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectKeys;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.DeadLetter;
import io.beacon.event.EventCodec;
import io.beacon.event.RawEnvelope;
import io.beacon.event.RejectionCode;
import io.beacon.event.TopicNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DLQ API as mounted by the control plane's routes, on a real broker and config store. */
@ExtendWith(BeaconStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadLetterRoutesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestStack stack;
    private TopicNames topics;
    private ControlPlane controlPlane;
    private ActorSystem system;
    private ServerBinding binding;
    private String base;
    private String shopKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private byte[] garbage;

    @BeforeAll
    void start(TestStack stack) throws Exception {
        this.stack = stack;
        String prefix = stack.uniqueName("dlqapi") + ".";
        topics = TopicNames.withPrefix(prefix);
        stack.createTopics(Map.of(topics.raw(), 1, topics.dlq(), 1));
        ControlPlaneSettings settings = ControlPlaneSettings.fromConfig(ConfigFactory.parseMap(Map.of(
                        "beacon.kafka.bootstrap-servers", stack.bootstrapServers(),
                        "beacon.kafka.topic-prefix", prefix))
                .withFallback(ConfigFactory.defaultReference()));
        controlPlane = ControlPlane.start(settings);
        shopKey = project("shop");
        project("blog");
        system = ActorSystem.create("dlq-api-it", ConfigFactory.parseString("pekko.loglevel = WARNING")
                .withFallback(ConfigFactory.defaultReference()));
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(controlPlane.routes())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + binding.localAddress().getPort();

        // Given: offset 0 TYPE_MISMATCH (shop), 1 UNKNOWN_EVENT (shop), 2 sink letter (shop),
        // 3 TYPE_MISMATCH (blog), 4 non-JSON original (shop, parse)
        garbage = new byte[] {(byte) 0xff, 'x', 0};
        dlq(DeadLetterFixtures.refused(DeadLetterFixtures.track("shop", "m1", "ada", "12 EUR"),
                        RejectionCode.TYPE_MISMATCH, "validate", topics.raw(), 10),
                DeadLetterFixtures.refused(DeadLetterFixtures.track("shop", "u1", "bob", 3),
                        RejectionCode.UNKNOWN_EVENT, "validate", topics.raw(), 11),
                DeadLetterFixtures.sinkLetter("shop", "s1", topics.valid()),
                DeadLetterFixtures.refused(DeadLetterFixtures.track("blog", "b1", "cy", "x"),
                        RejectionCode.TYPE_MISMATCH, "validate", topics.raw(), 12),
                DeadLetterFixtures.garbage("shop", topics.raw(), garbage));
    }

    @AfterAll
    void stop() throws Exception {
        if (binding != null) {
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (system != null) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    @Test
    void shouldListOnlyTheLettersOfTheKeysProjectWithCountsPerCode() throws Exception {
        Reply r = call("GET", "/api/v1/dlq", shopKey, null);

        assertEquals(200, r.status(), r.body().toString());
        assertEquals(4, r.body().get("total").asInt());
        assertEquals(JSON.readTree("{\"MALFORMED_JSON\":2,\"TYPE_MISMATCH\":1,\"UNKNOWN_EVENT\":1}"), r.body().get("by_code"));
        JsonNode first = r.body().get("records").get(0);
        assertEquals(0, first.get("partition").asInt());
        assertEquals(0, first.get("offset").asLong());
        assertEquals("TYPE_MISMATCH", first.get("code").asText());
        assertEquals("amount", first.get("field").asText());
        assertEquals("validate", first.get("stage").asText());
        assertEquals("m1", first.get("event_id").asText());
        assertEquals(DeadLetterFixtures.FAILED_AT, first.get("failed_at").asLong());
        assertEquals("json", first.get("original_encoding").asText());
        assertEquals("12 EUR", first.get("original").path("payload").path("properties").path("amount").asText());
        JsonNode last = r.body().get("records").get(3);
        assertEquals("base64", last.get("original_encoding").asText());
        assertEquals(Base64.getEncoder().encodeToString(garbage), last.get("original").asText());
    }

    @Test
    void shouldFilterByCodeStageAndLimit() throws Exception {
        Reply byCode = call("GET", "/api/v1/dlq?code=TYPE_MISMATCH", shopKey, null);
        Reply byStage = call("GET", "/api/v1/dlq?stage=sink&limit=1", shopKey, null);

        assertEquals(1, byCode.body().get("total").asInt());
        assertEquals("m1", byCode.body().get("records").get(0).get("event_id").asText());
        assertEquals(1, byStage.body().get("records").size());
        assertEquals("s1", byStage.body().get("records").get(0).get("event_id").asText());
    }

    @Test
    void shouldRefuseRequestsWithoutAValidSecretKey() throws Exception {
        assertEquals(401, call("GET", "/api/v1/dlq", null, null).status());
        assertEquals(401, call("GET", "/api/v1/dlq", "sk_wrong", null).status());
        assertEquals(401, call("POST", "/api/v1/dlq/replay", "sk_wrong", "{\"code\":\"TYPE_MISMATCH\"}").status());
    }

    @Test
    void shouldAnswer400WithACodeForMalformedQueriesAndBodies() throws Exception {
        assertError(call("GET", "/api/v1/dlq?code=NOPE", shopKey, null), "INVALID_CODE", "code");
        assertError(call("GET", "/api/v1/dlq?limit=0", shopKey, null), "INVALID_LIMIT", "limit");
        assertError(call("GET", "/api/v1/dlq?limit=abc", shopKey, null), "INVALID_LIMIT", "limit");
        assertError(call("POST", "/api/v1/dlq/replay", shopKey, "{not json"), "MALFORMED_JSON", "");
        assertError(call("POST", "/api/v1/dlq/replay", shopKey, "[1,2]"), "NOT_AN_OBJECT", "");
        assertError(call("POST", "/api/v1/dlq/replay", shopKey, "{}"), "EMPTY_SELECTION", "");
        assertError(call("POST", "/api/v1/dlq/replay", shopKey, ""), "EMPTY_SELECTION", "");
        assertError(call("POST", "/api/v1/dlq/replay", shopKey, "{\"codes\":[\"TYPE_MISMATCH\"]}"), "UNKNOWN_FIELD", "codes");
        assertError(call("POST", "/api/v1/dlq/replay", shopKey, "{\"code\":7}"), "INVALID_FIELD_TYPE", "code");
        assertError(call("POST", "/api/v1/dlq/replay", shopKey, "{\"code\":\"NOPE\"}"), "INVALID_CODE", "code");
        assertError(call("POST", "/api/v1/dlq/replay", shopKey, "{\"event_ids\":\"m1\"}"), "INVALID_FIELD_TYPE", "event_ids");
        assertError(call("POST", "/api/v1/dlq/replay", shopKey, "{\"event_ids\":[1]}"), "INVALID_FIELD_TYPE", "event_ids[0]");
        assertError(call("POST", "/api/v1/dlq/replay", shopKey, "{\"offsets\":[{\"partition\":0}]}"), "INVALID_FIELD_TYPE", "offsets[0]");
        assertError(call("POST", "/api/v1/dlq/replay", shopKey, "{\"offsets\":[{\"partition\":-1,\"offset\":2}]}"),
                "INVALID_FIELD_TYPE", "offsets[0]");
        assertError(call("POST", "/api/v1/dlq/replay", shopKey, "{\"offsets\":[{\"partition\":0,\"offset\":1.5}]}"),
                "INVALID_FIELD_TYPE", "offsets[0]");
    }

    @Test
    void shouldReplayByOffsetsAndReportSkippedLettersWithReasons() throws Exception {
        // offset 2 is a sink letter, offset 3 belongs to blog, offset 0 is shop's TYPE_MISMATCH
        Reply r = call("POST", "/api/v1/dlq/replay", shopKey,
                "{\"offsets\":[{\"partition\":0,\"offset\":0},{\"partition\":0,\"offset\":2},{\"partition\":0,\"offset\":3}]}");

        assertEquals(200, r.status(), r.body().toString());
        assertEquals(1, r.body().get("replayed").asInt());
        assertEquals(0, r.body().get("replayed_offsets").get(0).get("offset").asLong());
        List<String> reasons = new ArrayList<>();
        r.body().get("skipped").forEach(s -> reasons.add(s.get("offset").asLong() + ":" + s.get("reason").asText()));
        assertEquals(List.of("2:NOT_REPLAYABLE_STAGE", "3:NOT_FOUND"), reasons);
        ConsumerRecord<byte[], byte[]> replayed = readRaw().stream()
                .filter(c -> new String(c.key(), StandardCharsets.UTF_8).equals("shop:ada")).findFirst().orElseThrow();
        RawEnvelope envelope = EventCodec.decodeEnvelope(replayed.value());
        assertEquals("m1", envelope.eventId());
    }

    @Test
    void shouldReplayEveryLetterOfACodeOfTheProject() throws Exception {
        Reply r = call("POST", "/api/v1/dlq/replay", shopKey, "{\"code\":\"UNKNOWN_EVENT\"}");

        assertEquals(200, r.status(), r.body().toString());
        assertEquals(1, r.body().get("replayed").asInt());
        assertEquals(0, r.body().get("skipped").size());
        assertTrue(readRaw().stream().anyMatch(c -> new String(c.key(), StandardCharsets.UTF_8).equals("shop:bob")));
    }

    // ---- fixtures ------------------------------------------------------------------------------

    private record Reply(int status, JsonNode body) {
    }

    private static void assertError(Reply r, String code, String field) {
        assertEquals(400, r.status(), r.body().toString());
        assertEquals(code, r.body().path("error").path("code").asText(), r.body().toString());
        assertEquals(field, r.body().path("error").path("field").asText(), r.body().toString());
    }

    private Reply call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
    }

    /** Creates project {@code id} (the config topic is private to this class) and returns its secret key. */
    private String project(String id) {
        Project p = new Project(id, id, "UTC", EnforcementMode.PERMISSIVE, ProjectKeys.newWriteKey(),
                ProjectKeys.newSecretKey(), ProjectKeys.newPiiSecret());
        controlPlane.projects().create(p).toCompletableFuture().join();
        return p.secretKey();
    }

    private void dlq(DeadLetter... letters) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (DeadLetter letter : letters) {
                producer.send(new ProducerRecord<>(topics.dlq(), 0, null, EventCodec.encode(letter)));
            }
            producer.flush();
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readRaw() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topics.raw(), 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }
}
