package io.beacon.streams.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.DeadLetter;
import io.beacon.event.DqFact;
import io.beacon.event.DqFactCodec;
import io.beacon.event.EventCodec;
import io.beacon.event.RawEnvelope;
import io.beacon.event.RejectionCode;
import io.beacon.event.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The real KafkaStreams application with exactly_once_v2 against the dev-stack broker. */
@ExtendWith(BeaconStackExtension.class)
class EventPipelineIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path tempDir;

    private static TopologySettings settings(TestStack stack, TopicNames topics, String applicationId, Path stateDir) {
        return TopologySettings.fromConfig(ConfigFactory.load())
                .withBootstrapServers(stack.bootstrapServers())
                .withTopics(topics)
                .withApplicationId(applicationId)
                .withStateDir(stateDir);
    }

    private static RawEnvelope envelope(int n) {
        return Envelopes.track(n % 2 == 0 ? "proj_a" : "proj_b", "evt-" + n, "user-" + (n % 37),
                "Event " + (n % 5), Envelopes.RECEIVED_AT + n * 1_000L);
    }

    private static Map.Entry<String, byte[]> record(RawEnvelope envelope) {
        return Map.entry(Envelopes.key(envelope), Envelopes.bytes(envelope));
    }

    /** The fact a dropped re-send of {@link #envelope(int) envelope(n)} is reported as. */
    private static DqFact duplicateFact(int n) {
        RawEnvelope e = envelope(n);
        return new DqFact(e.projectId(), DqFact.Stage.DUPLICATE, "duplicate", "Event " + (n % 5), e.eventId(), e.receivedAt());
    }

    /** The facts read, each checked to be keyed by its project, sorted by event id. */
    private static List<DqFact> facts(List<ConsumerRecord<String, byte[]>> records) {
        List<DqFact> facts = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            DqFact fact = DqFactCodec.decode(r.value());
            assertEquals(fact.projectId(), r.key(), "a fact is keyed by its project");
            facts.add(fact);
        }
        facts.sort(Comparator.comparing(DqFact::eventId));
        return facts;
    }

    private static List<String> eventIds(List<ConsumerRecord<String, byte[]>> valid) {
        return valid.stream().map(r -> EventCodec.decodeEvent(r.value()).eventId()).toList();
    }

    @Test
    void shouldWriteEachDistinctEventOnceAndGarbageToDeadLetterTopic(TestStack stack) throws Exception {
        // Given 1,000 raw records: 895 distinct events, 100 re-sends of earlier ones, 5 garbage records
        TopicNames topics = TopicNames.withPrefix(stack.uniqueName("pipeline") + ".");
        TopologySettings settings = settings(stack, topics, stack.uniqueName("streams_it"), tempDir.resolve("state"));
        Set<String> expected = new HashSet<>(topics.all());
        expected.add(settings.discoveryTopic());
        expected.addAll(List.of(topics.sessions(), topics.persons(), topics.personDistinctIds(), topics.dqFacts()));
        assertEquals(expected, EventTopics.createIfMissing(settings));
        assertEquals(Set.of(), EventTopics.createIfMissing(settings), "creating again is a no-op");

        List<Map.Entry<String, byte[]>> raw = new ArrayList<>();
        List<DqFact> expectedFacts = new ArrayList<>();
        int unique = 0;
        int garbage = 0;
        for (int i = 0; i < 1_000; i++) {
            if (i % 200 == 199) {
                raw.add(Map.entry("proj_a:user-x", ("garbage " + i).getBytes(StandardCharsets.UTF_8)));
                garbage++;
            } else if (i % 5 == 4 && unique > 0 && raw.size() - unique - garbage < 100) {
                raw.add(record(envelope((i * 7) % unique))); // a re-send of an earlier event
                expectedFacts.add(duplicateFact((i * 7) % unique));
            } else {
                raw.add(record(envelope(unique++)));
            }
        }
        int duplicates = raw.size() - unique - garbage;
        assertEquals(List.of(1_000, 895, 100, 5), List.of(raw.size(), unique, duplicates, garbage), "fixture shape");
        KafkaTestIo.produce(stack.bootstrapServers(), topics.raw(), raw);

        // When the pipeline runs over them
        KafkaTestIo.Output out;
        try (EventPipeline pipeline = new EventPipeline(settings)) {
            pipeline.start();
            out = KafkaTestIo.awaitAllInputCommitted(stack.bootstrapServers(), settings.applicationId(), topics, TIMEOUT);
            assertEquals(duplicates, pipeline.duplicatesDropped());
        }

        // Then every distinct event is on valid exactly once, keyed by project:distinct_id
        List<String> ids = eventIds(out.valid());
        assertEquals(unique, ids.size());
        assertEquals(unique, new HashSet<>(ids).size());
        for (ConsumerRecord<String, byte[]> r : out.valid()) {
            assertEquals(EventCodec.decodeEvent(r.value()).partitionKey(), r.key());
        }
        // and the garbage is on the DLQ with its original bytes
        assertEquals(garbage, out.dlq().size());
        for (ConsumerRecord<String, byte[]> r : out.dlq()) {
            DeadLetter letter = EventCodec.decodeDeadLetter(r.value());
            assertEquals(RejectionCode.UNPARSEABLE_RECORD, letter.code());
            assertEquals("parse", letter.stage());
            assertTrue(new String(letter.original(), StandardCharsets.UTF_8).startsWith("garbage "));
            assertEquals(topics.raw(), letter.sourceTopic());
        }
        // and each dropped re-send is one committed data-quality fact
        expectedFacts.sort(Comparator.comparing(DqFact::eventId));
        assertEquals(expectedFacts, facts(out.dqFacts()));
    }

    @Test
    void shouldStillDropDuplicatesAfterRestartWithFreshStateDirectory(TestStack stack) throws Exception {
        TopicNames topics = TopicNames.withPrefix(stack.uniqueName("restart") + ".");
        String applicationId = stack.uniqueName("streams_restart");
        TopologySettings first = settings(stack, topics, applicationId, tempDir.resolve("state-1"));
        EventTopics.createIfMissing(first);

        // Given a first instance that has committed events 0..99 (of 200 sent) when it is closed
        List<Map.Entry<String, byte[]>> phase1 = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            phase1.add(record(envelope(n)));
        }
        KafkaTestIo.produce(stack.bootstrapServers(), topics.raw(), phase1);
        Set<String> firstHundred = new HashSet<>();
        for (int n = 0; n < 100; n++) {
            firstHundred.add("evt-" + n);
        }
        try (EventPipeline pipeline = new EventPipeline(first)) {
            pipeline.start();
            KafkaTestIo.readValidUntil(stack.bootstrapServers(), topics, TIMEOUT,
                    read -> new HashSet<>(eventIds(read)).containsAll(firstHundred));
        }

        // When a new instance with the same application id but an empty state directory gets re-sends of
        // 0..99 and 50 new events, its dedup memory can only come from the changelog topic
        List<Map.Entry<String, byte[]>> phase2 = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            phase2.add(record(envelope(n)));
        }
        for (int n = 200; n < 250; n++) {
            phase2.add(record(envelope(n)));
        }
        KafkaTestIo.produce(stack.bootstrapServers(), topics.raw(), phase2);
        KafkaTestIo.Output out;
        TopologySettings second = first.withStateDir(tempDir.resolve("state-2"));
        try (EventPipeline pipeline = new EventPipeline(second)) {
            pipeline.start();
            out = KafkaTestIo.awaitAllInputCommitted(stack.bootstrapServers(), applicationId, topics, TIMEOUT);
            // Then the re-sends were recognised (whatever the first instance left uncommitted is reprocessed once)
            assertEquals(100, pipeline.duplicatesDropped());
        }
        List<String> ids = eventIds(out.valid());
        assertEquals(250, ids.size(), "each event exactly once across the restart");
        assertEquals(250, new HashSet<>(ids).size());
        assertEquals(Set.of(), out.dlq().stream().map(r -> r.key()).collect(Collectors.toSet()));
        List<DqFact> expectedFacts = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            expectedFacts.add(duplicateFact(n));
        }
        expectedFacts.sort(Comparator.comparing(DqFact::eventId));
        assertEquals(expectedFacts, facts(out.dqFacts()), "one committed fact per recognised re-send, none twice");
    }
}
