package io.beacon.cdp.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.beacon.cdp.api.CdpDlqRoutes;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.dlq.DeadLetterSettings;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectKeys;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.TopicNames;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.CdpDeadLetter;
import io.beacon.event.cdp.ErrorClass;
import io.beacon.event.cdp.OutboxMessage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
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
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The connectors' DLQ API on a real broker: 18 dead letters of project shop (destinations crm and push, error
 * classes exhausted, rejected and destination_disabled, one a minute from T0, each stamped at its failed_at) and 2
 * of project blog, over three partitions, plus one unreadable record.
 */
@ExtendWith(BeaconStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdpDlqIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ErrorClass[] CLASSES = {ErrorClass.EXHAUSTED, ErrorClass.REJECTED, ErrorClass.DESTINATION_DISABLED};
    private static final long MINUTE = 60_000;
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private TestStack stack;
    private TopicNames topics;
    private ControlPlane controlPlane;
    private ActorSystem system;
    private ServerBinding binding;
    private ServerBinding deadKafkaBinding;
    private String base;
    private String deadKafkaBase;
    private String shopKey;
    private String blogKey;
    private long t0;
    private final List<CdpDeadLetter> shopLetters = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start(TestStack stack) throws Exception {
        this.stack = stack;
        String prefix = stack.uniqueName("cdpdlq") + ".";
        topics = TopicNames.withPrefix(prefix);
        stack.createTopics(Map.of(topics.cdpDlq(), 3, topics.cdpOutbox(), 3));
        ControlPlaneSettings settings = ControlPlaneSettings.fromConfig(ConfigFactory.parseMap(Map.of(
                        "beacon.kafka.bootstrap-servers", stack.bootstrapServers(),
                        "beacon.kafka.topic-prefix", prefix))
                .withFallback(ConfigFactory.defaultReference()));
        controlPlane = ControlPlane.start(settings);
        shopKey = project("shop");
        blogKey = project("blog");
        KnownDestinations known = (project, destination) -> Set.of("crm", "push").contains(destination);
        CdpDlqRoutes routes = new CdpDlqRoutes(controlPlane.projects(), DeadLetterSettings.from(settings), known);
        CdpDlqRoutes deadKafka = new CdpDlqRoutes(controlPlane.projects(),
                new DeadLetterSettings("127.0.0.1:1", topics, Map.of(), Duration.ofSeconds(2), 1_000), known);
        system = ActorSystem.create("cdp-dlq-it", ConfigFactory.parseString("pekko.loglevel = WARNING")
                .withFallback(ConfigFactory.defaultReference()));
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(underApiV1(routes))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        deadKafkaBinding = Http.get(system).newServerAt("127.0.0.1", 0).bind(underApiV1(deadKafka))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + binding.localAddress().getPort();
        deadKafkaBase = "http://127.0.0.1:" + deadKafkaBinding.localAddress().getPort();

        t0 = (System.currentTimeMillis() / MINUTE - 60) * MINUTE; // an hour ago, on a minute
        List<CdpDeadLetter> all = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            shopLetters.add(CdpDlqFixtures.letter("shop", i % 2 == 0 ? "crm" : "push", "p" + i, "c" + i, CLASSES[i % 3],
                    t0 + i * MINUTE));
        }
        all.addAll(shopLetters);
        all.add(CdpDlqFixtures.letter("blog", "crm", "p1", "b1", ErrorClass.EXHAUSTED, t0 + 6 * MINUTE));
        all.add(CdpDlqFixtures.letter("blog", "crm", "p2", "b2", ErrorClass.EXHAUSTED, t0 + 7 * MINUTE));
        produceDeadLetters(all);
    }

    @AfterAll
    void stop() throws Exception {
        for (ServerBinding b : new ServerBinding[] {binding, deadKafkaBinding}) {
            if (b != null) {
                b.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
        if (system != null) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    // ---- list ----------------------------------------------------------------------------------

    @Test
    void shouldListEachFilterWithExactCounts() throws Exception {
        String from = iso(t0 + 5 * MINUTE);
        String to = Long.toString(t0 + 13 * MINUTE);

        assertEquals(18, list(shopKey, "limit=1000").size());
        assertEquals(2, list(blogKey, "limit=1000").size());
        assertEquals(18, list(shopKey, "destination=all&limit=1000").size());
        assertEquals(9, list(shopKey, "destination=crm&limit=1000").size());
        assertEquals(6, list(shopKey, "error_class=exhausted&limit=1000").size());
        assertEquals(6, list(shopKey, "error_class=destination_disabled&limit=1000").size());
        assertEquals(9, list(shopKey, "from=" + enc(from) + "&to=" + to + "&limit=1000").size());
        assertEquals(13, list(shopKey, "from=" + enc(from)).size());
        assertEquals(6, list(shopKey, "to=" + (t0 + 5 * MINUTE)).size());
        assertEquals(Set.of("p6", "p12"), persons(list(shopKey,
                "destination=crm&error_class=exhausted&from=" + enc(from) + "&to=" + to)));
    }

    @Test
    void shouldShowEachLettersFieldsButNoPayload() throws Exception {
        List<JsonNode> letters = list(shopKey, "destination=push&error_class=rejected&from=" + (t0 + MINUTE) + "&to=" + (t0 + MINUTE));

        assertEquals(1, letters.size());
        JsonNode l = letters.get(0);
        CdpDeadLetter expected = shopLetters.get(1);
        assertEquals(expected.message().messageId(), l.get("message_id").asText());
        assertEquals("push", l.get("destination_id").asText());
        assertEquals("p1", l.get("person_id").asText());
        assertEquals("segment.entered", l.get("type").asText());
        assertEquals(1, l.get("attempts").asInt());
        assertEquals("rejected", l.get("error_class").asText());
        assertEquals("HTTP 503 from receiver", l.get("last_error").asText());
        assertEquals(503, l.get("last_status").asInt());
        assertEquals(t0 + MINUTE, l.get("failed_at_ms").asLong());
        assertTrue(l.get("replayed_at_ms").isNull(), l.toString());
        assertTrue(l.get("data") == null && l.get("secret") == null, l.toString());
    }

    @Test
    void shouldPageThroughEveryLetterOnceWithTheCursor() throws Exception {
        List<String> ids = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            Reply r = call("GET", "/api/v1/cdp/dlq?limit=5" + (cursor == null ? "" : "&cursor=" + enc(cursor)), shopKey, null);
            assertEquals(200, r.status(), r.body().toString());
            r.body().get("dead_letters").forEach(l -> ids.add(l.get("message_id").asText()));
            sizes.add(r.body().get("dead_letters").size());
            cursor = r.body().get("next_cursor").isNull() ? null : r.body().get("next_cursor").asText();
        } while (cursor != null && sizes.size() < 10);

        assertEquals(List.of(5, 5, 5, 3), sizes);
        assertEquals(shopLetters.stream().map(l -> l.message().messageId()).collect(TreeSet::new, Set::add, Set::addAll),
                new TreeSet<>(ids));
    }

    // ---- replay --------------------------------------------------------------------------------

    @Test
    void shouldReplayOneDestinationsExhaustedLettersOfARangeOnceWithTheirMessageIds() throws Exception {
        String body = "{\"destination\":\"crm\",\"error_class\":\"exhausted\",\"from\":\"" + iso(t0 + 5 * MINUTE)
                + "\",\"to\":" + (t0 + 13 * MINUTE) + "}";
        Set<String> expectedIds = Set.of(shopLetters.get(6).message().messageId(), shopLetters.get(12).message().messageId());

        Reply dry = call("POST", "/api/v1/cdp/dlq/replay", shopKey, body.replace("}", ",\"dry_run\":true}"));
        assertEquals(200, dry.status(), dry.body().toString());
        assertEquals(JSON.readTree("{\"dry_run\":true,\"selected\":2,\"already_replayed\":0,\"duplicates\":0,"
                + "\"to_replay\":2,\"replayed\":0,\"truncated\":false}"), dry.body());
        assertEquals(0, outbox().size());

        Reply first = call("POST", "/api/v1/cdp/dlq/replay", shopKey, body);
        assertEquals(200, first.status(), first.body().toString());
        assertEquals(2, first.body().get("selected").asInt());
        assertEquals(2, first.body().get("replayed").asInt());
        List<ConsumerRecord<byte[], byte[]>> records = outbox();
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            OutboxMessage m = CdpCodec.decodeMessage(record.value());
            ids.add(m.messageId());
            assertEquals(m.key(), new String(record.key(), StandardCharsets.UTF_8));
            assertEquals("crm", m.destinationId());
            assertNotNull(record.headers().lastHeader(CdpDlqReplayer.REPLAYED_FROM));
        }
        assertEquals(2, records.size());
        assertEquals(expectedIds, ids);
        List<JsonNode> listed = list(shopKey, "destination=crm&from=" + (t0 + 5 * MINUTE) + "&to=" + (t0 + 13 * MINUTE));
        assertEquals(4, listed.size());
        for (JsonNode l : listed) {
            boolean replayed = expectedIds.contains(l.get("message_id").asText());
            assertEquals(replayed, l.get("replayed_at_ms").asLong(0) >= t0, l.toString());
        }

        Reply second = call("POST", "/api/v1/cdp/dlq/replay", shopKey, body);
        assertEquals(200, second.status(), second.body().toString());
        assertEquals(0, second.body().get("replayed").asInt());
        assertEquals(2, second.body().get("already_replayed").asInt());
        assertEquals(2, outbox().size());

        Reply forced = call("POST", "/api/v1/cdp/dlq/replay", shopKey, body.replace("}", ",\"force\":true}"));
        assertEquals(2, forced.body().get("replayed").asInt(), forced.body().toString());
        assertEquals(4, outbox().size());
    }

    @Test
    void shouldReplayNothingOfAnotherProject() throws Exception {
        Reply r = call("POST", "/api/v1/cdp/dlq/replay", blogKey,
                "{\"destination\":\"all\",\"error_class\":\"rejected\",\"dry_run\":true}");

        assertEquals(200, r.status(), r.body().toString());
        assertEquals(0, r.body().get("selected").asInt());
    }

    @Test
    void shouldListAndDryRunFromTheCommandLineAsTheApiDoes() throws Exception {
        DeadLetterSettings settings = new DeadLetterSettings(stack.bootstrapServers(), topics, Map.of(),
                Duration.ofSeconds(15), 1_000_000);
        String to = Long.toString(t0 + 13 * MINUTE);

        JsonNode page = CdpDlqCommand.parse(new String[] {"dlq", "list", "--project", "shop", "--destination", "push",
                "--error-class", "rejected", "--limit", "2"}).run(settings);
        JsonNode everyProject = CdpDlqCommand.parse(new String[] {"dlq", "list", "--limit", "1000"}).run(settings);
        JsonNode dry = CdpDlqCommand.parse(new String[] {"dlq", "replay", "--destination", "all", "--project", "shop",
                "--error-class", "destination_disabled", "--to", to, "--dry-run"}).run(settings);

        List<JsonNode> letters = new ArrayList<>();
        page.get("dead_letters").forEach(letters::add);
        assertEquals(2, letters.size());
        assertTrue(Set.of("p1", "p7", "p13").containsAll(persons(letters)), letters.toString());
        assertFalse(page.get("next_cursor").isNull());
        assertEquals(20, everyProject.get("dead_letters").size());
        assertEquals(1, everyProject.get("unreadable").asInt());
        assertEquals(JSON.readTree("{\"dry_run\":true,\"selected\":4,\"already_replayed\":0,\"duplicates\":0,"
                + "\"to_replay\":4,\"replayed\":0,\"truncated\":false}"), dry);
    }

    // ---- refusals ------------------------------------------------------------------------------

    @Test
    void shouldRefuseEachMalformedListingNamingTheField() throws Exception {
        assertError(call("GET", "/api/v1/cdp/dlq?error_class=timeout", shopKey, null), 400, "INVALID_ERROR_CLASS", "error_class");
        assertError(call("GET", "/api/v1/cdp/dlq?from=yesterday", shopKey, null), 400, "INVALID_TIME", "from");
        assertError(call("GET", "/api/v1/cdp/dlq?to=2026-12-07T10:00:00", shopKey, null), 400, "INVALID_TIME", "to");
        assertError(call("GET", "/api/v1/cdp/dlq?from=2000&to=1000", shopKey, null), 400, "INVALID_RANGE", "from");
        assertError(call("GET", "/api/v1/cdp/dlq?limit=0", shopKey, null), 400, "INVALID_LIMIT", "limit");
        assertError(call("GET", "/api/v1/cdp/dlq?limit=1001", shopKey, null), 400, "INVALID_LIMIT", "limit");
        assertError(call("GET", "/api/v1/cdp/dlq?limit=ten", shopKey, null), 400, "INVALID_LIMIT", "limit");
        assertError(call("GET", "/api/v1/cdp/dlq?cursor=forged", shopKey, null), 400, "INVALID_CURSOR", "cursor");
        assertError(call("GET", "/api/v1/cdp/dlq?destination=" + "d".repeat(201), shopKey, null), 400, "INVALID_DESTINATION", "destination");
        assertError(call("GET", "/api/v1/cdp/dlq?destination=nope", shopKey, null), 404, "UNKNOWN_DESTINATION", "destination");
        assertEquals(401, call("GET", "/api/v1/cdp/dlq", null, null).status());
        assertEquals(401, call("GET", "/api/v1/cdp/dlq", "sk_wrong", null).status());
    }

    @Test
    void shouldRefuseEachMalformedReplayNamingTheField() throws Exception {
        String replay = "/api/v1/cdp/dlq/replay";
        assertError(call("POST", replay, shopKey, ""), 400, "MISSING_DESTINATION", "destination");
        assertError(call("POST", replay, shopKey, "{\"error_class\":\"exhausted\"}"), 400, "MISSING_DESTINATION", "destination");
        assertError(call("POST", replay, shopKey, "{not json"), 400, "MALFORMED_JSON", "");
        assertError(call("POST", replay, shopKey, "[1]"), 400, "NOT_AN_OBJECT", "");
        assertError(call("POST", replay, shopKey, "{\"destination\":\"crm\",\"code\":\"x\"}"), 400, "UNKNOWN_FIELD", "code");
        assertError(call("POST", replay, shopKey, "{\"destination\":7}"), 400, "INVALID_FIELD_TYPE", "destination");
        assertError(call("POST", replay, shopKey, "{\"destination\":\"crm\",\"error_class\":\"gone\"}"), 400,
                "INVALID_ERROR_CLASS", "error_class");
        assertError(call("POST", replay, shopKey, "{\"destination\":\"crm\",\"from\":\"soon\"}"), 400, "INVALID_TIME", "from");
        assertError(call("POST", replay, shopKey, "{\"destination\":\"crm\",\"to\":-1}"), 400, "INVALID_TIME", "to");
        assertError(call("POST", replay, shopKey, "{\"destination\":\"crm\",\"from\":5,\"to\":4}"), 400, "INVALID_RANGE", "from");
        assertError(call("POST", replay, shopKey, "{\"destination\":\"crm\",\"dry_run\":\"yes\"}"), 400, "INVALID_FIELD_TYPE", "dry_run");
        assertError(call("POST", replay, shopKey, "{\"destination\":\"crm\",\"force\":1}"), 400, "INVALID_FIELD_TYPE", "force");
        assertError(call("POST", replay, shopKey, "{\"destination\":\"nope\"}"), 404, "UNKNOWN_DESTINATION", "destination");
        assertEquals(401, call("POST", replay, "sk_wrong", "{\"destination\":\"crm\"}").status());
        assertTrue(outbox().stream().noneMatch(r -> CdpCodec.decodeMessage(r.value()).destinationId().equals("nope")));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenKafkaIsUnreachable() throws Exception {
        HttpResponse<String> list = send("GET", deadKafkaBase + "/api/v1/cdp/dlq", shopKey, null);
        HttpResponse<String> replay = send("POST", deadKafkaBase + "/api/v1/cdp/dlq/replay", shopKey, "{\"destination\":\"crm\"}");

        for (HttpResponse<String> r : List.of(list, replay)) {
            assertEquals(503, r.statusCode(), r.body());
            assertEquals("CDP_DLQ_UNAVAILABLE", JSON.readTree(r.body()).path("error").path("code").asText());
            assertEquals("5", r.headers().firstValue("Retry-After").orElse(""));
        }
    }

    // ---- fixtures ------------------------------------------------------------------------------

    private record Reply(int status, JsonNode body) {
    }

    /** Mounted as the connectors' facade mounts it. */
    private static Route underApiV1(CdpDlqRoutes routes) {
        return Directives.pathPrefix("api", () -> Directives.pathPrefix("v1", routes::routes));
    }

    private static String iso(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Set<String> persons(List<JsonNode> letters) {
        Set<String> persons = new HashSet<>();
        letters.forEach(l -> persons.add(l.get("person_id").asText()));
        return persons;
    }

    private static void assertError(Reply r, int status, String code, String field) {
        assertEquals(status, r.status(), r.body().toString());
        assertEquals(code, r.body().path("error").path("code").asText(), r.body().toString());
        assertEquals(field, r.body().path("error").path("field").asText(), r.body().toString());
    }

    private List<JsonNode> list(String key, String query) throws Exception {
        Reply r = call("GET", "/api/v1/cdp/dlq?" + query, key, null);
        assertEquals(200, r.status(), r.body().toString());
        List<JsonNode> letters = new ArrayList<>();
        r.body().get("dead_letters").forEach(letters::add);
        return letters;
    }

    private Reply call(String method, String path, String token, String body) throws Exception {
        HttpResponse<String> r = send(method, base + path, token, body);
        return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
    }

    private HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Creates project {@code id} (the config topic is private to this class) and returns its secret key. */
    private String project(String id) {
        Project p = new Project(id, id, "UTC", EnforcementMode.PERMISSIVE, ProjectKeys.newWriteKey(),
                ProjectKeys.newSecretKey(), ProjectKeys.newPiiSecret());
        controlPlane.projects().create(p).toCompletableFuture().join();
        return p.secretKey();
    }

    /** Each letter keyed as the outbox key and stamped at its failed_at, then one record that is no letter. */
    private void produceDeadLetters(List<CdpDeadLetter> letters) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (CdpDeadLetter letter : letters) {
                producer.send(new ProducerRecord<>(topics.cdpDlq(), null, letter.failedAtMs(),
                        letter.message().key().getBytes(StandardCharsets.UTF_8), CdpCodec.encode(letter)));
            }
            producer.send(new ProducerRecord<>(topics.cdpDlq(), 0, null, "{\"not\":\"a letter\"}".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> outbox() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topics.cdpOutbox(), 0),
                    new TopicPartition(topics.cdpOutbox(), 1), new TopicPartition(topics.cdpOutbox(), 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }
}
