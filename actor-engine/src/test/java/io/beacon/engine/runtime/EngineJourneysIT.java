package io.beacon.engine.runtime;

import static io.beacon.engine.runtime.EngineTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.Window;
import io.beacon.control.journeys.FrequencyCaps;
import io.beacon.control.journeys.JourneyContext;
import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyJson;
import io.beacon.control.journeys.JourneyService.PublishedVersion;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.Event;
import io.beacon.event.JourneyEvent;
import io.beacon.event.JourneyEventCodec;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.IdempotencyKeys;
import io.beacon.event.cdp.OutboxMessage;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journeys on two engine nodes over real Kafka, with the clock in the test's hands: runs enter on v1, a v2 is
 * published (new entries take it), a node stops abruptly in the middle of the runs' one-day delays (its partitions
 * move to the other node, which restores the runs from the changelog), a v3 is published with a step mapping from v2
 * ("wait" → "wait"), purchases end some waits and the durable timers time out the others. The outbox (read committed)
 * must then hold exactly the expected sends: each idempotency key once, on the version each run was on.
 */
@ExtendWith(BeaconStackExtension.class)
class EngineJourneysIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "shop";
    private static final int PARTITIONS = 4;
    private static final long MINUTE = 60_000L;
    private static final long DAY = 24 * 60 * MINUTE;
    private static final long T0 = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
    private static final SegmentDefinition VISITORS = new SegmentDefinition(PROJECT, "visitors", "Visitors", null,
            new Rule.EventCount("visit", Window.ALL, Cmp.GTE, 1), 1, T0);
    private static final Duration PHASE = Duration.ofMinutes(2);

    /** The journey at {@code version}: hello → 1 day → wait up to 2 days for a purchase → thanks, or nudge. */
    private static JourneyDefinition onboard(int version) {
        String text = """
                {"id":"onboard","name":"Onboard","status":"live","journey_version":%d,"priority":1,
                 "trigger":{"type":"segment_entered","segment_id":"visitors"},
                 "entry":"hello",
                 "steps":{
                   "hello":{"type":"send","destination_id":"hook","channel":"push","template":{"title":"v%d hello"},"next":"pause"},
                   "pause":{"type":"delay","duration":"P1D","next":"wait"},
                   "wait":{"type":"wait_until","event":{"event":"purchase"},"max_wait":"P2D","next":"thanks","timeout_next":"nudge"},
                   "thanks":{"type":"send","destination_id":"hook","channel":"crm","template":{"stage":"v%d thanks"},"next":"done"},
                   "nudge":{"type":"send","destination_id":"hook","channel":"push","template":{"title":"v%d nudge"},"next":"done"},
                   "done":{"type":"exit"}},
                 "re_entry":{"policy":"once"}}""".formatted(version, version, version, version);
        try {
            return JourneyJson.parse(PROJECT, null, (ObjectNode) JSON.readTree(text), JourneyContext.unchecked());
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void shouldSendEachStepOnceOnItsVersionAcrossANodeStopAndAStepMapping(TestStack stack, @TempDir Path dirA,
                                                                         @TempDir Path dirB) throws Exception {
        String prefix = stack.uniqueName("enginejourneys") + ".";
        String events = prefix + "beacon.events.valid";
        String outbox = prefix + "beacon.cdp.outbox";
        String journeyEvents = prefix + "beacon.journey.events";
        stack.createTopics(PARTITIONS, events);
        stack.createTopics(3, outbox); // the connectors' topic (its own partition count)
        AtomicLong clock = new AtomicLong(T0);
        PublishedVersion v1 = new PublishedVersion(onboard(1), 0, Map.of(), T0);
        AtomicReference<ProjectJourneys> journeys = new AtomicReference<>(
                ProjectJourneys.of(PROJECT, List.of(onboard(1)), List.of(v1), FrequencyCaps.none(PROJECT)));
        JourneySource source = p -> p.equals(PROJECT) ? journeys.get() : ProjectJourneys.none(p);
        SegmentSource segments = p -> p.equals(PROJECT) ? List.of(VISITORS) : List.of();
        String group = "journeys";
        Config configA = EngineTestSupport.config(stack, prefix, dirA, "a", group, List.of());
        Engine a = Engine.start(configA, EngineRuntimeSettings.fromConfig(configA), segments, ScoringSource.NONE, source, clock::get);
        Engine b = null;
        // person → the sends expected, as "v<version> <step>"
        Map<String, Set<String>> expected = new TreeMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
             KafkaProducer<String, byte[]> producer = EngineTestSupport.producer(stack)) {
            Config configB = EngineTestSupport.config(stack, prefix, dirB, "b", group, List.of(a.clusterAddress()));
            b = Engine.start(configB, EngineRuntimeSettings.fromConfig(configB), segments, ScoringSource.NONE, source, clock::get);
            Engine nodeB = b;
            await("both nodes own partitions", Duration.ofMinutes(1), () -> !a.ownedPartitions().isEmpty()
                    && !nodeB.ownedPartitions().isEmpty() && "ok".equals(a.readiness()) && "ok".equals(nodeB.readiness()));

            // Given 200 users entering v1 and 50 entering v2 once it is published, both nodes running
            EngineTestSupport.produce(producer, events, visits(0, 200, clock.get()));
            expectAll(expected, 0, 200, "v1 hello");
            await("200 hellos on v1", PHASE, () -> sends(stack, outbox).size() == 200);
            PublishedVersion v2 = new PublishedVersion(onboard(2), 1, Map.of(), clock.get());
            journeys.set(ProjectJourneys.of(PROJECT, List.of(onboard(2)), List.of(v1, v2), FrequencyCaps.none(PROJECT)));
            EngineTestSupport.produce(producer, events, visits(200, 250, clock.get()));
            expectAll(expected, 200, 250, "v2 hello");
            await("250 hellos", PHASE, () -> sends(stack, outbox).size() == 250);

            // When node b stops abruptly while every run sits in its one-day delay: its partitions move to a
            Set<Integer> moved = new TreeSet<>(b.ownedPartitions());
            long restoredBefore = a.metrics().restoredUsers.sum();
            long sentByB = b.metrics().journeySendsEmitted(); // every send so far is committed: b writes no more
            b.closeAbruptly();
            b = null;
            await("a owns every partition", PHASE,
                    () -> a.ownedPartitions().equals(EngineTestSupport.all(PARTITIONS)) && "ok".equals(a.readiness()));
            assertTrue(a.metrics().restoredUsers.sum() > restoredBefore, "a restored b's partitions " + moved + " with their runs");

            // a day later: 50 more users enter v2, and the delays of the first 250 end (their runs wait for a purchase)
            clock.set(T0 + DAY);
            EngineTestSupport.produce(producer, events, visits(250, 300, clock.get()));
            expectAll(expected, 250, 300, "v2 hello");
            await("300 hellos, 250 runs waiting", PHASE, () -> sends(stack, outbox).size() == 300
                    && atStep(stack, journeyEvents, "wait").size() == 250);

            // v3 maps v2's "wait" to its own "wait": the 50 v2 runs waiting move, the 50 still in their delay do not
            clock.set(T0 + DAY + MINUTE);
            PublishedVersion v3 = new PublishedVersion(onboard(3), 2, Map.of("wait", "wait"), clock.get());
            journeys.set(ProjectJourneys.of(PROJECT, List.of(onboard(3)), List.of(v1, v2, v3), FrequencyCaps.none(PROJECT)));
            clock.set(T0 + DAY + 2 * MINUTE);
            EngineTestSupport.produce(producer, events, visits(300, 320, clock.get()));
            expectAll(expected, 300, 320, "v3 hello");
            // the even users purchase: the waiting ones are thanked on their version (v1, or v3 for moved runs); a
            // purchase during a delay is not what the wait waits for
            List<Event> purchases = new ArrayList<>();
            for (int u = 0; u < 320; u += 2) {
                purchases.add(EngineTestSupport.event(PROJECT, "u" + u, "purchase", clock.get(), "buy-" + u, Map.of()));
            }
            EngineTestSupport.produce(producer, events, purchases);
            for (int u = 0; u < 250; u += 2) {
                expected.get("u" + u).add(u < 200 ? "v1 thanks" : "v3 thanks");
            }
            await("320 hellos and 125 thanks", PHASE, () -> sends(stack, outbox).size() == 320 + 125);

            // the later runs' delays end; then every wait still open times out
            clock.set(T0 + 2 * DAY + 3 * MINUTE);
            await("320 runs waiting", PHASE, () -> atStep(stack, journeyEvents, "wait").size() == 320);
            clock.set(T0 + 5 * DAY);
            for (int u = 0; u < 320; u++) {
                if (u < 250 && u % 2 == 0) {
                    continue;
                }
                expected.get("u" + u).add(u < 200 ? "v1 nudge" : u < 250 ? "v3 nudge" : u < 300 ? "v2 nudge" : "v3 nudge");
            }
            int total = expected.values().stream().mapToInt(Set::size).sum();
            await("every send", PHASE, () -> sends(stack, outbox).size() >= total);

            // Then the outbox holds each expected send exactly once, with the id of its idempotency key
            List<OutboxMessage> all = sends(stack, outbox);
            Map<String, Set<String>> actual = new TreeMap<>();
            Map<String, Integer> perId = new HashMap<>();
            for (OutboxMessage m : all) {
                String version = "v" + m.data().path("journey").path("version").asInt();
                String step = m.data().path("journey").path("step").asText();
                actual.computeIfAbsent(m.personId(), k -> new TreeSet<>()).add(version + " " + step);
                perId.merge(m.messageId(), 1, Integer::sum);
                String key = "journey/onboard/" + version + "/" + m.personId() + "/" + m.data().path("journey").path("entry").asLong()
                        + "/" + step;
                assertEquals(key, m.data().path("idempotency_key").asText());
                assertEquals(IdempotencyKeys.of("journey", "hook", PROJECT, key), m.messageId());
                String rendered = step.equals("thanks") ? m.data().path("fields").path("stage").asText()
                        : m.data().path("fields").path("title").asText();
                assertEquals(version + " " + step, rendered, "the send renders its own version's template");
            }
            assertEquals(total, all.size(), "no send twice: " + duplicates(perId));
            assertEquals(expected, actual);
            assertEquals(total, perId.size());
            // the journey events tell the same story: 50 runs moved by the mapping, none other
            List<JourneyEvent> history = journeyEvents(stack, journeyEvents);
            assertEquals(50, history.stream().filter(e -> e.kind() == JourneyEvent.Kind.MOVED).count());
            assertTrue(history.stream().filter(e -> e.kind() == JourneyEvent.Kind.MOVED)
                    .allMatch(e -> index(e.personId()) >= 200 && index(e.personId()) < 250), "only the waiting v2 runs moved");
            assertEquals(total, history.stream().filter(e -> e.kind() == JourneyEvent.Kind.SENT).count());
            assertTrue(sentByB > 0 && sentByB < 250, "b sent for its own partitions: " + sentByB);
            assertEquals(total, a.metrics().journeySendsEmitted() + sentByB, "the nodes' counters add up to the outbox");
        } finally {
            if (b != null) {
                b.close();
            }
            a.close();
        }
    }

    private static int index(String person) {
        return Integer.parseInt(person.substring(1));
    }

    private static void expectAll(Map<String, Set<String>> expected, int from, int to, String send) {
        for (int u = from; u < to; u++) {
            expected.computeIfAbsent("u" + u, k -> new TreeSet<>()).add(send);
        }
    }

    private static List<Event> visits(int from, int to, long at) {
        List<Event> out = new ArrayList<>();
        for (int u = from; u < to; u++) {
            out.add(EngineTestSupport.event(PROJECT, "u" + u, "visit", at, "visit-" + u, Map.of()));
        }
        return out;
    }

    private static Map<String, Integer> duplicates(Map<String, Integer> perId) {
        Map<String, Integer> d = new TreeMap<>();
        perId.forEach((k, v) -> {
            if (v > 1) {
                d.put(k, v);
            }
        });
        return d;
    }

    private static List<OutboxMessage> sends(TestStack stack, String outbox) {
        return readCommitted(stack, outbox, CdpCodec::decodeMessage);
    }

    private static List<JourneyEvent> journeyEvents(TestStack stack, String topic) {
        return readCommitted(stack, topic, JourneyEventCodec::decode);
    }

    /** The persons whose runs have entered {@code step} (from the journey events). */
    private static Set<String> atStep(TestStack stack, String topic, String step) {
        Set<String> persons = new TreeSet<>();
        for (JourneyEvent e : journeyEvents(stack, topic)) {
            if (e.kind() == JourneyEvent.Kind.STEP_ENTERED && step.equals(e.stepId())) {
                persons.add(e.personId());
            }
        }
        return persons;
    }

    /** Every committed record of {@code topic}, read to its end offsets. */
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
            Map<TopicPartition, Long> end = c.endOffsets(tps); // read_committed: the last stable offsets
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
}
