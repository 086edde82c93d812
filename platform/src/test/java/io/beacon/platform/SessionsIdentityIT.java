package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.EventCodec;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions and identity end to end on real Kafka and ClickHouse, through a whole node: a visitor
 * browses anonymously on one device over two visits, identifies during the second, continues on a
 * second device; guard-rail ids and a second identity on one device are refused.
 */
@ExtendWith(BeaconStackExtension.class)
class SessionsIdentityIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final long MIN = 60_000;

    /** One event as sent, kept for the independent computation of sessions. */
    private record Sent(String device, long time, String url, String json) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private int sequence;

    private Sent item(String type, String name, String userId, String device, long time, String url) {
        ObjectNode item = EventCodec.mapper().createObjectNode().put("type", type).put("messageId", "sid-" + (++sequence))
                .put("timestamp", Instant.ofEpochMilli(time).toString()).put("anonymousId", device);
        if (userId != null) {
            item.put("userId", userId);
        }
        if (name != null) {
            item.put("event", name);
        }
        if (url != null) {
            item.putObject("properties").put("url", url);
        }
        Sent s = new Sent(device, time, url, item.toString());
        sent.add(s);
        return s;
    }

    private static void send(SegmentLoad load, List<Sent> items) {
        load.sendUntilAccepted(SegmentLoad.batch(items.stream().map(Sent::json).toList()), DEADLINE);
    }

    private static long await(ClickHouse ch, String sql, long expected) {
        return PlatformFixture.awaitValue(() -> PlatformFixture.count(ch, sql), expected, DEADLINE);
    }

    @Test
    void shouldCountOnePersonWithThreeSessionsAndConvertAFunnelAcrossIdentify(TestStack stack) {
        PlatformFixture fx = new PlatformFixture(stack, "sessid", 0);
        String project = fx.settings.get("beacon.bootstrap-project.id");
        String inProject = " project_id = '" + project + "'";
        long b = Instant.now().minus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
        try (BeaconNode node = BeaconNode.start(fx.config()); ClickHouse ch = fx.clickhouse()) {
            node.awaitReady(DEADLINE);
            SegmentLoad load = new SegmentLoad(node::httpUrl, fx.writeKey);

            // Given device A browsing anonymously in two visits (60 min apart)
            send(load, List.of(
                    item("page", null, null, "anon-A", b, "https://shop.example/?utm_source=news"),
                    item("page", null, null, "anon-A", b + 5 * MIN, "https://shop.example/pricing"),
                    item("track", "Viewed Pricing", null, "anon-A", b + 6 * MIN, null),
                    item("page", null, null, "anon-A", b + 12 * MIN, "https://shop.example/blog"),
                    item("page", null, null, "anon-A", b + 72 * MIN, "https://shop.example/"),
                    item("page", null, null, "anon-A", b + 80 * MIN, "https://shop.example/features")));
            assertEquals(6, await(ch, "SELECT count() FROM events FINAL WHERE" + inProject, 6));
            // When it identifies during the second visit and goes on
            send(load, List.of(
                    item("identify", null, "user-1", "anon-A", b + 85 * MIN, null),
                    item("page", null, "user-1", "anon-A", b + 90 * MIN, "https://shop.example/account")));
            assertEquals(8, await(ch, "SELECT count() FROM events FINAL WHERE" + inProject, 8));
            // and continues on device B, where it converts
            send(load, List.of(
                    item("identify", null, "user-1", "anon-B", b + 200 * MIN, null),
                    item("page", null, "user-1", "anon-B", b + 201 * MIN, "https://app.example/dashboard"),
                    item("track", "Subscribed", "user-1", "anon-B", b + 205 * MIN, null),
                    item("page", null, "user-1", "anon-B", b + 210 * MIN, "https://app.example/billing")));
            int total = sent.size();
            assertEquals(total, await(ch, "SELECT count() FROM events FINAL WHERE" + inProject, total));

            // Then one person has all events and three sessions
            assertEquals(1, await(ch, "SELECT count() FROM person_distinct_ids FINAL WHERE" + inProject
                    + " AND distinct_id = 'anon-B' AND person_id = 'user-1'", 1));
            assertEquals(0, ch.queryLong("SELECT count() FROM events FINAL WHERE" + inProject + " AND session_id = ''"),
                    "every event carries a session id");
            assertEquals(1, ch.queryLong("SELECT uniqExact(resolved_person_id) FROM events_with_person WHERE" + inProject));
            assertEquals(total, ch.queryLong("SELECT count() FROM events_with_person WHERE" + inProject + " AND resolved_person_id = 'user-1'"));
            assertEquals(3, await(ch, "SELECT sessions FROM sessions_per_person WHERE" + inProject + " AND resolved_person_id = 'user-1'", 3));
            assertEquals(3, ch.queryLong("SELECT uniqExact(session_id) FROM events FINAL WHERE" + inProject));
            assertEquals(2, ch.queryLong("SELECT uniqExact(distinct_id) FROM events FINAL WHERE" + inProject + " AND event_type != 'identify'"),
                    "without resolution the same person looks like two");

            // and a funnel from an anonymous step to an identified step converts, per resolved person only
            String funnel = "SELECT countIf(level = 2) FROM (SELECT %s AS who, windowFunnel(86400)(event_time, event_name = 'Viewed Pricing',"
                    + " event_name = 'Subscribed') AS level FROM %s WHERE" + inProject + " GROUP BY who)";
            assertEquals(1, ch.queryLong(funnel.formatted("resolved_person_id", "events_with_person")));
            assertEquals(0, ch.queryLong(funnel.formatted("distinct_id", "events FINAL")));

            // and the session summaries equal an independent computation over the events sent
            List<Map<String, String>> expected = expectedSessions(30 * MIN);
            assertEquals(expected.size(), await(ch, "SELECT sum(event_count) FROM sessions_with_person WHERE" + inProject, total) == total
                    ? 3 : -1, "every event counted in a session");
            List<Map<String, String>> actual = ch.query("SELECT toString(event_count) AS events, toString(duration_ms) AS duration_ms,"
                    + " entry_url, exit_url, toString(pageview_count) AS pageviews, resolved_person_id FROM sessions_with_person WHERE"
                    + inProject + " ORDER BY start_time_ms").asMaps();
            assertEquals(expected, actual);
            assertEquals("news", ch.query("SELECT utm_source FROM sessions FINAL WHERE" + inProject + " AND is_deleted = 0"
                    + " ORDER BY start_time_ms LIMIT 1").single());
            assertEquals(0, ch.queryLong("SELECT count() FROM sessions WHERE" + inProject
                    + " GROUP BY session_id, version HAVING count() > 2 LIMIT 1 UNION ALL SELECT 0"), "no stale duplicates after FINAL");
        }
    }

    /** Sessions per device: sort by time, a new one after a gap of at least {@code gap}; as the view returns them. */
    private List<Map<String, String>> expectedSessions(long gap) {
        Map<String, List<Sent>> byDevice = new LinkedHashMap<>();
        sent.forEach(s -> byDevice.computeIfAbsent(s.device(), d -> new ArrayList<>()).add(s));
        List<List<Sent>> sessions = new ArrayList<>();
        for (List<Sent> events : byDevice.values()) {
            events.sort(Comparator.comparingLong(Sent::time));
            List<Sent> current = null;
            for (Sent e : events) {
                if (current == null || e.time() - current.get(current.size() - 1).time() >= gap) {
                    current = new ArrayList<>();
                    sessions.add(current);
                }
                current.add(e);
            }
        }
        sessions.sort(Comparator.comparingLong(s -> s.get(0).time()));
        List<Map<String, String>> out = new ArrayList<>();
        for (List<Sent> s : sessions) {
            List<Sent> withUrl = s.stream().filter(e -> e.url() != null).toList();
            Map<String, String> row = new LinkedHashMap<>();
            row.put("events", Integer.toString(s.size()));
            row.put("duration_ms", Long.toString(s.get(s.size() - 1).time() - s.get(0).time()));
            row.put("entry_url", withUrl.isEmpty() ? "" : withUrl.get(0).url());
            row.put("exit_url", withUrl.isEmpty() ? "" : withUrl.get(withUrl.size() - 1).url());
            row.put("pageviews", Long.toString(s.stream().filter(e -> e.json().contains("\"type\":\"page\"")).count()));
            row.put("resolved_person_id", "user-1");
            out.add(row);
        }
        return out;
    }

    @Test
    void shouldRefuseGuardRailIdsAndASecondIdentityOnOneDevice(TestStack stack) {
        PlatformFixture fx = new PlatformFixture(stack, "guard", 0);
        String project = fx.settings.get("beacon.bootstrap-project.id");
        String inProject = " project_id = '" + project + "'";
        long b = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
        try (BeaconNode node = BeaconNode.start(fx.config()); ClickHouse ch = fx.clickhouse()) {
            node.awaitReady(DEADLINE);
            SegmentLoad load = new SegmentLoad(node::httpUrl, fx.writeKey);
            // Given two users identifying with placeholder anonymous ids, an anonymous 'undefined' visitor,
            // and a device that identifies as user-4
            List<Sent> first = new ArrayList<>();
            for (String placeholder : List.of("undefined", "null", "0", "anonymous")) {
                first.add(item("identify", null, "user-2", placeholder, b, null));
                first.add(item("identify", null, "user-3", placeholder, b + MIN, null));
            }
            first.add(item("track", "Clicked", null, "undefined", b + 2 * MIN, null));
            first.add(item("identify", null, "user-4", "anon-C", b + 3 * MIN, null));
            send(load, first);
            assertEquals(1, await(ch, "SELECT count() FROM person_distinct_ids FINAL WHERE" + inProject
                    + " AND distinct_id = 'user-4'", 1), "user-4's claim recorded");
            // When the same device identifies as user-5, and user-4 is aliased to user-5
            ObjectNode alias = EventCodec.mapper().createObjectNode().put("type", "alias").put("messageId", "sid-alias")
                    .put("userId", "user-5").put("previousId", "user-4").put("timestamp", Instant.ofEpochMilli(b + 5 * MIN).toString());
            load.sendUntilAccepted(SegmentLoad.batch(List.of(item("identify", null, "user-5", "anon-C", b + 4 * MIN, null).json(),
                    alias.toString())), DEADLINE);
            long total = sent.size() + 1;
            assertEquals(total, await(ch, "SELECT count() FROM events FINAL WHERE" + inProject, total));

            // Then no placeholder id is linked to anyone
            assertEquals(0, ch.queryLong("SELECT count() FROM person_distinct_ids FINAL WHERE" + inProject
                    + " AND distinct_id IN ('undefined', 'null', '0', 'anonymous')"));
            assertEquals(3, ch.queryLong("SELECT uniqExact(resolved_person_id) FROM events_with_person WHERE" + inProject
                    + " AND (user_id IN ('user-2', 'user-3') OR device_id = 'undefined')"), "user-2, user-3 and 'undefined' stay apart");
            assertEquals(8, ch.queryLong("SELECT count() FROM events FINAL WHERE" + inProject
                    + " AND has(warnings, 'identity_merge_refused') AND user_id IN ('user-2', 'user-3')"));
            // and the second identity of the device is refused: anon-C stays user-4's, user-4 and user-5 stay two persons
            assertEquals("user-4", ch.query("SELECT argMax(person_id, version) FROM person_distinct_ids WHERE" + inProject
                    + " AND distinct_id = 'anon-C'").single());
            assertEquals(0, ch.queryLong("SELECT count() FROM person_distinct_ids FINAL WHERE" + inProject
                    + " AND distinct_id = 'user-4' AND person_id != 'user-4'"));
            assertEquals(2, ch.queryLong("SELECT count() FROM events FINAL WHERE" + inProject
                    + " AND user_id = 'user-5' AND has(warnings, 'identity_merge_refused')"), "the identify and the alias");
            assertEquals(2, ch.queryLong("SELECT uniqExact(resolved_person_id) FROM events_with_person WHERE" + inProject
                    + " AND user_id IN ('user-4', 'user-5')"));
            assertTrue(node.sink().isPresent());
        }
    }
}
