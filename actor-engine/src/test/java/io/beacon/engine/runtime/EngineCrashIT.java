package io.beacon.engine.runtime;

import static io.beacon.engine.runtime.EngineTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.audience.Window;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.engine.state.UserState;
import io.beacon.engine.state.UserStateCodec;
import io.beacon.event.Event;
import io.beacon.event.SegmentChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * The engine in a child JVM is SIGKILLed while events stream in, then restarted on the same state directory:
 * every user's counts (the committed changelog state) equal the reference — nothing lost, nothing counted
 * twice — and the segment entries on {@code beacon.segment.changes} (read_committed) are not doubled.
 */
@ExtendWith(BeaconStackExtension.class)
class EngineCrashIT {
    private static final int PARTITIONS = 4;
    private static final int USERS = 3_000;
    private static final int EVENTS = 30_000;
    private static final long T0 = 1_767_225_600_000L;

    @Test
    void shouldNeitherLoseNorDoubleCountAcrossASigkill(TestStack stack, @TempDir Path dir) throws Exception {
        String prefix = stack.uniqueName("enginecrash") + ".";
        String events = prefix + "beacon.events.valid";
        stack.createTopics(PARTITIONS, events);
        Map<String, Map<String, Long>> reference = new HashMap<>();
        List<Event> all = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String person = "u" + (i * 7919 % USERS);
            String name = i % 5 == 0 ? "purchase" : "page";
            all.add(EngineTestSupport.event("shop", person, name, T0 + i, "e" + i, Map.of()));
            reference.computeIfAbsent(person, k -> new HashMap<>()).merge(name, 1L, Long::sum);
        }
        Map<String, String> props = Map.of(
                "beacon.kafka.bootstrap-servers", stack.bootstrapServers(),
                "beacon.kafka.topic-prefix", prefix,
                "beacon.engine.state-dir", dir.resolve("state").toString(),
                "beacon.engine.node-id", "crash-1",
                "beacon.engine.max-poll-records", "500");
        String group = prefix + "beacon-engine";
        Path log = dir.resolve("child.log");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
             KafkaProducer<String, byte[]> producer = EngineTestSupport.producer(stack)) {
            // Given the first third of the stream and a running engine
            EngineTestSupport.produce(producer, events, all.subList(0, EVENTS / 3));
            Process child = start(props, log);
            try {
                // When more events stream in and the engine is killed mid-stream
                int sent = EVENTS / 3;
                await("engine committed some of the stream", Duration.ofMinutes(2),
                        () -> alive(child, log) && EngineTestSupport.committedTotal(admin, group, events) > 2_000);
                EngineTestSupport.produce(producer, events, all.subList(sent, 2 * EVENTS / 3));
                long before = EngineTestSupport.committedTotal(admin, group, events);
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no commit
                child.waitFor();
                assertTrue(before < 2L * EVENTS / 3, "killed mid-stream (" + before + " of " + 2 * EVENTS / 3 + " committed)");
                EngineTestSupport.produce(producer, events, all.subList(2 * EVENTS / 3, EVENTS));
            } finally {
                child.destroyForcibly();
            }
            // Then the restarted engine ends with exactly the reference
            Process restarted = start(props, log);
            try {
                await("restarted engine caught up", Duration.ofMinutes(3),
                        () -> alive(restarted, log) && EngineTestSupport.caughtUp(admin, group, events, PARTITIONS));
            } finally {
                restarted.destroy();
                restarted.waitFor();
            }
        }
        Map<String, byte[]> states = readCompacted(stack, prefix + EngineRuntimeSettings.CHANGELOG);
        assertEquals(reference.size(), states.size());
        long checked = 0;
        for (Map.Entry<String, Map<String, Long>> e : reference.entrySet()) {
            UserState s = UserStateCodec.decode(states.get("shop:" + e.getKey()));
            for (String name : List.of("page", "purchase")) {
                assertEquals(e.getValue().getOrDefault(name, 0L).longValue(), s.count(name, Window.ALL, T0 + EVENTS),
                        e.getKey() + " " + name);
                checked++;
            }
        }
        assertEquals(2L * USERS, checked);
        Map<String, Integer> entered = new HashMap<>();
        for (SegmentChange c : EngineIT.changes(stack, prefix)) {
            assertEquals(SegmentChange.Kind.ENTERED, c.kind(), "nobody leaves 'purchased twice, ever': " + c);
            entered.merge(c.personId(), 1, Integer::sum);
        }
        long buyers = reference.values().stream().filter(m -> m.getOrDefault("purchase", 0L) >= 2).count();
        assertEquals(buyers, entered.size());
        assertTrue(entered.values().stream().allMatch(n -> n == 1), "an entry was written twice: " + entered);
    }

    private static Process start(Map<String, String> props, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx384m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add(EngineChild.class.getName());
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean alive(Process p, Path log) {
        if (!p.isAlive()) {
            try {
                List<String> lines = Files.readAllLines(log);
                throw new AssertionError("engine child exited with " + p.exitValue() + ":\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return true;
    }

    /** The last value per key of a compacted topic, read_committed, tombstones removing keys. */
    private static Map<String, byte[]> readCompacted(TestStack stack, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, byte[]> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        out.remove(r.key());
                    } else {
                        out.put(r.key(), r.value());
                    }
                }
            }
        }
        return out;
    }
}
