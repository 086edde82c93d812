package io.beacon.control.dlq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.DeadLetter;
import io.beacon.event.EventCodec;
import io.beacon.event.RawEnvelope;
import io.beacon.event.RejectionCode;
import io.beacon.event.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeaconStackExtension.class)
class DeadLetterReplayIT {

    private TestStack stack;
    private TopicNames topics;
    private DeadLetterSettings settings;

    private RawEnvelope mismatch1;
    private RawEnvelope mismatch2;
    private RawEnvelope unknown;
    private RawEnvelope otherProject;

    @BeforeEach
    void isolate(TestStack stack) {
        this.stack = stack;
        topics = TopicNames.withPrefix(stack.uniqueName("dlq") + ".");
        stack.createTopics(Map.of(topics.raw(), 3, topics.dlq(), 1));
        settings = new DeadLetterSettings(stack.bootstrapServers(), topics, Map.of(), Duration.ofSeconds(20), 1_000);

        // Given a DLQ holding validate/map/sink/parse letters of two projects
        mismatch1 = DeadLetterFixtures.track("shop", "m1", "ada", "12 EUR");
        mismatch2 = DeadLetterFixtures.track("shop", "m2", "bob", "lots");
        unknown = DeadLetterFixtures.track("shop", "u1", "cy", 5);
        otherProject = DeadLetterFixtures.track("blog", "o1", "dee", "x");
        dlq(DeadLetterFixtures.refused(mismatch1, RejectionCode.TYPE_MISMATCH, "validate", topics.raw(), 10), // offset 0
                DeadLetterFixtures.refused(unknown, RejectionCode.UNKNOWN_EVENT, "validate", topics.raw(), 11),     // 1
                DeadLetterFixtures.sinkLetter("shop", "s1", topics.valid()),                                         // 2
                DeadLetterFixtures.refused(mismatch2, RejectionCode.TYPE_MISMATCH, "validate", topics.raw(), 12),  // 3
                DeadLetterFixtures.refused(otherProject, RejectionCode.TYPE_MISMATCH, "validate", topics.raw(), 13), // 4
                DeadLetterFixtures.refused(DeadLetterFixtures.anonymousless("shop", "a1"), RejectionCode.MISSING_USER_ID,
                        "map", topics.raw(), 14));                                                                   // 5
        produceRaw(topics.dlq(), "junk", "not a dead letter".getBytes(StandardCharsets.UTF_8));                      // 6
    }

    @Test
    void shouldListTheLettersOfAProjectWithCountsPerCode() {
        DeadLetterPage page = new DeadLetterBrowser(settings).list(DeadLetterFilter.project("shop"), 100);

        assertEquals(5, page.total());
        assertEquals(Map.of("TYPE_MISMATCH", 2L, "UNKNOWN_EVENT", 1L, "MALFORMED_JSON", 1L, "MISSING_USER_ID", 1L), page.byCode());
        assertEquals(List.of(0L, 1L, 2L, 3L, 5L), page.records().stream().map(r -> r.position().offset()).toList());
        assertEquals(7, page.scanned());
        assertEquals(1, page.unreadable());
        assertFalse(page.truncated());
    }

    @Test
    void shouldFilterByCodeAndStageAndBoundTheRecordsByTheLimit() {
        DeadLetterBrowser browser = new DeadLetterBrowser(settings);

        DeadLetterPage mismatches = browser.list(DeadLetterFilter.project("shop").withCode(RejectionCode.TYPE_MISMATCH), 1);
        DeadLetterPage sink = browser.list(DeadLetterFilter.all().withStage("sink"), 10);

        assertEquals(2, mismatches.total());
        assertEquals(List.of("m1"), mismatches.records().stream().map(r -> r.letter().eventId()).toList());
        assertEquals(List.of("s1"), sink.records().stream().map(r -> r.letter().eventId()).toList());
    }

    @Test
    void shouldStopReadingAtTheScanBoundAndSaySo() {
        DeadLetterPage page = new DeadLetterBrowser(settings.withMaxScanned(2)).list(DeadLetterFilter.all(), 100);

        assertTrue(page.truncated());
        assertEquals(2, page.scanned());
    }

    @Test
    void shouldReplayTheOriginalBytesOfACodeToTheRawTopicKeyedByProjectAndDistinctId() {
        ReplayResult result = new DeadLetterReplayer(settings).replay(ReplaySelection.byCode("shop", RejectionCode.TYPE_MISMATCH));

        assertEquals(List.of(new DeadLetterPosition(0, 0), new DeadLetterPosition(0, 3)), result.replayed());
        assertEquals(List.of(), result.skipped());
        List<ConsumerRecord<byte[], byte[]>> raw = readRaw(2);
        assertEquals(Set.of("shop:ada", "shop:bob"), Set.of(key(raw.get(0)), key(raw.get(1))));
        for (ConsumerRecord<byte[], byte[]> record : raw) {
            RawEnvelope expected = key(record).equals("shop:ada") ? mismatch1 : mismatch2;
            assertArrayEquals(EventCodec.encode(expected), record.value(), "the original bytes, unchanged");
            assertTrue(new String(record.headers().lastHeader(DeadLetterReplayer.REPLAYED_FROM).value(), StandardCharsets.UTF_8)
                    .startsWith(topics.dlq() + "/0/"));
        }
    }

    @Test
    void shouldSkipSinkLettersWithAReasonAndReplayTheRest() {
        ReplaySelection selection = ReplaySelection.byEventIds("shop", List.of("s1", "u1", "a1", "nope"));

        ReplayResult result = new DeadLetterReplayer(settings).replay(selection);

        assertEquals(List.of(new DeadLetterPosition(0, 1), new DeadLetterPosition(0, 5)), result.replayed());
        assertEquals(List.of("s1:NOT_REPLAYABLE_STAGE", "nope:NOT_FOUND"),
                result.skipped().stream().map(s -> s.eventId() + ":" + s.reason()).toList());
        List<ConsumerRecord<byte[], byte[]>> raw = readRaw(2);
        assertEquals(Set.of("shop:cy", "a1"), Set.of(key(raw.get(0)), key(raw.get(1))), "a1 does not map: keyed by its event id");
    }

    @Test
    void shouldReplayExplicitOffsetsOnlyWithinTheProject() {
        ReplaySelection selection = ReplaySelection.byPositions("shop",
                List.of(new DeadLetterPosition(0, 3), new DeadLetterPosition(0, 4)));

        ReplayResult result = new DeadLetterReplayer(settings).replay(selection);

        assertEquals(List.of(new DeadLetterPosition(0, 3)), result.replayed());
        assertEquals(List.of(ReplayResult.NOT_FOUND), result.skipped().stream().map(ReplayResult.Skipped::reason).toList(),
                "offset 4 belongs to project blog");
        assertArrayEquals(EventCodec.encode(mismatch2), readRaw(1).get(0).value());
    }

    @Test
    void shouldListNothingWhenTheTopicDoesNotExist() {
        DeadLetterSettings missing = new DeadLetterSettings(stack.bootstrapServers(),
                TopicNames.withPrefix(stack.uniqueName("none") + "."), Map.of(), Duration.ofSeconds(10), 100);

        DeadLetterPage page = new DeadLetterBrowser(missing).list(DeadLetterFilter.all(), 10);

        assertEquals(0, page.total());
        assertEquals(Optional.empty(), page.records().stream().findAny());
    }

    private void dlq(DeadLetter... letters) {
        for (DeadLetter letter : letters) {
            produceRaw(topics.dlq(), letter.eventId() == null ? "k" : letter.eventId(), EventCodec.encode(letter));
        }
    }

    private void produceRaw(String topic, String key, byte[] value) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.UTF_8), value));
            producer.flush();
        }
    }

    /** Reads the raw topic until {@code expected} records arrived, then a little longer to catch extras. */
    private List<ConsumerRecord<byte[], byte[]>> readRaw(int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topics.raw()).forEach(i -> partitions.add(new TopicPartition(topics.raw(), i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        assertEquals(expected, records.size(), "records on the raw topic");
        return records;
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }
}
