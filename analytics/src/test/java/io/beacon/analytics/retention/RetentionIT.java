package io.beacon.analytics.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retention on a real ClickHouse against a plain-Java reference: the shared generated data (DST changes
 * east/west, local-midnight edges, linked anonymous persons, duplicates, shuffled arrival) and a
 * hand-built project of edge persons (starts exactly at local midnight east and west of UTC, on DST days,
 * a return only in a later period, a start before the range, repeated starts).
 */
@ExtendWith(BeaconStackExtension.class)
class RetentionIT {
    private static final String PROJECT = "pr";
    private static final String EDGE = "pr-edge";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AnalyticsDb db;
    private static Generated data;
    private static final List<TestEvent> edge = new ArrayList<>();
    private static final Map<String, String> edgeLinks = new HashMap<>();

    @BeforeAll
    static void load(TestStack stack) {
        db = new AnalyticsDb(stack, "retention");
        data = new Generated(11, 60, 4000);
        db.insert(PROJECT, data.arrival.subList(0, data.arrival.size() / 2));
        db.insert(PROJECT, data.arrival.subList(data.arrival.size() / 2, data.arrival.size()));
        data.links.forEach((anon, user) -> db.link(PROJECT, anon, user));
        db.insert("other-project", data.events.subList(0, 200)); // must never be counted

        // East of UTC: start exactly at local midnight in Kolkata, return exactly at the next local midnight.
        edge("k", "s", "2026-03-10T00:00", "Asia/Kolkata");
        edge("k", "r", "2026-03-11T00:00", "Asia/Kolkata");
        // West of UTC, spring-forward day (US): start at local midnight, return at the next local midnight.
        edge("la", "s", "2026-03-08T00:00", "America/Los_Angeles");
        edge("la", "r", "2026-03-09T00:00", "America/Los_Angeles");
        // EU DST change week: start Sunday 2026-03-29 00:00 Berlin, return the same local day 23:30 (UTC: next day).
        edge("be", "s", "2026-03-29T00:00", "Europe/Berlin");
        edge("be", "r", "2026-03-29T23:30", "Europe/Berlin");
        edge("be", "r", "2026-03-30T00:00", "Europe/Berlin");
        // One millisecond before local midnight belongs to the previous day.
        edge("pre", "s", "2026-03-10T00:00", "Asia/Kolkata", -1);
        edge("pre", "r", "2026-03-10T00:00", "Asia/Kolkata");
        // Returns only two periods later.
        edge("late", "s", "2026-03-03T12:00", "UTC");
        edge("late", "r", "2026-03-17T12:00", "UTC");
        // First start before the range: never a first-time cohort member.
        edge("old", "s", "2026-02-20T12:00", "UTC");
        edge("old", "s", "2026-03-05T12:00", "UTC");
        edge("old", "r", "2026-03-06T12:00", "UTC");
        // Recurring starts, and a return before the start in the same period.
        edge("twice", "r", "2026-03-04T01:00", "UTC");
        edge("twice", "s", "2026-03-04T12:00", "UTC");
        edge("twice", "r", "2026-03-05T12:00", "UTC");
        edge("twice", "s", "2026-03-12T12:00", "UTC");
        edge("twice", "r", "2026-03-26T12:00", "UTC");
        // Anonymous start linked to the user who returns.
        edge("anon-id", "s", "2026-03-09T09:00", "UTC");
        edge("id", "r", "2026-03-16T09:00", "UTC");
        edgeLinks.put("anon-id", "id");
        // Equal timestamps for start and return.
        edge("tie", "s", "2026-03-20T10:00", "UTC");
        edge("tie", "r", "2026-03-20T10:00", "UTC");
        // Return after the range: not counted.
        edge("after", "s", "2026-03-30T10:00", "UTC");
        edge("after", "r", "2026-04-02T10:00", "UTC");
        db.insert(EDGE, edge);
        edgeLinks.forEach((anon, user) -> db.link(EDGE, anon, user));
    }

    private static void edge(String person, String name, String local, String zone) {
        edge(person, name, local, zone, 0);
    }

    private static void edge(String person, String name, String local, String zone, long deltaMs) {
        long t = LocalDateTime.parse(local).atZone(ZoneId.of(zone)).toInstant().toEpochMilli() + deltaMs;
        edge.add(new TestEvent("x" + edge.size(), person, name, t, "DE", Map.of()));
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static RetentionResult run(String project, String json) throws Exception {
        InsightQuery q = QueryParser.parse(JSON.readTree(json), ZoneId.of("UTC"));
        return Retention.run(project, (InsightQuery.Retention) q, db.clickhouse()::query);
    }

    // ---- reference -------------------------------------------------------------------------------

    private static LocalDate periodStart(LocalDate d, String period) {
        return switch (period) {
            case "day" -> d;
            case "week" -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            default -> d.withDayOfMonth(1);
        };
    }

    private static LocalDate plus(LocalDate p, String period, long k) {
        return switch (period) {
            case "day" -> p.plusDays(k);
            case "week" -> p.plusWeeks(k);
            default -> p.plusMonths(k);
        };
    }

    /** The expected cohort table (label → size and counts, null when not reached) and the averaged rates. */
    record Expected(List<String> labels, List<Long> sizes, List<List<Long>> counts, List<Double> average) {
    }

    static Expected reference(List<TestEvent> events, Function<TestEvent, String> person, ZoneId zone, String period, LocalDate from,
                              LocalDate to, int n, boolean firstTime, boolean onOrAfter, Predicate<TestEvent> start,
                              Predicate<TestEvent> ret) {
        long fromMs = from.atStartOfDay(zone).toInstant().toEpochMilli();
        long toMs = to.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        Function<TestEvent, LocalDate> periodOf = e -> periodStart(Instant.ofEpochMilli(e.timeMs() / 1000 * 1000).atZone(zone).toLocalDate(), period);
        Predicate<TestEvent> inRange = e -> e.timeMs() / 1000 * 1000 >= fromMs && e.timeMs() / 1000 * 1000 < toMs;
        Map<String, Set<LocalDate>> starts = new HashMap<>();
        Map<String, Set<LocalDate>> returns = new HashMap<>();
        Map<String, TestEvent> first = new HashMap<>();
        for (TestEvent e : events) {
            String p = person.apply(e);
            if (start.test(e)) {
                TestEvent f = first.get(p);
                if (f == null || e.timeMs() / 1000 < f.timeMs() / 1000) {
                    first.put(p, e);
                }
                if (inRange.test(e)) {
                    starts.computeIfAbsent(p, k -> new TreeSet<>()).add(periodOf.apply(e));
                }
            }
            if (ret.test(e) && inRange.test(e)) {
                returns.computeIfAbsent(p, k -> new TreeSet<>()).add(periodOf.apply(e));
            }
        }
        Map<String, Set<LocalDate>> cohortsOf = new HashMap<>();
        if (firstTime) {
            first.forEach((p, e) -> {
                if (inRange.test(e)) {
                    cohortsOf.put(p, Set.of(periodOf.apply(e)));
                }
            });
        } else {
            cohortsOf.putAll(starts);
        }
        List<String> labels = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        List<List<Long>> counts = new ArrayList<>();
        long[] sumSize = new long[n];
        long[] sumCount = new long[n];
        for (LocalDate c = periodStart(from, period); c.atStartOfDay(zone).toInstant().toEpochMilli() < toMs; c = plus(c, period, 1)) {
            LocalDate cohort = c;
            labels.add(c.toString());
            List<String> members = cohortsOf.entrySet().stream().filter(e -> e.getValue().contains(cohort)).map(Map.Entry::getKey).toList();
            sizes.add((long) members.size());
            List<Long> row = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                LocalDate target = plus(c, period, k);
                if (target.atStartOfDay(zone).toInstant().toEpochMilli() >= toMs) {
                    row.add(null);
                    continue;
                }
                long count = members.stream().filter(p -> returns.getOrDefault(p, Set.of()).stream()
                        .anyMatch(r -> onOrAfter ? !r.isBefore(target) : r.equals(target))).count();
                row.add(count);
                sumSize[k] += members.size();
                sumCount[k] += count;
            }
            counts.add(row);
        }
        List<Double> average = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            average.add(sumSize[k] == 0 ? null : (double) sumCount[k] / sumSize[k]);
        }
        return new Expected(labels, sizes, counts, average);
    }

    private static void assertMatches(Expected want, RetentionResult got, String what) {
        assertEquals(want.labels(), got.cohorts().stream().map(RetentionResult.Cohort::period).toList(), what);
        assertEquals(want.sizes(), got.cohorts().stream().map(RetentionResult.Cohort::size).toList(), what);
        assertEquals(want.counts(), got.cohorts().stream().map(RetentionResult.Cohort::counts).toList(), what);
        for (int k = 0; k < want.average().size(); k++) {
            Double w = want.average().get(k);
            Double g = got.average().get(k).rate();
            if (w == null) {
                assertNull(g, what + " offset " + k);
            } else {
                assertEquals(w, g, 1e-12, what + " offset " + k);
            }
        }
    }

    private static String query(String zone, String period, int n, String from, String to, boolean firstTime, boolean onOrAfter,
                                String start, String ret) {
        return "{\"analysis\":\"retention\",\"timezone\":\"" + zone + "\",\"period\":\"" + period + "\",\"periods\":" + n
                + ",\"date_range\":{\"from\":\"" + from + "\",\"to\":\"" + to + "\"},\"first_time\":" + firstTime
                + ",\"on_or_after\":" + onOrAfter + ",\"start_event\":" + start + ",\"return_event\":" + ret + "}";
    }

    // ---- tests -----------------------------------------------------------------------------------

    @Test
    void shouldMatchTheReferenceForEveryPeriodZoneAndMode() throws Exception {
        record Shape(String period, int n, String from, String to) {
        }
        List<Shape> shapes = List.of(new Shape("day", 8, "2026-03-05", "2026-03-31"), new Shape("week", 4, "2026-03-02", "2026-04-05"),
                new Shape("month", 2, "2026-03-01", "2026-04-30"));
        for (String zoneId : List.of("UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata")) {
            ZoneId zone = ZoneId.of(zoneId);
            for (Shape s : shapes) {
                for (boolean firstTime : List.of(false, true)) {
                    for (boolean onOrAfter : List.of(false, true)) {
                        String what = zoneId + " " + s + " first=" + firstTime + " onOrAfter=" + onOrAfter;
                        RetentionResult r = run(PROJECT, query(zoneId, s.period(), s.n(), s.from(), s.to(), firstTime, onOrAfter,
                                "{\"event\":\"signup\"}", "{\"event\":\"purchase\"}"));
                        assertMatches(reference(data.events, data::resolved, zone, s.period(), LocalDate.parse(s.from()),
                                LocalDate.parse(s.to()), s.n(), firstTime, onOrAfter, e -> e.name().equals("signup"),
                                e -> e.name().equals("purchase")), r, what);
                        assertTrue(r.cohorts().stream().mapToLong(RetentionResult.Cohort::size).sum() > 0, what);
                        assertTrue(firstTime || r.average().get(1).count() > 0, what);
                        RetentionResult e = run(EDGE, query(zoneId, s.period(), s.n(), s.from(), s.to(), firstTime, onOrAfter,
                                "{\"event\":\"s\"}", "{\"event\":\"r\"}"));
                        assertMatches(reference(edge, ev -> edgeLinks.getOrDefault(ev.person(), ev.person()), zone, s.period(),
                                LocalDate.parse(s.from()), LocalDate.parse(s.to()), s.n(), firstTime, onOrAfter,
                                ev -> ev.name().equals("s"), ev -> ev.name().equals("r")), e, "edge " + what);
                    }
                }
            }
        }
    }

    @Test
    void shouldApplyStartReturnAndGlobalFiltersLikeTheReference() throws Exception {
        ZoneId zone = ZoneId.of("Europe/Berlin");
        RetentionResult r = run(PROJECT, "{\"analysis\":\"retention\",\"timezone\":\"Europe/Berlin\",\"period\":\"day\",\"periods\":10,"
                + "\"date_range\":{\"from\":\"2026-03-20\",\"to\":\"2026-04-03\"},"
                + "\"start_event\":{\"filters\":[{\"property\":\"properties.plan\",\"op\":\"in\",\"value\":[\"pro\",\"it's \\\"quoted\\\"\"]}]},"
                + "\"return_event\":{\"event\":\"view\",\"filters\":[{\"property\":\"properties.price\",\"op\":\"gt\",\"value\":20}]},"
                + "\"filters\":[{\"property\":\"country\",\"op\":\"neq\",\"value\":\"US\"}]}");
        Set<String> plans = Set.of("pro", "it's \"quoted\"");
        Predicate<TestEvent> country = e -> !e.country().equals("US");
        assertMatches(reference(data.events, data::resolved, zone, "day", LocalDate.parse("2026-03-20"), LocalDate.parse("2026-04-03"), 10,
                false, false, country.and(e -> plans.contains(Generated.text(e, "plan"))),
                country.and(e -> e.name().equals("view") && Generated.number(e, "price") != null && Generated.number(e, "price") > 20)), r, "filters");
        assertEquals(1, r.queries().size());
        // Re-sent copies (in the generated data) cannot change sets of periods, so the scan skips FINAL; the
        // reference comparison above is what proves the numbers still count each event once.
        assertTrue(r.queries().get(0).sql().contains("FROM events\n") && !r.queries().get(0).sql().contains("FINAL"));
    }

    @Test
    void shouldPlaceLocalMidnightsInTheDayTheyStartEastAndWestOfUtc() throws Exception {
        // Kolkata (UTC+5:30): "k" starts 2026-03-10 00:00 local (= 03-09 18:30 UTC) and returns at 03-11 00:00 local;
        // "pre" starts 1 ms before 03-10 00:00 local (whole seconds: 23:59:59 on 03-09) and returns at 03-10 00:00.
        RetentionResult east = run(EDGE, query("Asia/Kolkata", "day", 3, "2026-03-09", "2026-03-12", false, false, "{\"event\":\"s\"}", "{\"event\":\"r\"}"));
        RetentionResult.Cohort d9 = east.cohorts().get(0);
        RetentionResult.Cohort d10 = east.cohorts().get(1);
        assertEquals("2026-03-09", d9.period());
        assertEquals(2, d9.size()); // pre, and the anonymous start at 09:00 UTC = 14:30 local
        assertEquals(List.of(0L, 1L, 0L), d9.counts());
        assertEquals(1, d10.size()); // k
        assertEquals(List.of(0L, 1L, 0L), d10.counts());
        assertEquals(java.util.Arrays.asList(0L, null, null), east.cohorts().get(3).counts());
        // Los Angeles, spring-forward day 2026-03-08: start at 00:00 PST, return at 03-09 00:00 PDT → offset 1 (day) and offset 1 (week:
        // Sunday 03-08 is in the week of Monday 03-02, Monday 03-09 starts the next).
        RetentionResult west = run(EDGE, query("America/Los_Angeles", "day", 2, "2026-03-08", "2026-03-09", false, false, "{\"event\":\"s\"}", "{\"event\":\"r\"}"));
        assertEquals(1, west.cohorts().get(0).size());
        assertEquals(List.of(0L, 1L), west.cohorts().get(0).counts());
        RetentionResult westWeek = run(EDGE, query("America/Los_Angeles", "week", 2, "2026-03-02", "2026-03-15", false, false, "{\"event\":\"s\"}", "{\"event\":\"r\"}"));
        assertEquals("2026-03-02", westWeek.cohorts().get(0).period());
        assertTrue(westWeek.cohorts().get(0).counts().get(1) >= 1);
        // Berlin, DST day 2026-03-29: 23:30 local is still 03-29 (UTC: 03-29 21:30, while the start is 03-28 23:00 UTC).
        RetentionResult berlin = run(EDGE, query("Europe/Berlin", "day", 2, "2026-03-29", "2026-03-30", false, false, "{\"event\":\"s\"}", "{\"event\":\"r\"}"));
        assertEquals(List.of(1L, 1L), berlin.cohorts().get(0).counts());
        RetentionResult utc = run(EDGE, query("UTC", "day", 2, "2026-03-28", "2026-03-29", false, false, "{\"event\":\"s\"}", "{\"event\":\"r\"}"));
        assertEquals("2026-03-28", utc.cohorts().get(0).period());
        assertEquals(1, utc.cohorts().get(0).size());
        assertEquals(List.of(0L, 1L), utc.cohorts().get(0).counts());
    }

    @Test
    void shouldDistinguishFirstTimeFromRecurringAndOnFromOnOrAfter() throws Exception {
        String from = "2026-03-02";
        String to = "2026-03-29";
        String s = "{\"event\":\"s\"}";
        String r = "{\"event\":\"r\"}";
        // "late": week of 03-02, returns only in week +2.
        RetentionResult on = run(EDGE, query("UTC", "week", 4, from, to, false, false, s, r));
        RetentionResult after = run(EDGE, query("UTC", "week", 4, from, to, false, true, s, r));
        Map<String, RetentionResult.Cohort> onBy = new LinkedHashMap<>();
        on.cohorts().forEach(c -> onBy.put(c.period(), c));
        Map<String, RetentionResult.Cohort> afterBy = new LinkedHashMap<>();
        after.cohorts().forEach(c -> afterBy.put(c.period(), c));
        // Week 03-02: late, old (03-05), twice (03-04), k (03-10 00:00 IST = 03-09 18:30 UTC → week 03-09: no), la (03-08 08:00 UTC).
        assertEquals(4, onBy.get("2026-03-02").size());
        assertTrue(afterBy.get("2026-03-02").counts().get(1) > onBy.get("2026-03-02").counts().get(1));
        assertEquals(4, on.cohorts().size());
        assertNull(on.cohorts().get(3).counts().get(1)); // the last week has not reached offset 1
        assertEquals(1, on.average().get(3).cohorts());
        // Recurring: "twice" is in the cohorts of 03-04 and 03-12 (days); first time only 03-04. "old" only recurring.
        RetentionResult recurring = run(EDGE, query("UTC", "day", 1, from, to, false, false, s, r));
        RetentionResult firstTime = run(EDGE, query("UTC", "day", 1, from, to, true, false, s, r));
        Map<String, Long> rec = new HashMap<>();
        recurring.cohorts().forEach(c -> rec.put(c.period(), c.size()));
        Map<String, Long> ft = new HashMap<>();
        firstTime.cohorts().forEach(c -> ft.put(c.period(), c.size()));
        assertEquals(1L, rec.get("2026-03-12"));
        assertEquals(0L, ft.get("2026-03-12"));
        assertEquals(1L, rec.get("2026-03-05"));
        assertEquals(0L, ft.get("2026-03-05"));
        assertEquals(1L, ft.get("2026-03-04"));
        // Offset 0 counts a return anywhere in the cohort period ("twice" returned at 01:00, before its 12:00 start).
        assertEquals(List.of(1L), firstTime.cohorts().stream().filter(c -> c.period().equals("2026-03-04")).findFirst().orElseThrow().counts());
        // The anonymous start and the linked user's return are one person: week 03-09 → week 03-16.
        RetentionResult weeks = run(EDGE, query("UTC", "week", 2, "2026-03-09", "2026-03-22", true, false, s, r));
        assertTrue(weeks.cohorts().get(0).counts().get(1) >= 1);
    }

    @Test
    void shouldAnswerEmptyCohortsWithZerosAndNullAverages() throws Exception {
        RetentionResult r = run(EDGE, query("UTC", "day", 3, "2026-05-01", "2026-05-03", false, false, "{\"event\":\"nobody\"}", "{\"event\":\"r\"}"));
        assertEquals(3, r.cohorts().size());
        assertEquals(0, r.cohorts().get(0).size());
        assertEquals(java.util.Arrays.asList(0L, 0L, 0L), r.cohorts().get(0).counts());
        assertEquals(java.util.Arrays.asList(0L, null, null), r.cohorts().get(2).counts());
        assertNull(r.average().get(0).rate());
        assertEquals(1, r.average().get(2).cohorts());
    }
}
