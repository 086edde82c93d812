package io.beacon.engine.runtime;

import static io.beacon.engine.runtime.EngineTestSupport.await;
import static io.beacon.engine.runtime.EngineTestSupport.getUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.Window;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.engine.api.EngineRoutes;
import io.beacon.engine.state.WindowSpec;
import io.beacon.event.Event;
import io.beacon.event.SegmentChange;
import io.beacon.event.SegmentChangeCodec;
import io.beacon.event.TopicNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One engine node on the real broker: 10,000 users' events → profiles equal an independent computation,
 * the "purchased ≥ 2 in 7 d" segment has exactly the right members (members API, all pages), and a
 * time-based exit fires when the (injected) clock passes the window, with no new event, and lands on
 * {@code beacon.segment.changes}.
 */
@ExtendWith(BeaconStackExtension.class)
class EngineIT {
    private static final String PROJECT = "shop";
    private static final int PARTITIONS = 4;
    private static final int USERS = 10_000;
    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final List<String> NAMES = List.of("page", "purchase", "signup");

    private static final SegmentDefinition BUYERS = new SegmentDefinition(PROJECT, "buyers", "Purchased twice in 7 days", null,
            new Rule.EventCount("purchase", Window.D7, Cmp.GTE, 2), 1, T0);
    private static final SegmentDefinition ACTIVE = new SegmentDefinition(PROJECT, "active1h", "Active in the last hour", null,
            new Rule.LastSeenWithin(Duration.ofHours(1)), 1, T0);

    @Test
    void shouldServeProfilesAndSegmentsEqualToAnIndependentComputation(TestStack stack, @TempDir Path dir) throws Exception {
        String prefix = stack.uniqueName("engine") + ".";
        String events = prefix + "beacon.events.valid";
        stack.createTopics(PARTITIONS, events);
        // Given events for 10,000 users over the last 10 days
        Random random = new Random(7);
        Map<String, List<Event>> byUser = new HashMap<>();
        List<Event> all = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            String person = "u" + u;
            int n = 1 + random.nextInt(5);
            for (int i = 0; i < n; i++) {
                String name = NAMES.get(random.nextInt(NAMES.size()));
                long t = T0 - (long) (random.nextDouble() * 10 * 24 * HOUR);
                Event e = EngineTestSupport.event(PROJECT, person, name, t, person + "-" + i, Map.of());
                byUser.computeIfAbsent(person, k -> new ArrayList<>()).add(e);
                all.add(e);
            }
        }
        try (KafkaProducer<String, byte[]> producer = EngineTestSupport.producer(stack)) {
            EngineTestSupport.produce(producer, events, all);
        }
        AtomicLong clock = new AtomicLong(T0);
        String group = stack.uniqueName("engine-group");
        var config = EngineTestSupport.config(stack, prefix, dir, "it-1", group, List.of());
        try (Engine engine = Engine.start(config, EngineRuntimeSettings.fromConfig(config),
                p -> p.equals(PROJECT) ? List.of(ACTIVE, BUYERS) : List.of(), clock::get);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            String url = EngineTestSupport.serve(engine, new EngineRoutes(engine, EngineTestSupport.projects(PROJECT),
                    p -> p.equals(PROJECT) ? List.of(ACTIVE, BUYERS) : List.of()));

            // When the engine has consumed everything
            await("engine caught up", Duration.ofMinutes(3), () -> EngineTestSupport.caughtUp(admin, engine.settings().groupId(), events, PARTITIONS));
            assertEquals("ok", engine.readiness());
            assertEquals(all.size(), engine.metrics().recordsProcessed());

            // Then sampled profiles equal the reference computed here
            for (int u = 0; u < USERS; u += 97) {
                String person = "u" + u;
                JsonNode p = getUntil(url + "/api/v1/users/" + person, 200, Duration.ofSeconds(30)).body();
                List<Event> mine = byUser.get(person);
                for (String name : NAMES) {
                    for (Window w : Window.values()) {
                        long expected = mine.stream().filter(e -> e.eventName().equals(name)
                                && WindowSpec.includes(w, e.eventTime(), T0)).count();
                        assertEquals(expected, p.path("events").path(name).path(w.wireName()).asLong(0),
                                person + " " + name + " " + w + ": " + p);
                    }
                }
                assertEquals(mine.stream().mapToLong(Event::eventTime).min().getAsLong(), p.path("first_seen_ms").asLong());
                assertEquals(mine.stream().mapToLong(Event::eventTime).max().getAsLong(), p.path("last_seen_ms").asLong());
                boolean buyer = isBuyer(mine, T0);
                assertEquals(buyer, hasSegment(p, "buyers"), person + ": " + p);
            }
            assertEquals(404, EngineTestSupport.get(url + "/api/v1/users/nobody").status());
            assertEquals("USER_NOT_FOUND", EngineTestSupport.get(url + "/api/v1/users/nobody").body().path("error").path("code").asText());
            assertEquals(400, EngineTestSupport.get(url + "/api/v1/segments/buyers/members?limit=0").status());
            assertEquals("limit", EngineTestSupport.get(url + "/api/v1/segments/buyers/members?limit=x").body().path("error").path("field").asText());
            assertEquals(400, EngineTestSupport.get(url + "/api/v1/segments/buyers/members?cursor=%21%21").status());

            // And the buyers segment has exactly the right members, over every page
            Set<String> expectedBuyers = new TreeSet<>();
            byUser.forEach((person, list) -> {
                if (isBuyer(list, T0)) {
                    expectedBuyers.add(person);
                }
            });
            assertEquals(expectedBuyers, members(url, "buyers", 97));
            JsonNode stats = getUntil(url + "/api/v1/segments/buyers/stats", 200, Duration.ofSeconds(10)).body();
            assertEquals(expectedBuyers.size(), stats.path("size").asLong());
            JsonNode hourly = stats.path("hourly");
            assertEquals(25, hourly.size(), "24 h by default, both ends' hours included: " + stats);
            assertEquals(expectedBuyers.size(), hourly.get(24).path("size").asLong(), "the current hour's size");
            assertEquals(0, hourly.get(0).path("size").asLong(), "nobody was a member a day before the engine ran");
            assertEquals(400, EngineTestSupport.get(url + "/api/v1/segments/buyers/stats?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").status());
            assertEquals("to", EngineTestSupport.get(url + "/api/v1/segments/buyers/stats?to=yesterday").body().path("error").path("field").asText());
            assertEquals("SEGMENT_NOT_FOUND", EngineTestSupport.get(url + "/api/v1/segments/nope/members").body().path("error").path("code").asText());
            assertEquals(401, java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url + "/api/v1/users/u1")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());

            // When the clock passes the hour with no new event, the "active in the last hour" members exit (cause time)
            Set<String> active = new TreeSet<>();
            byUser.forEach((person, list) -> {
                if (list.stream().anyMatch(e -> T0 - e.eventTime() < HOUR)) {
                    active.add(person);
                }
            });
            assertTrue(active.size() > 10, "the data has recently active users: " + active.size());
            assertEquals(active, members(url, "active1h", 500));
            clock.set(T0 + HOUR + 1);
            await("time-based exits", Duration.ofMinutes(1), () -> {
                try {
                    return members(url, "active1h", 500).isEmpty();
                } catch (Exception e) {
                    return false;
                }
            });
            String sample = active.iterator().next();
            assertTrue(!hasSegment(getUntil(url + "/api/v1/users/" + sample, 200, Duration.ofSeconds(10)).body(), "active1h"));

            // Then beacon.segment.changes holds one entry per buyer and exactly one time exit per active user
            await("changes committed", Duration.ofSeconds(30), () -> changes(stack, prefix).stream()
                    .filter(c -> c.cause() == SegmentChange.Cause.TIME && c.segmentId().equals("active1h")).count() >= active.size());
            List<SegmentChange> changes = changes(stack, prefix);
            Map<String, Integer> timeExits = new HashMap<>();
            Set<String> buyersEntered = new HashSet<>();
            for (SegmentChange c : changes) {
                if (c.segmentId().equals("active1h") && c.cause() == SegmentChange.Cause.TIME) {
                    assertEquals(SegmentChange.Kind.EXITED, c.kind());
                    timeExits.merge(c.personId(), 1, Integer::sum);
                }
                if (c.segmentId().equals("buyers") && c.kind() == SegmentChange.Kind.ENTERED && c.cause() == SegmentChange.Cause.EVENT) {
                    buyersEntered.add(c.personId());
                }
            }
            assertEquals(active, timeExits.keySet());
            assertTrue(timeExits.values().stream().allMatch(n -> n == 1), "one exit each: " + timeExits);
            assertTrue(buyersEntered.containsAll(expectedBuyers));
            assertTrue(engine.metrics().prometheus("it-1").contains("beacon_engine_consumer_lag{node=\"it-1\",partition=\"0\"} 0.0\n"));
        }
    }

    /** Evaluated after each event at T0: in the segment at the end iff ≥ 2 purchases in the 7 d window of T0. */
    private static boolean isBuyer(List<Event> events, long now) {
        return events.stream().filter(e -> e.eventName().equals("purchase") && WindowSpec.includes(Window.D7, e.eventTime(), now)).count() >= 2;
    }

    private static boolean hasSegment(JsonNode profile, String id) {
        for (JsonNode s : profile.path("segments")) {
            if (s.path("id").asText().equals(id)) {
                return true;
            }
        }
        return false;
    }

    static Set<String> members(String url, String segment, int limit) throws Exception {
        Set<String> out = new TreeSet<>();
        String cursor = null;
        int pages = 0;
        do {
            String q = url + "/api/v1/segments/" + segment + "/members?limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = getUntil(q, 200, Duration.ofSeconds(10)).body();
            for (JsonNode m : page.path("members")) {
                assertTrue(out.add(m.asText()), "member listed twice: " + m);
            }
            assertTrue(page.path("members").size() <= limit);
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            assertTrue(++pages < 10_000, "paging does not end");
        } while (cursor != null);
        return out;
    }

    static List<SegmentChange> changes(TestStack stack, String prefix) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<SegmentChange> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            String topic = TopicNames.withPrefix(prefix).segmentChanges();
            var tps = c.partitionsFor(topic).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(SegmentChangeCodec.decode(r.value()));
                }
            }
        }
        return out;
    }
}
