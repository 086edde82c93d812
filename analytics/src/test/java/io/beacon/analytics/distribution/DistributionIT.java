package io.beacon.analytics.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.QueryParser;
import io.beacon.analytics.testing.AnalyticsDb;
import io.beacon.analytics.testing.Generated;
import io.beacon.analytics.testing.TestEvent;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Events-per-person distribution and stickiness on a real ClickHouse against plain-Java references over the
 * shared generated data (DST changes east/west, local-midnight edges, equal timestamps, anonymous ids linked
 * to users, shuffled arrival with re-sent copies) and hand-built edge persons.
 */
@ExtendWith(BeaconStackExtension.class)
class DistributionIT {
    private static final String PROJECT = "pd";
    private static final String EDGE = "pd-edge";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AnalyticsDb db;
    private static Generated data;
    private static final List<TestEvent> edge = new ArrayList<>();
    private static final Map<String, String> edgeLinks = new HashMap<>();

    @BeforeAll
    static void load(TestStack stack) {
        db = new AnalyticsDb(stack, "distribution");
        data = new Generated(23, 50, 3000);
        db.insert(PROJECT, data.arrival);
        data.links.forEach((anon, user) -> db.link(PROJECT, anon, user));
        db.insert("other-project", data.events.subList(0, 300));
        // Kolkata: exactly at local midnight of 03-10 (day 03-10), 1 s before (day 03-09).
        edge("k", "view", "2026-03-10T00:00", "Asia/Kolkata", 0);
        edge("k", "view", "2026-03-10T00:00", "Asia/Kolkata", -1000);
        // Los Angeles across spring-forward: 03-08 00:00 PST and 03-08 23:59:59 PDT are the same local day.
        edge("la", "view", "2026-03-08T00:00", "America/Los_Angeles", 0);
        edge("la", "view", "2026-03-08T23:59:59", "America/Los_Angeles", 0);
        edge("la", "view", "2026-03-09T00:00", "America/Los_Angeles", 0);
        // Anonymous history of "id": one person with 3 events over 2 UTC days.
        edge("anon-id", "view", "2026-03-11T10:00", "UTC", 0);
        edge("anon-id", "view", "2026-03-11T10:00", "UTC", 0);
        edge("id", "view", "2026-03-12T10:00", "UTC", 0);
        edgeLinks.put("anon-id", "id");
        db.insert(EDGE, edge);
        edgeLinks.forEach((anon, user) -> db.link(EDGE, anon, user));
    }

    private static void edge(String person, String name, String local, String zone, long deltaMs) {
        long t = LocalDateTime.parse(local).atZone(ZoneId.of(zone)).toInstant().toEpochMilli() + deltaMs;
        edge.add(new TestEvent("d" + edge.size(), person, name, t, "DE", Map.of()));
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static InsightQuery parse(String json) throws Exception {
        return QueryParser.parse(JSON.readTree(json), ZoneId.of("UTC"));
    }

    private static boolean inRange(TestEvent e, ZoneId zone, String from, String to) {
        long s = Math.floorDiv(e.timeMs(), 1000);
        return s >= LocalDate.parse(from).atStartOfDay(zone).toEpochSecond() && s < LocalDate.parse(to).plusDays(1).atStartOfDay(zone).toEpochSecond();
    }

    /** Per person, the matching events in the range. */
    static Map<String, Long> perPerson(List<TestEvent> events, Function<TestEvent, String> person, ZoneId zone, String from, String to,
                                       Predicate<TestEvent> match) {
        Map<String, Long> counts = new HashMap<>();
        events.stream().filter(e -> inRange(e, zone, from, to) && match.test(e)).forEach(e -> counts.merge(person.apply(e), 1L, Long::sum));
        return counts;
    }

    static LocalDate intervalOf(TestEvent e, ZoneId zone, String interval) {
        LocalDate d = Instant.ofEpochSecond(Math.floorDiv(e.timeMs(), 1000)).atZone(zone).toLocalDate();
        return switch (interval) {
            case "day" -> d;
            case "week" -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            default -> d.withDayOfMonth(1);
        };
    }

    @Test
    void shouldMatchTheReferenceHistogramWithMaxAndEdgeBuckets() throws Exception {
        for (String zoneId : List.of("UTC", "Asia/Kolkata", "America/Los_Angeles")) {
            ZoneId zone = ZoneId.of(zoneId);
            Map<String, Long> counts = perPerson(data.events, data::resolved, zone, "2026-03-03", "2026-03-20",
                    e -> e.name().equals("view") && !"free".equals(Generated.text(e, "plan")));
            String q = "{\"analysis\":\"distribution\",\"timezone\":\"" + zoneId + "\",\"date_range\":{\"from\":\"2026-03-03\",\"to\":\"2026-03-20\"},"
                    + "\"event\":{\"event\":\"view\",\"filters\":[{\"property\":\"properties.plan\",\"op\":\"neq\",\"value\":\"free\"}]}";
            DistributionResult max = Distribution.run(PROJECT, (InsightQuery.Distribution) parse(q + ",\"buckets\":{\"max\":6}}"), db.clickhouse()::query);
            assertEquals(counts.size(), max.persons(), zoneId);
            assertEquals(counts.values().stream().mapToLong(Long::longValue).sum(), max.events(), zoneId);
            assertEquals(List.of("1", "2", "3", "4", "5", "6+"), max.buckets().stream().map(DistributionResult.Bucket::label).toList());
            for (DistributionResult.Bucket b : max.buckets()) {
                long want = counts.values().stream().filter(c -> c >= b.min() && (b.max() == null || c <= b.max())).count();
                assertEquals(want, b.persons(), zoneId + " " + b.label());
            }
            assertTrue(max.buckets().stream().filter(b -> b.persons() > 0).count() >= 3, zoneId + " the data spreads over buckets");
            DistributionResult edges = Distribution.run(PROJECT, (InsightQuery.Distribution) parse(q + ",\"buckets\":{\"edges\":[1,3,8,12]}}"),
                    db.clickhouse()::query);
            assertEquals(List.of("1-2", "3-7", "8-11", "12+"), edges.buckets().stream().map(DistributionResult.Bucket::label).toList());
            long[][] bounds = {{1, 2}, {3, 7}, {8, 11}, {12, Long.MAX_VALUE}};
            for (int i = 0; i < 4; i++) {
                long lo = bounds[i][0];
                long hi = bounds[i][1];
                assertEquals(counts.values().stream().filter(c -> c >= lo && c <= hi).count(), edges.buckets().get(i).persons(), zoneId + " edge " + i);
            }
        }
    }

    @Test
    void shouldCountLinkedAnonymousEventsForTheUserAndLocalMidnightInTheDayItStarts() throws Exception {
        DistributionResult d = Distribution.run(EDGE, (InsightQuery.Distribution) parse("{\"analysis\":\"distribution\",\"timezone\":\"Asia/Kolkata\","
                + "\"date_range\":{\"from\":\"2026-03-10\",\"to\":\"2026-03-12\"},\"buckets\":{\"max\":4}}"), db.clickhouse()::query);
        // k: only the event at 03-10 00:00 IST (the other is 1 s before); id: 2 anonymous + 1 own = 3 (03-12 10:00 UTC is 15:30 IST).
        assertEquals(List.of(1L, 0L, 1L, 0L), d.buckets().stream().map(DistributionResult.Bucket::persons).toList());
        Map<String, Long> ref = perPerson(edge, e -> edgeLinks.getOrDefault(e.person(), e.person()), ZoneId.of("Asia/Kolkata"), "2026-03-10",
                "2026-03-12", e -> true);
        assertEquals(Map.of("k", 1L, "id", 3L), ref);
    }

    /** Persons by the number of distinct local intervals with a matching event in the range. */
    static Map<Integer, Long> stickiness(List<TestEvent> events, Function<TestEvent, String> person, ZoneId zone, String from, String to,
                                         String interval, Predicate<TestEvent> match) {
        Map<String, Set<LocalDate>> active = new HashMap<>();
        events.stream().filter(e -> inRange(e, zone, from, to) && match.test(e))
                .forEach(e -> active.computeIfAbsent(person.apply(e), k -> new HashSet<>()).add(intervalOf(e, zone, interval)));
        Map<Integer, Long> out = new HashMap<>();
        active.values().forEach(s -> out.merge(s.size(), 1L, Long::sum));
        return out;
    }

    @Test
    void shouldMatchTheReferenceStickinessForEveryIntervalAndZone() throws Exception {
        String[][] shapes = {{"day", "2026-03-05", "2026-03-18", "14"}, {"week", "2026-03-04", "2026-04-02", "5"}, {"month", "2026-03-01", "2026-04-30", "2"}};
        for (String zoneId : List.of("UTC", "Europe/Berlin", "Asia/Kolkata", "America/Los_Angeles")) {
            ZoneId zone = ZoneId.of(zoneId);
            for (String[] s : shapes) {
                StickinessResult r = Stickiness.run(PROJECT, (InsightQuery.Stickiness) parse("{\"analysis\":\"stickiness\",\"timezone\":\"" + zoneId
                        + "\",\"interval\":\"" + s[0] + "\",\"date_range\":{\"from\":\"" + s[1] + "\",\"to\":\"" + s[2] + "\"},"
                        + "\"event\":{\"event\":\"purchase\"},\"filters\":[{\"property\":\"country\",\"op\":\"neq\",\"value\":\"US\"}]}"), db.clickhouse()::query);
                Map<Integer, Long> want = stickiness(data.events, data::resolved, zone, s[1], s[2], s[0],
                        e -> e.name().equals("purchase") && !e.country().equals("US"));
                String what = zoneId + " " + s[0];
                assertEquals(Integer.parseInt(s[3]), r.intervals(), what);
                assertEquals(r.intervals(), r.counts().size(), what);
                for (StickinessResult.Count c : r.counts()) {
                    assertEquals(want.getOrDefault(c.intervals(), 0L), c.persons(), what + " k=" + c.intervals());
                }
                assertEquals(want.values().stream().mapToLong(Long::longValue).sum(), r.persons(), what);
                assertTrue(r.counts().stream().filter(c -> c.persons() > 0).count() >= 2, what + " the data spreads");
            }
        }
    }

    @Test
    void shouldCountTheDstDayAsOneDayAndLinkedHistoryAsTheUsers() throws Exception {
        // la: 03-08 00:00 PST and 23:59:59 PDT are one local day, 03-09 00:00 another → 2 days.
        StickinessResult la = Stickiness.run(EDGE, (InsightQuery.Stickiness) parse("{\"analysis\":\"stickiness\",\"timezone\":\"America/Los_Angeles\","
                + "\"date_range\":{\"from\":\"2026-03-08\",\"to\":\"2026-03-09\"},\"filters\":[{\"property\":\"distinct_id\",\"op\":\"eq\",\"value\":\"la\"}]}"),
                db.clickhouse()::query);
        assertEquals(List.of(0L, 1L), la.counts().stream().map(StickinessResult.Count::persons).toList());
        // id: anonymous events on 03-11 and its own on 03-12 → one person active 2 days.
        StickinessResult id = Stickiness.run(EDGE, (InsightQuery.Stickiness) parse("{\"analysis\":\"stickiness\",\"timezone\":\"UTC\","
                + "\"date_range\":{\"from\":\"2026-03-11\",\"to\":\"2026-03-12\"}}"), db.clickhouse()::query);
        assertEquals(List.of(0L, 1L), id.counts().stream().map(StickinessResult.Count::persons).toList());
    }
}
