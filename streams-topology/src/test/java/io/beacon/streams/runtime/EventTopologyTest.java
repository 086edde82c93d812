package io.beacon.streams.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.event.DeadLetter;
import io.beacon.event.DqFact;
import io.beacon.event.DqFactCodec;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventType;
import io.beacon.event.RawEnvelope;
import io.beacon.event.RejectionCode;
import io.beacon.event.TopicNames;
import io.beacon.streams.dedup.Deduplication;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventTopologyTest {
    private static final Duration HORIZON = Duration.ofHours(1);
    private static final TopicNames TOPICS = TopicNames.withPrefix("test.");
    private static final String DISCOVERY = "test.beacon.discovery";

    /** No project, no definitions: every event passes (permissive default), flagged as unregistered. */
    private static org.apache.kafka.streams.Topology topology(Duration horizon) {
        return EventTopology.buildTopology(TOPICS, horizon, new RegistryFixture().rules, DISCOVERY, Duration.ofSeconds(5));
    }

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;
    private TestOutputTopic<String, byte[]> valid;
    private TestOutputTopic<String, byte[]> dlq;
    private TestOutputTopic<String, byte[]> dqFacts;

    @BeforeEach
    void startDriver() {
        TopologySettings settings = TopologySettings.fromConfig(com.typesafe.config.ConfigFactory.load())
                .withApplicationId("topology-test")
                .withTopics(TOPICS)
                .withStateDir(stateDir)
                .withDedupHorizon(HORIZON);
        Properties config = EventPipeline.streamsConfig(settings);
        driver = new TopologyTestDriver(topology(HORIZON), config);
        raw = driver.createInputTopic(TOPICS.raw(), new StringSerializer(), new ByteArraySerializer());
        valid = driver.createOutputTopic(TOPICS.valid(), new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(TOPICS.dlq(), new StringDeserializer(), new ByteArrayDeserializer());
        dqFacts = driver.createOutputTopic(TOPICS.dqFacts(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void send(RawEnvelope envelope) {
        raw.pipeInput(Envelopes.key(envelope), Envelopes.bytes(envelope));
    }

    private List<KeyValue<String, Event>> validEvents() {
        return valid.readKeyValuesToList().stream()
                .map(kv -> KeyValue.pair(kv.key, EventCodec.decodeEvent(kv.value)))
                .toList();
    }

    private List<KeyValue<String, DeadLetter>> deadLetters() {
        return dlq.readKeyValuesToList().stream()
                .map(kv -> KeyValue.pair(kv.key, EventCodec.decodeDeadLetter(kv.value)))
                .toList();
    }

    private List<KeyValue<String, DqFact>> facts() {
        return dqFacts.readKeyValuesToList().stream()
                .map(kv -> KeyValue.pair(kv.key, DqFactCodec.decode(kv.value)))
                .toList();
    }

    private WindowStore<String, Long> dedupStore() {
        return driver.getWindowStore(Deduplication.STORE_NAME);
    }

    private long duplicatesDropped() {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(Deduplication.METRIC_NAME + "-total"))
                .mapToLong(e -> ((Number) e.getValue().metricValue()).longValue())
                .sum();
    }

    @Test
    void shouldWriteCanonicalEventToValidTopicKeyedByProjectAndDistinctId() {
        send(Envelopes.track("p1", "evt-1", "user-7"));

        List<KeyValue<String, Event>> out = validEvents();
        assertEquals(1, out.size());
        assertEquals("p1:user-7", out.get(0).key);
        Event event = out.get(0).value;
        assertEquals("evt-1", event.eventId());
        assertEquals("p1", event.projectId());
        assertEquals(EventType.TRACK, event.type());
        assertEquals("Order Completed", event.eventName());
        assertEquals("user-7", event.userId());
        assertEquals(Envelopes.RECEIVED_AT, event.receivedAt());
        assertEquals(Envelopes.RECEIVED_AT, event.eventTime(), "no client time: event time is received_at");
        assertEquals("203.0.113.7", event.ip());
        assertEquals("analytics-node", event.libraryName());
        assertEquals("server", event.platform());
        assertEquals(Map.of("plan", "pro", "amount", 42), event.properties());
        assertTrue(dlq.isEmpty());
    }

    @Test
    void shouldForwardDuplicateEventIdOnlyOnceWithinHorizonAndRememberItInStore() {
        RawEnvelope first = Envelopes.track("p1", "evt-1", "user-7", "Signed Up", Envelopes.RECEIVED_AT);
        // Given a retry of the same event ten minutes later (same id; the client re-sent the same payload)
        RawEnvelope retry = Envelopes.track("p1", "evt-1", "user-7", "Signed Up", Envelopes.RECEIVED_AT + 600_000);

        send(first);
        send(retry);

        List<KeyValue<String, Event>> out = validEvents();
        assertEquals(1, out.size());
        assertEquals(Envelopes.RECEIVED_AT, out.get(0).value.receivedAt(), "the first copy wins");
        assertEquals(1, duplicatesDropped());
        try (WindowStoreIterator<Long> hits = dedupStore().fetch(Deduplication.key("p1", "evt-1"),
                Envelopes.RECEIVED_AT - HORIZON.toMillis(), Envelopes.RECEIVED_AT + HORIZON.toMillis())) {
            KeyValue<Long, Long> entry = hits.next();
            assertEquals(Envelopes.RECEIVED_AT, entry.key, "stored at the first copy's received_at");
            assertEquals(Envelopes.RECEIVED_AT, entry.value);
            assertTrue(!hits.hasNext(), "the duplicate is not stored");
        }
        assertTrue(dlq.isEmpty(), "a duplicate is not an error");
    }

    @Test
    void shouldReportADroppedDuplicateAsADataQualityFactKeyedByProject() {
        // Given two copies of one event id, the retry ten minutes later
        send(Envelopes.track("p1", "evt-1", "user-7", "Signed Up", Envelopes.RECEIVED_AT));
        send(Envelopes.track("p1", "evt-1", "user-7", "Signed Up", Envelopes.RECEIVED_AT + 600_000));

        List<KeyValue<String, Event>> events = validEvents();
        assertEquals(1, events.size());
        assertEquals("evt-1", events.get(0).value.eventId());
        assertEquals(List.of(KeyValue.pair("p1", new DqFact("p1", DqFact.Stage.DUPLICATE, "duplicate", "Signed Up", "evt-1",
                Envelopes.RECEIVED_AT + 600_000))), facts(), "one fact, stamped with the duplicate's received_at");
        assertEquals(1, duplicatesDropped(), "the metric still counts it");
        assertTrue(dlq.isEmpty());
    }

    @Test
    void shouldReportNoDataQualityFactForAStreamWithoutDuplicates() {
        send(Envelopes.track("p1", "evt-1", "user-7"));
        send(Envelopes.track("p1", "evt-2", "user-7"));
        send(Envelopes.track("p2", "evt-1", "user-7"));

        assertEquals(3, validEvents().size());
        assertTrue(dqFacts.isEmpty(), "no fact without a duplicate");
    }

    @Test
    void shouldDropDuplicateWhoseReceivedAtIsSlightlyEarlierThanTheOriginal() {
        // Given two gateway nodes with skewed clocks: the retry is stamped a minute before the original
        send(Envelopes.track("p1", "evt-1", "user-7", "Signed Up", Envelopes.RECEIVED_AT));
        send(Envelopes.track("p1", "evt-1", "user-7", "Signed Up", Envelopes.RECEIVED_AT - 60_000));

        assertEquals(1, validEvents().size());
        assertEquals(1, duplicatesDropped());
    }

    @Test
    void shouldDropDuplicateEvenWhenItsClientTimestampIsFarInThePast() {
        RawEnvelope original = Envelopes.track("p1", "evt-1", "user-7");
        RawEnvelope retry = Envelopes.track("p1", "evt-1", "user-7");
        // a client timestamp a year old: it must not move the copy out of the dedup window
        ((com.fasterxml.jackson.databind.node.ObjectNode) retry.payload()).put("timestamp", "2024-11-24T16:00:00Z");

        send(original);
        send(retry);

        assertEquals(1, validEvents().size());
    }

    @Test
    void shouldPassSameEventIdInTwoDifferentProjects() {
        send(Envelopes.track("p1", "evt-1", "user-7"));
        send(Envelopes.track("p2", "evt-1", "user-7"));

        List<KeyValue<String, Event>> out = validEvents();
        assertEquals(List.of("p1:user-7", "p2:user-7"), out.stream().map(kv -> kv.key).toList());
        assertEquals(0, duplicatesDropped());
    }

    @Test
    void shouldPassDuplicateAgainOnceHorizonHasPassed() {
        long later = Envelopes.RECEIVED_AT + HORIZON.toMillis() + 1;
        send(Envelopes.track("p1", "evt-1", "user-7", "Signed Up", Envelopes.RECEIVED_AT));
        send(Envelopes.track("p1", "evt-1", "user-7", "Signed Up", later));

        List<KeyValue<String, Event>> out = validEvents();
        assertEquals(List.of(Envelopes.RECEIVED_AT, later), out.stream().map(kv -> kv.value.receivedAt()).toList());
        assertEquals(0, duplicatesDropped());
        // and the second copy now guards its own horizon
        send(Envelopes.track("p1", "evt-1", "user-7", "Signed Up", later + 1_000));
        assertTrue(valid.isEmpty());
    }

    @Test
    void shouldRouteUnparseableBytesToDeadLetterTopicWithOriginalBytes() {
        byte[] garbage = "{not json at all".getBytes(StandardCharsets.UTF_8);
        raw.pipeInput("p1:user-7", garbage);

        List<KeyValue<String, DeadLetter>> out = deadLetters();
        assertEquals(1, out.size());
        DeadLetter letter = out.get(0).value;
        assertEquals(RejectionCode.UNPARSEABLE_RECORD, letter.code());
        assertEquals("parse", letter.stage());
        assertArrayEquals(garbage, letter.original());
        assertEquals(TOPICS.raw(), letter.sourceTopic());
        assertEquals(0, letter.partition());
        assertEquals(0L, letter.offset());
        assertNull(letter.eventId());
        assertEquals(TOPICS.raw() + "-0@0", out.get(0).key, "no event id: keyed by source coordinates");
        assertTrue(valid.isEmpty());
    }

    @Test
    void shouldKeepProjectAndEventIdOfJsonThatIsNotAnEnvelope() {
        // Given an envelope without its payload: valid JSON, ids readable, but not an envelope
        byte[] bytes = "{\"project_id\":\"p1\",\"event_id\":\"evt-9\",\"format\":\"segment\"}".getBytes(StandardCharsets.UTF_8);
        raw.pipeInput("p1:user-7", bytes);

        KeyValue<String, DeadLetter> out = deadLetters().get(0);
        assertEquals("evt-9", out.key);
        assertEquals("p1", out.value.projectId());
        assertEquals("evt-9", out.value.eventId());
        assertEquals("parse", out.value.stage());
    }

    @Test
    void shouldRouteTrackWithoutEventNameToDeadLetterTopicAtMapStage() {
        RawEnvelope nameless = Envelopes.track("p1", "evt-2", "user-7", null, Envelopes.RECEIVED_AT);
        send(Envelopes.track("p1", "evt-1", "user-7"));
        send(nameless);

        List<KeyValue<String, DeadLetter>> out = deadLetters();
        assertEquals(1, out.size());
        assertEquals("evt-2", out.get(0).key);
        DeadLetter letter = out.get(0).value;
        assertEquals(RejectionCode.MISSING_EVENT_NAME, letter.code());
        assertEquals("map", letter.stage());
        assertEquals("event", letter.field());
        assertEquals("p1", letter.projectId());
        assertEquals("evt-2", letter.eventId());
        assertEquals(1L, letter.offset());
        assertArrayEquals(Envelopes.bytes(nameless), letter.original());
        assertEquals(1, validEvents().size(), "the good record before it still passes");
    }

    @Test
    void shouldRouteNullValueToDeadLetterTopic() {
        raw.pipeInput("p1:user-7", (byte[]) null);

        List<KeyValue<String, DeadLetter>> out = deadLetters();
        assertEquals(1, out.size());
        assertEquals(RejectionCode.UNPARSEABLE_RECORD, out.get(0).value.code());
        assertEquals("parse", out.get(0).value.stage());
        assertArrayEquals(new byte[0], out.get(0).value.original());
        assertTrue(valid.isEmpty());
    }

    @Test
    void shouldStampDeadLetterWithTheTaskWallClock() {
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        long before = System.currentTimeMillis();
        raw.pipeInput("p1:user-7", "x".getBytes(StandardCharsets.UTF_8));

        long failedAt = deadLetters().get(0).value.failedAt();
        assertTrue(failedAt >= before, "failedAt " + failedAt + " is the (mock) wall clock, not 0");
    }

    @Test
    void shouldNameTheDedupStoreAndEveryNodeExplicitly() {
        TopologyDescription description = topology(HORIZON).describe();
        String text = description.toString();
        assertTrue(text.contains("Processor: " + EventTopology.DEDUP + " (stores: [" + Deduplication.STORE_NAME + "])"), text);
        assertTrue(text.contains("Source: " + EventTopology.SOURCE), text);
        assertTrue(text.contains("Sink: " + EventTopology.VALID_SINK + " (topic: " + TOPICS.valid() + ")"), text);
        assertTrue(text.contains("Sink: " + EventTopology.DLQ_SINK + " (topic: " + TOPICS.dlq() + ")"), text);
        assertTrue(text.contains("Sink: " + EventTopology.DQ_FACTS_SINK + " (topic: " + TOPICS.dqFacts() + ")"), text);
        assertTrue(text.contains("Processor: " + EventTopology.VALIDATE + " (stores: [])"), text);
        assertTrue(text.contains("Sink: " + EventTopology.DISCOVERY_SINK + " (topic: " + DISCOVERY + ")"), text);
        assertTrue(!text.contains("KSTREAM-"), "no generated node names: " + text);
        // dedup stays in sub-topology 0 (same task ids and dedup state as before); discovery and identity repartition
        assertEquals(3, description.subtopologies().size());
        TopologyDescription.Subtopology main = description.subtopologies().stream().filter(st -> st.id() == 0).findFirst().orElseThrow();
        assertTrue(main.nodes().stream().anyMatch(n -> n.name().equals(EventTopology.DEDUP)), main.toString());
        assertTrue(main.nodes().stream().anyMatch(n -> n.name().equals(EventTopology.DQ_FACTS_SINK)),
                "duplicates' facts commit with the dedup input: " + main);
        TopologyDescription.Subtopology identity = description.subtopologies().stream()
                .filter(st -> st.nodes().stream().anyMatch(n -> n.name().equals(EventTopology.IDENTIFY_AND_SESSIONIZE)))
                .findFirst().orElseThrow();
        assertTrue(identity.nodes().stream().anyMatch(n -> n.name().equals(EventTopology.VALID_SINK)), identity.toString());
        assertTrue(text.contains("Processor: " + EventTopology.IDENTIFY_AND_SESSIONIZE + " (stores: ["), text);
    }

    @Test
    void shouldRefuseANonPositiveHorizon() {
        assertThrows(IllegalArgumentException.class, () -> topology(Duration.ZERO));
    }
}
