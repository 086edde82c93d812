package io.beacon.engine.runtime;

import static io.beacon.engine.runtime.EngineTestSupport.await;
import static io.beacon.engine.runtime.EngineTestSupport.getUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.Window;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.engine.api.EngineRoutes;
import io.beacon.event.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engine nodes (two actor systems forming one Pekko cluster on 127.0.0.1) in one consumer group:
 * partitions split between them, either node answers for any user, and when one node stops abruptly the
 * other takes its partitions, restores them from the changelog (it never had them locally) and ends with
 * correct counts.
 */
@ExtendWith(BeaconStackExtension.class)
class EngineTwoNodeIT {
    private static final String PROJECT = "shop";
    private static final int PARTITIONS = 4;
    private static final int USERS = 2_000;
    private static final long T0 = 1_767_225_600_000L;
    private static final SegmentDefinition BUYERS = new SegmentDefinition(PROJECT, "buyers", "Buyers", null,
            new Rule.EventCount("purchase", Window.ALL, Cmp.GTE, 2), 1, T0);

    @Test
    void shouldSplitPartitionsAnswerAnywhereAndTakeOverAfterANodeStops(TestStack stack, @TempDir Path dirA,
                                                                       @TempDir Path dirB) throws Exception {
        String prefix = stack.uniqueName("engine2") + ".";
        String events = prefix + "beacon.events.valid";
        stack.createTopics(PARTITIONS, events);
        String group = "two-node";
        SegmentSource segments = p -> p.equals(PROJECT) ? List.of(BUYERS) : List.of();
        Config configA = EngineTestSupport.config(stack, prefix, dirA, "a", group, List.of());
        Engine a = Engine.start(configA, EngineRuntimeSettings.fromConfig(configA), segments, () -> T0);
        Engine b = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Config configB = EngineTestSupport.config(stack, prefix, dirB, "b", group, List.of(a.clusterAddress()));
            b = Engine.start(configB, EngineRuntimeSettings.fromConfig(configB), segments, () -> T0);
            String urlA = EngineTestSupport.serve(a, new EngineRoutes(a, EngineTestSupport.projects(PROJECT), segments));
            String urlB = EngineTestSupport.serve(b, new EngineRoutes(b, EngineTestSupport.projects(PROJECT), segments));
            Engine nodeB = b;

            // partitions split between the two nodes
            await("both nodes own partitions", Duration.ofMinutes(1), () -> !a.ownedPartitions().isEmpty()
                    && !nodeB.ownedPartitions().isEmpty()
                    && union(a.ownedPartitions(), nodeB.ownedPartitions()).equals(EngineTestSupport.all(PARTITIONS))
                    && "ok".equals(a.readiness()) && "ok".equals(nodeB.readiness()));
            assertTrue(disjoint(a.ownedPartitions(), b.ownedPartitions()));

            Map<String, Map<String, Long>> reference = new HashMap<>();
            List<Event> first = wave(0, reference);
            try (KafkaProducer<String, byte[]> producer = EngineTestSupport.producer(stack)) {
                EngineTestSupport.produce(producer, events, first);
            }
            await("first wave consumed", Duration.ofMinutes(2),
                    () -> EngineTestSupport.caughtUp(admin, a.settings().groupId(), events, PARTITIONS));

            // either node answers for any user, wherever its partition lives
            for (int u = 0; u < USERS; u += 41) {
                String person = "u" + u;
                check(getUntil(urlA + "/api/v1/users/" + person, 200, Duration.ofSeconds(30)).body(), reference.get(person));
                check(getUntil(urlB + "/api/v1/users/" + person, 200, Duration.ofSeconds(30)).body(), reference.get(person));
            }
            Set<String> buyers = buyers(reference);
            assertEquals(buyers, EngineIT.members(urlA, "buyers", 200));
            assertEquals(buyers, EngineIT.members(urlB, "buyers", 200));

            // node b stops abruptly: its batch in flight is not committed, it leaves the cluster
            Set<Integer> taken = new TreeSet<>(b.ownedPartitions());
            long restoredBefore = a.metrics().restoredUsers.sum();
            b.closeAbruptly();
            b = null;
            await("a owns every partition", Duration.ofMinutes(2),
                    () -> a.ownedPartitions().equals(EngineTestSupport.all(PARTITIONS)) && "ok".equals(a.readiness()));
            assertTrue(a.metrics().restoredUsers.sum() > restoredBefore,
                    "a restored b's partitions " + taken + " from the changelog");

            List<Event> second = wave(1, reference);
            try (KafkaProducer<String, byte[]> producer = EngineTestSupport.producer(stack)) {
                EngineTestSupport.produce(producer, events, second);
            }
            await("second wave consumed", Duration.ofMinutes(2),
                    () -> EngineTestSupport.caughtUp(admin, a.settings().groupId(), events, PARTITIONS));
            for (int u = 0; u < USERS; u += 13) {
                String person = "u" + u;
                check(getUntil(urlA + "/api/v1/users/" + person, 200, Duration.ofSeconds(30)).body(), reference.get(person));
            }
            assertEquals(buyers(reference), EngineIT.members(urlA, "buyers", 500));
        } finally {
            if (b != null) {
                b.close();
            }
            a.close();
        }
    }

    /** Events of wave {@code w} for every user, added to {@code reference} (person → event → count). */
    private static List<Event> wave(int w, Map<String, Map<String, Long>> reference) {
        List<Event> out = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            String person = "u" + u;
            int n = 1 + (u + w) % 3;
            for (int i = 0; i < n; i++) {
                String name = (u + i + w) % 4 == 0 ? "purchase" : "page";
                out.add(EngineTestSupport.event(PROJECT, person, name, T0 - 1000L * (i + 1) - w, person + "-" + w + "-" + i, Map.of()));
                reference.computeIfAbsent(person, k -> new HashMap<>()).merge(name, 1L, Long::sum);
            }
        }
        return out;
    }

    private static Set<String> buyers(Map<String, Map<String, Long>> reference) {
        Set<String> out = new TreeSet<>();
        reference.forEach((person, counts) -> {
            if (counts.getOrDefault("purchase", 0L) >= 2) {
                out.add(person);
            }
        });
        return out;
    }

    private static void check(JsonNode profile, Map<String, Long> expected) {
        for (String name : List.of("page", "purchase")) {
            assertEquals(expected.getOrDefault(name, 0L), profile.path("events").path(name).path("all").asLong(0),
                    name + " of " + profile.path("person_id").asText() + ": " + profile);
        }
    }

    private static Set<Integer> union(Set<Integer> x, Set<Integer> y) {
        Set<Integer> s = new TreeSet<>(x);
        s.addAll(y);
        return s;
    }

    private static boolean disjoint(Set<Integer> x, Set<Integer> y) {
        Set<Integer> s = new HashSet<>(x);
        s.retainAll(y);
        return s.isEmpty();
    }

}
