package io.beacon.analytics.trends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Trends on a real ClickHouse against an independent plain-Java reference over the same generated events
 * (DST changes east/west, local-midnight edges, duplicates, shuffled arrival, linked anonymous persons).
 */
@ExtendWith(BeaconStackExtension.class)
class TrendsIT {
    private static final String PROJECT = "p1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AnalyticsDb db;
    private static Generated data;

    @BeforeAll
    static void load(TestStack stack) {
        db = new AnalyticsDb(stack, "trends");
        data = new Generated(42, 40, 3000);
        db.insert(PROJECT, data.arrival.subList(0, data.arrival.size() / 2));
        db.insert(PROJECT, data.arrival.subList(data.arrival.size() / 2, data.arrival.size()));
        data.links.forEach((anon, user) -> db.link(PROJECT, anon, user));
        db.insert("other-project", data.events.subList(0, 50)); // must never be counted
        // Person property "tier": several values, some persons without it, a changed value (the higher version
        // wins), a value set on an anonymous id linked to its user (counts for the user, and wins by version).
        for (int k = 0; k < 40; k++) {
            if (k % 9 != 4) {
                tier("u" + k, "t" + (k % 7), 1);
            }
        }
        tier("u1", "changed", 2);
        String anon = data.links.keySet().iterator().next();
        tier(anon, "set-as-" + anon, 3);
        db.personProperty("other-project", "u3", "tier", "other project's", 9); // never read for p1
        db.insert(ORDER_PROJECT, orderFixture());
    }

    /** Breakdown values with equal sums whose UTF-8 and UTF-16 orders differ, in a project of their own. */
    private static final String ORDER_PROJECT = "p-order";

    private static List<TestEvent> orderFixture() {
        long day = 86_400_000L;
        long t = local("2026-03-02T10:00", ZoneId.of("UTC"));
        List<TestEvent> evs = new ArrayList<>();
        // Equal sums spread differently over the days: '！' 2 + 0, '😀' 1 + 1; then 'b' with 1. One person per event.
        String[][] rows = {{"！", "0"}, {"！", "0"}, {"😀", "0"}, {"😀", "1"}, {"b", "1"}};
        for (int i = 0; i < rows.length; i++) {
            evs.add(new TestEvent("o" + i, "o-person-" + i, "signup", t + Long.parseLong(rows[i][1]) * day + i, "DE",
                    Map.of("plan", rows[i][0])));
        }
        return evs;
    }

    /** Current tier per resolved person: the value of the highest version over the person's ids (persons_current). */
    private static final Map<String, Map.Entry<Long, String>> TIERS = new HashMap<>();

    private static void tier(String person, String value, long version) {
        db.personProperty(PROJECT, person, "tier", value, version);
        String resolved = data.links.getOrDefault(person, person);
        Map.Entry<Long, String> old = TIERS.get(resolved);
        if (old == null || old.getKey() < version) {
            TIERS.put(resolved, Map.entry(version, value));
        }
    }

    /** The event's person's current tier ('' when the person has none). */
    private static String tierOf(TestEvent e) {
        Map.Entry<Long, String> t = TIERS.get(data.resolved(e));
        return t == null ? "" : t.getValue();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static TrendsResult run(String json) throws Exception {
        return run(PROJECT, json);
    }

    private static TrendsResult run(String project, String json) throws Exception {
        InsightQuery q = QueryParser.parse(JSON.readTree(json), ZoneId.of("UTC"));
        return Trends.run(project, (InsightQuery.Trends) q, db.clickhouse()::query);
    }

    /** ClickHouse's String order: UTF-8 bytes, unsigned (= code point order). */
    private static final Comparator<String> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
            b.getBytes(StandardCharsets.UTF_8));

    // ---- reference -------------------------------------------------------------------------------

    private static String bucket(long ms, ZoneId zone, String interval) {
        ZonedDateTime z = Instant.ofEpochMilli(ms).atZone(zone);
        LocalDate d = z.toLocalDate();
        return switch (interval) {
            case "hour" -> z.truncatedTo(ChronoUnit.HOURS).toOffsetDateTime().toString();
            case "day" -> d.toString();
            case "week" -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toString();
            default -> d.withDayOfMonth(1).toString();
        };
    }

    private static long local(String dateTime, ZoneId zone) {
        return java.time.LocalDateTime.parse(dateTime).atZone(zone).toInstant().toEpochMilli();
    }

    /** Events in [from, to) of the project matching {@code p}, grouped by bucket. */
    private static Map<String, List<TestEvent>> groups(long from, long to, ZoneId zone, String interval, Predicate<TestEvent> p) {
        Map<String, List<TestEvent>> out = new TreeMap<>();
        for (TestEvent e : data.events) {
            if (e.timeMs() / 1000 * 1000 >= from && e.timeMs() / 1000 * 1000 < to && p.test(e)) {
                out.computeIfAbsent(bucket(e.timeMs(), zone, interval), k -> new ArrayList<>()).add(e);
            }
        }
        return out;
    }

    private static Double aggregate(String math, List<TestEvent> events) {
        Set<String> persons = events.stream().map(data::resolved).collect(Collectors.toSet());
        List<Double> values = events.stream().map(e -> Generated.number(e, "price")).filter(v -> v != null).sorted().toList();
        return switch (math) {
            case "total" -> (double) events.size();
            case "unique_persons" -> (double) persons.size();
            case "per_person_avg" -> (double) events.size() / persons.size();
            case "sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
            case "avg" -> values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            case "min" -> values.isEmpty() ? null : values.get(0);
            case "max" -> values.isEmpty() ? null : values.get(values.size() - 1);
            case "median" -> quantile(values, 0.5);
            case "p90" -> quantile(values, 0.9);
            default -> quantile(values, 0.99);
        };
    }

    /** ClickHouse quantileExact: the element at floor(level × n) of the sorted values. */
    private static Double quantile(List<Double> sorted, double level) {
        return sorted.isEmpty() ? null : sorted.get(Math.min(sorted.size() - 1, (int) (level * sorted.size())));
    }

    private static void assertValues(List<String> labels, Map<String, Double> expected, TrendsResult.Line line, Double empty) {
        assertEquals(labels.size(), line.values().size());
        for (int i = 0; i < labels.size(); i++) {
            Double want = expected.getOrDefault(labels.get(i), empty);
            Double got = line.values().get(i);
            if (want == null) {
                assertNull(got, "bucket " + labels.get(i));
            } else {
                assertEquals(want, got, 1e-9 * Math.max(1, Math.abs(want)), "bucket " + labels.get(i) + " of " + line);
            }
        }
    }

    // ---- tests -----------------------------------------------------------------------------------

    @Test
    void shouldMatchTheReferenceForEveryAggregationByDayInBerlinAcrossTheDstChange() throws Exception {
        ZoneId zone = ZoneId.of("Europe/Berlin");
        List<String> maths = List.of("total", "unique_persons", "per_person_avg", "sum", "avg", "min", "max", "median", "p90", "p99");
        StringBuilder series = new StringBuilder();
        for (String m : maths) {
            series.append(series.isEmpty() ? "" : ",").append("{\"event\":\"purchase\",\"math\":\"").append(m).append('"')
                    .append(m.equals("total") || m.equals("unique_persons") || m.equals("per_person_avg") ? "" : ",\"property\":\"properties.price\"")
                    .append(",\"filters\":[{\"property\":\"properties.plan\",\"op\":\"in\",\"value\":[\"pro\",\"team\",\"it's \\\"quoted\\\"\"]}]}");
        }
        TrendsResult r = run("{\"analysis\":\"trends\",\"timezone\":\"Europe/Berlin\",\"interval\":\"day\","
                + "\"date_range\":{\"from\":\"2026-03-25\",\"to\":\"2026-04-02\"},\"series\":[" + series + "]}");
        long from = local("2026-03-25T00:00", zone);
        long to = local("2026-04-03T00:00", zone);
        Set<String> plans = Set.of("pro", "team", "it's \"quoted\"");
        Map<String, List<TestEvent>> g = groups(from, to, zone, "day",
                e -> e.name().equals("purchase") && plans.contains(Generated.text(e, "plan")));
        assertEquals(9, r.buckets().size());
        assertEquals("2026-03-29", r.buckets().get(4));
        for (int i = 0; i < maths.size(); i++) {
            String m = maths.get(i);
            Map<String, Double> expected = new HashMap<>();
            g.forEach((b, evs) -> expected.put(b, aggregate(m, evs)));
            Double empty = m.equals("total") || m.equals("unique_persons") || m.equals("sum") ? 0.0 : null;
            assertValues(r.buckets(), expected, r.series().get(i), empty);
        }
        assertEquals(maths.size(), r.queries().size());
        assertTrue(r.queries().get(0).sql().contains("events FINAL"));
    }

    @Test
    void shouldBucketHoursInLosAngelesOverTheSpringForwardDay() throws Exception {
        ZoneId zone = ZoneId.of("America/Los_Angeles");
        TrendsResult r = run("{\"analysis\":\"trends\",\"timezone\":\"America/Los_Angeles\",\"interval\":\"hour\","
                + "\"date_range\":{\"from\":\"2026-03-08\",\"to\":\"2026-03-08\"},\"series\":[{\"math\":\"total\"}]}");
        assertEquals(23, r.buckets().size(), "the spring-forward day has 23 hours");
        Map<String, Double> expected = new HashMap<>();
        groups(local("2026-03-08T00:00", zone), local("2026-03-09T00:00", zone), zone, "hour", e -> true)
                .forEach((b, evs) -> expected.put(b, (double) evs.size()));
        assertValues(r.buckets(), expected, r.series().get(0), 0.0);
    }

    @Test
    void shouldBucketWeeksAndMonthsEastOfUtc() throws Exception {
        ZoneId zone = ZoneId.of("Asia/Kolkata");
        for (String interval : List.of("week", "month")) {
            TrendsResult r = run("{\"analysis\":\"trends\",\"timezone\":\"Asia/Kolkata\",\"interval\":\"" + interval + "\","
                    + "\"date_range\":{\"from\":\"2026-03-02\",\"to\":\"2026-04-05\"},"
                    + "\"series\":[{\"event\":\"view\"},{\"event\":\"view\",\"math\":\"unique_persons\"}]}");
            Map<String, List<TestEvent>> g = groups(local("2026-03-02T00:00", zone), local("2026-04-06T00:00", zone), zone, interval,
                    e -> e.name().equals("view"));
            for (int s = 0; s < 2; s++) {
                String m = s == 0 ? "total" : "unique_persons";
                Map<String, Double> expected = new HashMap<>();
                g.forEach((b, evs) -> expected.put(b, aggregate(m, evs)));
                assertValues(r.buckets(), expected, r.series().get(s), 0.0);
            }
        }
    }

    @Test
    void shouldApplyEveryFilterOperatorLikeTheReference() throws Exception {
        ZoneId zone = ZoneId.of("UTC");
        Map<String, Predicate<TestEvent>> cases = new LinkedHashMap<>();
        Function<TestEvent, String> plan = e -> Generated.text(e, "plan");
        Function<TestEvent, Double> price = e -> Generated.number(e, "price");
        cases.put("{\"property\":\"properties.plan\",\"op\":\"eq\",\"value\":\"pro\"}", e -> plan.apply(e).equals("pro"));
        cases.put("{\"property\":\"properties.plan\",\"op\":\"neq\",\"value\":\"pro\"}", e -> !plan.apply(e).equals("pro"));
        cases.put("{\"property\":\"properties.plan\",\"op\":\"contains\",\"value\":\"e\"}", e -> plan.apply(e).contains("e"));
        cases.put("{\"property\":\"properties.plan\",\"op\":\"not_contains\",\"value\":\"e\"}", e -> !plan.apply(e).contains("e"));
        cases.put("{\"property\":\"properties.plan\",\"op\":\"regex\",\"value\":\"^(pro|team)$\"}", e -> plan.apply(e).matches("pro|team"));
        cases.put("{\"property\":\"properties.price\",\"op\":\"gt\",\"value\":50}", e -> price.apply(e) != null && price.apply(e) > 50);
        cases.put("{\"property\":\"properties.price\",\"op\":\"lt\",\"value\":10.5}", e -> price.apply(e) != null && price.apply(e) < 10.5);
        cases.put("{\"property\":\"properties.price\",\"op\":\"between\",\"value\":[10,20]}",
                e -> price.apply(e) != null && price.apply(e) >= 10 && price.apply(e) <= 20);
        cases.put("{\"property\":\"properties.price\",\"op\":\"eq\",\"value\":42}", e -> price.apply(e) != null && price.apply(e) == 42);
        cases.put("{\"property\":\"properties.price\",\"op\":\"neq\",\"value\":42}", e -> price.apply(e) == null || price.apply(e) != 42);
        cases.put("{\"property\":\"properties.price\",\"op\":\"is_set\"}", e -> e.properties().containsKey("price"));
        cases.put("{\"property\":\"properties.price\",\"op\":\"is_not_set\"}", e -> !e.properties().containsKey("price"));
        cases.put("{\"property\":\"country\",\"op\":\"in\",\"value\":[\"DE\",\"FR\"]}", e -> Set.of("DE", "FR").contains(e.country()));
        cases.put("{\"property\":\"country\",\"op\":\"not_in\",\"value\":[\"DE\",\"FR\"]}", e -> !Set.of("DE", "FR").contains(e.country()));
        for (Map.Entry<String, Predicate<TestEvent>> c : cases.entrySet()) {
            TrendsResult r = run("{\"analysis\":\"trends\",\"interval\":\"week\",\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-31\"},"
                    + "\"filters\":[" + c.getKey() + "],\"series\":[{\"math\":\"total\"}]}");
            Map<String, Double> expected = new HashMap<>();
            groups(local("2026-03-01T00:00", zone), local("2026-04-01T00:00", zone), zone, "week", c.getValue())
                    .forEach((b, evs) -> expected.put(b, (double) evs.size()));
            assertFalse(expected.isEmpty(), c.getKey());
            assertValues(r.buckets(), expected, r.series().get(0), 0.0);
        }
    }

    @Test
    void shouldBreakDownIntoTopValuesAndOther() throws Exception {
        assertBreakdown("unique_persons", "UTC", "week", 2);
    }

    /** A broken-down total runs as one scan (ranked in arrays); the same numbers, also east of UTC and by day. */
    @Test
    void shouldBreakDownATotalInOneScanLikeTheReference() throws Exception {
        assertBreakdown("total", "UTC", "week", 2);
        assertBreakdown("total", "Asia/Kolkata", "day", 3);
        assertBreakdown("total", "America/Los_Angeles", "day", 1);
    }

    private void assertBreakdown(String math, String zoneId, String interval, int limit) throws Exception {
        assertBreakdown(math, zoneId, interval, limit, "properties.plan", e -> Generated.text(e, "plan"));
    }

    /** A breakdown of the signup series by {@code property}, whose value per event the reference reads with {@code value}. */
    private void assertBreakdown(String math, String zoneId, String interval, int limit, String property, Function<TestEvent, String> value)
            throws Exception {
        ZoneId zone = ZoneId.of(zoneId);
        boolean numeric = !Set.of("total", "unique_persons", "per_person_avg").contains(math);
        TrendsResult r = run("{\"analysis\":\"trends\",\"interval\":\"" + interval + "\",\"timezone\":\"" + zoneId
                + "\",\"date_range\":{\"from\":\"2026-03-02\",\"to\":\"2026-03-29\"},"
                + "\"breakdown\":{\"property\":\"" + property + "\",\"limit\":" + limit + "},\"series\":[{\"event\":\"signup\",\"math\":\"" + math
                + "\"" + (numeric ? ",\"property\":\"properties.price\"" : "") + "}]}");
        long from = local("2026-03-02T00:00", zone);
        long to = local("2026-03-30T00:00", zone);
        Predicate<TestEvent> signup = e -> e.name().equals("signup");
        Map<String, Long> counts = new HashMap<>();
        groups(from, to, zone, interval, signup).values().forEach(l -> l.forEach(e -> counts.merge(value.apply(e), 1L, Long::sum)));
        List<String> top = counts.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Long> e) -> -e.getValue()).thenComparing(Map.Entry::getKey, BYTE_ORDER))
                .limit(limit).map(Map.Entry::getKey).toList();
        Double empty = Set.of("total", "unique_persons", "sum").contains(math) ? 0.0 : null;
        Set<String> lineValues = new HashSet<>();
        for (TrendsResult.Line line : r.series()) {
            lineValues.add(line.breakdownValue());
            String v = line.breakdownValue();
            Map<String, Double> expected = new HashMap<>();
            groups(from, to, zone, interval, signup.and(e -> v.equals("$other") ? !top.contains(value.apply(e))
                    : value.apply(e).equals(v))).forEach((b, evs) -> expected.put(b, aggregate(math, evs)));
            assertValues(r.buckets(), expected, line, empty);
        }
        Set<String> want = new HashSet<>(top);
        if (counts.size() > limit) {
            want.add("$other");
            assertEquals("$other", r.series().get(r.series().size() - 1).breakdownValue());
        }
        assertEquals(want, lineValues, math + " " + zoneId + " " + interval + " " + property);
    }

    /**
     * By a person property: every event of a person carries the person's current value ('' without it), anonymous
     * history included; the same top values and $other as an event property, for every kind of math.
     */
    @Test
    void shouldBreakDownByAPersonsCurrentPropertyLikeTheReference() throws Exception {
        assertBreakdown("total", "UTC", "week", 4, "person.tier", TrendsIT::tierOf);
        assertBreakdown("total", "Asia/Kolkata", "day", 3, "person.tier", TrendsIT::tierOf);
        assertBreakdown("unique_persons", "UTC", "week", 4, "person.tier", TrendsIT::tierOf);
        assertBreakdown("per_person_avg", "America/Los_Angeles", "week", 5, "person.tier", TrendsIT::tierOf);
        assertBreakdown("avg", "UTC", "week", 4, "person.tier", TrendsIT::tierOf);
        assertBreakdown("p90", "UTC", "month", 2, "person.tier", TrendsIT::tierOf);
        // A limit above the number of values: every value (the changed one, the one set as anonymous, '') is its own line.
        assertBreakdown("total", "UTC", "month", 20, "person.tier", TrendsIT::tierOf);
        assertBreakdown("unique_persons", "Europe/Berlin", "week", 20, "person.tier", TrendsIT::tierOf);
        // The data hits the cases: a changed value, a value set on a linked anonymous id, anonymous events of a
        // person with a value, persons without one, and more values than the limit.
        Set<String> tiers = new HashSet<>();
        data.events.forEach(e -> tiers.add(tierOf(e)));
        assertTrue(tiers.contains("changed"), tiers.toString());
        assertTrue(tiers.stream().anyMatch(t -> t.startsWith("set-as-anon-")), tiers.toString());
        assertTrue(tiers.contains(""), tiers.toString());
        assertTrue(tiers.size() > 5, tiers.toString());
        assertTrue(data.events.stream().anyMatch(e -> e.person().startsWith("anon-") && tierOf(e).startsWith("t")));
        TrendsResult r = run("{\"analysis\":\"trends\",\"date_range\":{\"from\":\"2026-03-02\",\"to\":\"2026-03-29\"},"
                + "\"breakdown\":{\"property\":\"person.tier\"},\"series\":[{\"event\":\"signup\"}]}");
        assertTrue(r.queries().get(0).sql().contains("AS person_rows ANY LEFT JOIN (SELECT resolved_person_id AS person"), r.queries().get(0).sql());
    }

    /**
     * Lines with equal sums are ordered by value in UTF-8 byte order, the order in which ClickHouse ranks the top
     * values: U+FF01 '！' (EF BC 81) before U+1F600 '😀' (F0 9F 98 80), although Java's UTF-16 {@code compareTo} puts
     * the surrogate pair first. So the values kept with limit L are the first L lines of the answer without a limit,
     * for the one-scan total and for the IN (top values) maths alike.
     */
    @Test
    void shouldOrderEqualSumLinesInTheByteOrderThatRanksTheTopValues() throws Exception {
        String project = ORDER_PROJECT;
        assertTrue(BYTE_ORDER.compare("！", "😀") < 0 && "！".compareTo("😀") > 0, "the two orders disagree on these values");
        for (String math : List.of("total", "unique_persons")) {
            List<String> all = breakdownLines(project, math, 10);
            assertEquals(List.of("！", "😀", "b"), all, math);
            for (int limit = 1; limit <= 2; limit++) {
                List<String> want = new ArrayList<>(all.subList(0, limit));
                want.add("$other");
                assertEquals(want, breakdownLines(project, math, limit), math + " limit " + limit);
            }
        }
    }

    private static List<String> breakdownLines(String project, String math, int limit) throws Exception {
        TrendsResult r = run(project, "{\"analysis\":\"trends\",\"interval\":\"day\",\"date_range\":{\"from\":\"2026-03-02\",\"to\":\"2026-03-04\"},"
                + "\"breakdown\":{\"property\":\"properties.plan\",\"limit\":" + limit + "},\"series\":[{\"event\":\"signup\",\"math\":\"" + math + "\"}]}");
        return r.series().stream().map(TrendsResult.Line::breakdownValue).toList();
    }

    @Test
    void shouldCompareWithThePreviousPeriodAndEvaluateFormulas() throws Exception {
        ZoneId zone = ZoneId.of("UTC");
        TrendsResult r = run("{\"analysis\":\"trends\",\"interval\":\"day\",\"date_range\":{\"from\":\"2026-03-15\",\"to\":\"2026-03-21\"},"
                + "\"compare\":true,\"formula\":\"(A - B) / B\",\"series\":[{\"event\":\"view\"},{\"event\":\"purchase\"}]}");
        assertEquals(4, r.series().size());
        TrendsResult.Line prevView = r.series().stream().filter(l -> l.period().equals("previous") && l.series().equals("A")).findFirst().orElseThrow();
        assertEquals("2026-03-08", prevView.labels().get(0));
        Map<String, Double> expected = new HashMap<>();
        groups(local("2026-03-08T00:00", zone), local("2026-03-15T00:00", zone), zone, "day", e -> e.name().equals("view"))
                .forEach((b, evs) -> expected.put(b, (double) evs.size()));
        assertValues(prevView.labels(), expected, prevView, 0.0);
        TrendsResult.Line a = r.series().get(0);
        TrendsResult.Line b = r.series().get(1);
        TrendsResult.Line f = r.formula().get(0);
        for (int i = 0; i < a.values().size(); i++) {
            Double want = b.values().get(i) == 0 ? null : (a.values().get(i) - b.values().get(i)) / b.values().get(i);
            assertEquals(want, f.values().get(i));
        }
        assertEquals(2, r.formula().size());
    }

    @Test
    void shouldCountUniquePersonsThroughIdentityLinks() throws Exception {
        TrendsResult r = run("{\"analysis\":\"trends\",\"interval\":\"month\",\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-31\"},"
                + "\"series\":[{\"math\":\"unique_persons\"}]}");
        Set<String> persons = new HashSet<>();
        long to = local("2026-04-01T00:00", ZoneId.of("UTC"));
        data.events.stream().filter(e -> e.timeMs() < to).forEach(e -> persons.add(data.resolved(e)));
        assertEquals((double) persons.size(), r.series().get(0).values().get(0));
        assertTrue(data.links.size() > 5);
    }

    @Test
    void shouldRunEveryInjectionCorpusValueAsPlainDataOnClickHouse() throws Exception {
        for (String attack : io.beacon.analytics.query.QueryParserTest.corpus()) {
            com.fasterxml.jackson.databind.node.ObjectNode q = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
                    "{\"analysis\":\"trends\",\"interval\":\"month\",\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-31\"},\"series\":[{}]}");
            com.fasterxml.jackson.databind.node.ArrayNode f = q.putArray("filters");
            f.addObject().put("property", "properties.plan").put("op", "in").putArray("value").add(attack).add("pro");
            f.addObject().put("property", "person.email").put("op", "not_contains").put("value", attack);
            TrendsResult r = Trends.run(PROJECT, (InsightQuery.Trends) QueryParser.parse(q, ZoneId.of("UTC")), db.clickhouse()::query);
            long to = local("2026-04-01T00:00", ZoneId.of("UTC"));
            long want = data.events.stream().filter(e -> e.timeMs() < to && Generated.text(e, "plan").equals("pro")).count();
            assertEquals((double) want, r.series().get(0).values().get(0), attack);
        }
        assertEquals(data.events.size() + 50 + orderFixture().size(), db.clickhouse().queryLong("SELECT count() FROM events FINAL"), "nothing was written or dropped");
    }
}
