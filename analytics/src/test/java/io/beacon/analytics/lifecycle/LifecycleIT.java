package io.beacon.analytics.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.QueryParser;
import io.beacon.analytics.query.ResultJson;
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
 * Lifecycle on a real ClickHouse against a plain-Java reference: the shared generated data (DST east/west,
 * local midnights, equal timestamps, linked anonymous persons, shuffled arrival with copies) and hand-built
 * persons for each status (first event before the range, activity in the period before the range, a gap,
 * anonymous history linked later).
 */
@ExtendWith(BeaconStackExtension.class)
class LifecycleIT {
    private static final String PROJECT = "pl";
    private static final String EDGE = "pl-edge";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AnalyticsDb db;
    private static Generated data;
    private static final List<TestEvent> edge = new ArrayList<>();
    private static final Map<String, String> edgeLinks = new HashMap<>();

    @BeforeAll
    static void load(TestStack stack) {
        db = new AnalyticsDb(stack, "lifecycle");
        data = new Generated(31, 80, 3000);
        db.insert(PROJECT, data.arrival);
        data.links.forEach((anon, user) -> db.link(PROJECT, anon, user));
        db.insert("other-project", data.events.subList(0, 300));
        edge("n", "2026-03-12T12:00");
        edge("n", "2026-03-13T12:00");
        edge("n", "2026-03-15T12:00");
        edge("old", "2026-02-20T12:00");
        edge("old", "2026-03-11T12:00");
        edge("prev", "2026-03-09T12:00");
        edge("prev", "2026-03-10T00:00"); // exactly at the range start
        edge("prev2", "2026-03-09T23:59:59");
        edge("anon-id", "2026-03-10T08:00");
        edge("id", "2026-03-11T08:00");
        edgeLinks.put("anon-id", "id");
        edge("late", "2026-03-17T00:00"); // exactly at the range end: outside
        db.insert(EDGE, edge);
        edgeLinks.forEach((anon, user) -> db.link(EDGE, anon, user));
    }

    private static void edge(String person, String utc) {
        long t = LocalDateTime.parse(utc).atZone(ZoneId.of("UTC")).toInstant().toEpochMilli();
        edge.add(new TestEvent("l" + edge.size(), person, "view", t, "DE", Map.of()));
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static LifecycleResult run(String project, String json) throws Exception {
        return Lifecycle.run(project, (InsightQuery.Lifecycle) QueryParser.parse(JSON.readTree(json), ZoneId.of("UTC")), db.clickhouse()::query);
    }

    private static LocalDate periodOf(long ms, ZoneId zone, String interval) {
        LocalDate d = Instant.ofEpochSecond(Math.floorDiv(ms, 1000)).atZone(zone).toLocalDate();
        return switch (interval) {
            case "day" -> d;
            case "week" -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            default -> d.withDayOfMonth(1);
        };
    }

    private static LocalDate plus(LocalDate p, String interval, int k) {
        return switch (interval) {
            case "day" -> p.plusDays(k);
            case "week" -> p.plusWeeks(k);
            default -> p.plusMonths(k);
        };
    }

    /** label → [new, returning, resurrecting, dormant (≤ 0)], straight from the definitions. */
    static Map<String, List<Long>> reference(List<TestEvent> events, Function<TestEvent, String> person, ZoneId zone, String interval,
                                             String from, String to, Predicate<TestEvent> match) {
        long toS = LocalDate.parse(to).plusDays(1).atStartOfDay(zone).toEpochSecond();
        long fromS = LocalDate.parse(from).atStartOfDay(zone).toEpochSecond();
        LocalDate first = periodOf(fromS * 1000, zone, interval);
        LocalDate windowStart = plus(first, interval, -1);
        Map<String, LocalDate> firstEver = new HashMap<>();
        Map<String, Set<LocalDate>> active = new HashMap<>();
        for (TestEvent e : events) {
            long s = Math.floorDiv(e.timeMs(), 1000);
            if (!match.test(e) || s >= toS) {
                continue;
            }
            String p = person.apply(e);
            LocalDate period = periodOf(e.timeMs(), zone, interval);
            firstEver.merge(p, period, (a, b) -> a.isBefore(b) ? a : b);
            if (!period.isBefore(windowStart)) {
                active.computeIfAbsent(p, k -> new HashSet<>()).add(period);
            }
        }
        Map<String, List<Long>> out = new java.util.LinkedHashMap<>();
        for (LocalDate p = first; p.atStartOfDay(zone).toEpochSecond() < toS; p = plus(p, interval, 1)) {
            long nw = 0, ret = 0, res = 0, dor = 0;
            LocalDate before = plus(p, interval, -1);
            for (Map.Entry<String, Set<LocalDate>> e : active.entrySet()) {
                boolean now = e.getValue().contains(p);
                boolean prev = e.getValue().contains(before);
                if (now && firstEver.get(e.getKey()).equals(p)) {
                    nw++;
                } else if (now && prev) {
                    ret++;
                } else if (now) {
                    res++;
                } else if (prev) {
                    dor--;
                }
            }
            out.put(p.toString(), List.of(nw, ret, res, dor));
        }
        return out;
    }

    private static Map<String, List<Long>> asMap(LifecycleResult r) {
        Map<String, List<Long>> out = new java.util.LinkedHashMap<>();
        r.periods().forEach(p -> out.put(p.period(), List.of(p.newPersons(), p.returning(), p.resurrecting(), p.dormant())));
        return out;
    }

    @Test
    void shouldMatchTheReferenceForEveryIntervalAndZone() throws Exception {
        String[][] shapes = {{"day", "2026-03-08", "2026-03-31"}, {"week", "2026-03-04", "2026-04-05"}, {"month", "2026-03-01", "2026-04-30"}};
        for (String zoneId : List.of("UTC", "Europe/Berlin", "Asia/Kolkata", "America/Los_Angeles")) {
            ZoneId zone = ZoneId.of(zoneId);
            for (String[] s : shapes) {
                String what = zoneId + " " + s[0];
                LifecycleResult r = run(PROJECT, "{\"analysis\":\"lifecycle\",\"timezone\":\"" + zoneId + "\",\"interval\":\"" + s[0]
                        + "\",\"date_range\":{\"from\":\"" + s[1] + "\",\"to\":\"" + s[2] + "\"},\"event\":{\"event\":\"signup\"},"
                        + "\"filters\":[{\"property\":\"country\",\"op\":\"neq\",\"value\":\"FR\"}]}");
                Map<String, List<Long>> want = reference(data.events, data::resolved, zone, s[0], s[1], s[2],
                        e -> e.name().equals("signup") && !e.country().equals("FR"));
                assertEquals(want, asMap(r), what);
                if (!s[0].equals("month")) {
                    assertTrue(want.values().stream().anyMatch(v -> v.get(1) > 0) && want.values().stream().anyMatch(v -> v.get(2) > 0)
                            && want.values().stream().anyMatch(v -> v.get(3) < 0) && want.values().stream().anyMatch(v -> v.get(0) > 0),
                            what + ": the data hits every status");
                }
            }
        }
    }

    @Test
    void shouldClassifyTheHandBuiltPersons() throws Exception {
        LifecycleResult r = run(EDGE, "{\"analysis\":\"lifecycle\",\"timezone\":\"UTC\",\"date_range\":{\"from\":\"2026-03-10\",\"to\":\"2026-03-16\"}}");
        Map<String, List<Long>> got = asMap(r);
        // 03-10: prev returning (03-09 and exactly 00:00), id new (its anonymous first event), prev2 dormant.
        assertEquals(List.of(1L, 1L, 0L, -1L), got.get("2026-03-10"));
        // 03-11: old resurrecting (first 02-20), id returning (not new: the linked anonymous event came first), prev dormant.
        assertEquals(List.of(0L, 1L, 1L, -1L), got.get("2026-03-11"));
        assertEquals(List.of(1L, 0L, 0L, -2L), got.get("2026-03-12")); // n new; old and id dormant
        assertEquals(List.of(0L, 1L, 0L, 0L), got.get("2026-03-13"));
        assertEquals(List.of(0L, 0L, 0L, -1L), got.get("2026-03-14"));
        assertEquals(List.of(0L, 0L, 1L, 0L), got.get("2026-03-15"));
        assertEquals(List.of(0L, 0L, 0L, -1L), got.get("2026-03-16")); // "late" at 03-17 00:00 is outside
        assertEquals(reference(edge, e -> edgeLinks.getOrDefault(e.person(), e.person()), ZoneId.of("UTC"), "day", "2026-03-10", "2026-03-16",
                e -> true), got);
        String json = ResultJson.mapper().writeValueAsString(r);
        assertTrue(json.contains("\"new\":1"), json);
    }

    @Test
    void shouldUseLocalPeriodsEastAndWestOfUtc() throws Exception {
        // In Kolkata (+05:30) "prev2" at 03-09 23:59:59 UTC is 03-10 05:29 local: active on 03-10 together with prev
        // (03-09 17:30 and 03-10 05:30 local), so prev2 is new there and nobody is dormant on 03-10.
        Map<String, List<Long>> east = asMap(run(EDGE, "{\"analysis\":\"lifecycle\",\"timezone\":\"Asia/Kolkata\","
                + "\"date_range\":{\"from\":\"2026-03-10\",\"to\":\"2026-03-11\"}}"));
        assertEquals(reference(edge, e -> edgeLinks.getOrDefault(e.person(), e.person()), ZoneId.of("Asia/Kolkata"), "day", "2026-03-10",
                "2026-03-11", e -> true), east);
        assertEquals(0L, east.get("2026-03-10").get(3));
        Map<String, List<Long>> west = asMap(run(EDGE, "{\"analysis\":\"lifecycle\",\"timezone\":\"America/Los_Angeles\",\"interval\":\"week\","
                + "\"date_range\":{\"from\":\"2026-03-02\",\"to\":\"2026-03-22\"}}"));
        assertEquals(reference(edge, e -> edgeLinks.getOrDefault(e.person(), e.person()), ZoneId.of("America/Los_Angeles"), "week", "2026-03-02",
                "2026-03-22", e -> true), west);
    }
}
