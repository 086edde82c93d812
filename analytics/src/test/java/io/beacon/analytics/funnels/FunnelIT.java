package io.beacon.analytics.funnels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.QueryParser;
import io.beacon.analytics.testing.AnalyticsDb;
import io.beacon.analytics.testing.TestEvent;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Funnels on a real ClickHouse against a plain-Java reference: random persons whose timestamps collide
 * (whole seconds), hand-built persons at the window edge (exactly W and W + 1 ms), repeated steps, a
 * conversion only in a later attempt, steps and exclusions in the same millisecond (whatever their event ids),
 * and shuffled arrival.
 */
@ExtendWith(BeaconStackExtension.class)
class FunnelIT {
    private static final String PROJECT = "pf";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_775_000_000_000L; // 2026-03-31T23:33:20Z
    private static final long HOUR = 3_600_000L;
    private static final String[] NAMES = {"a", "b", "c", "d", "x"};
    private static final String[] COUNTRIES = {"DE", "US", "IN"};
    private static AnalyticsDb db;
    private static final List<TestEvent> events = new ArrayList<>();

    @BeforeAll
    static void load(TestStack stack) {
        db = new AnalyticsDb(stack, "funnels");
        Random r = new Random(7);
        int id = 0;
        for (int p = 0; p < 300; p++) {
            int n = 1 + r.nextInt(9);
            long t = T0 + r.nextInt(48) * HOUR;
            for (int i = 0; i < n; i++) {
                t += r.nextInt(4) == 0 ? 0 : r.nextInt(40) * 60_000L + r.nextInt(3) * 1000L; // equal timestamps happen
                events.add(new TestEvent(String.format("f%05d", id++), "p" + p, NAMES[r.nextInt(NAMES.length)], t,
                        COUNTRIES[r.nextInt(COUNTRIES.length)], Map.of()));
            }
        }
        // Window edges: b exactly 1 h after a converts, 1 h + 1 ms does not.
        add("edge-in", "a", T0, "e1");
        add("edge-in", "b", T0 + HOUR, "e2");
        add("edge-out", "a", T0, "e3");
        add("edge-out", "b", T0 + HOUR + 1, "e4");
        // Converts only in the second attempt.
        add("later", "a", T0, "l1");
        add("later", "a", T0 + 5 * HOUR, "l2");
        add("later", "b", T0 + 5 * HOUR + 10, "l3");
        // Equal timestamps: a later step in the same millisecond converts, whichever event id sorts first.
        add("tie-no", "b", T0, "q1");
        add("tie-no", "a", T0, "q2");
        add("tie-yes", "a", T0, "q3");
        add("tie-yes", "b", T0, "q4");
        // Exclusions (x between a and b): discarded; discarded first attempt but a clean second one; x after b;
        // to-step never reached; x in the same millisecond as a and b (not strictly between them).
        add("ex-between", "a", T0, "x01");
        add("ex-between", "x", T0 + 1000, "x02");
        add("ex-between", "b", T0 + 2000, "x03");
        add("ex-second", "a", T0, "x11");
        add("ex-second", "x", T0 + 1000, "x12");
        add("ex-second", "a", T0 + 2000, "x13");
        add("ex-second", "b", T0 + 3000, "x14");
        add("ex-after", "a", T0, "x21");
        add("ex-after", "b", T0 + 1000, "x22");
        add("ex-after", "x", T0 + 2000, "x23");
        add("ex-unreached", "a", T0, "x31");
        add("ex-unreached", "x", T0 + 1000, "x32");
        add("ex-tie", "x", T0, "x40");
        add("ex-tie", "a", T0, "x41");
        add("ex-tie", "b", T0, "x42");
        // Repeated step: a a b.
        add("repeat", "a", T0, "r1");
        add("repeat", "a", T0 + 1000, "r2");
        add("repeat", "b", T0 + 2000, "r3");
        List<TestEvent> arrival = new ArrayList<>(events);
        Collections.shuffle(arrival, r);
        arrival.addAll(events.subList(0, 40)); // re-sent duplicates
        db.insert(PROJECT, arrival);
    }

    private static void add(String person, String name, long t, String id) {
        events.add(new TestEvent(id, person, name, t, "DE", Map.of()));
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static FunnelResult run(String json) throws Exception {
        return run(PROJECT, json);
    }

    private static FunnelResult run(String project, String json) throws Exception {
        InsightQuery q = QueryParser.parse(JSON.readTree(json), ZoneId.of("UTC"));
        return Funnels.run(project, (InsightQuery.Funnel) q, db.clickhouse()::query);
    }

    // ---- reference -------------------------------------------------------------------------------

    /** The best attempt of one person: level, step times (ms) and the start event. */
    record Attempt(int level, long[] times, TestEvent start) {
    }

    /** An exclusion: an event named {@code name} strictly between the times of the attempt's step {@code from} and step {@code to} events. */
    record Exclusion(String name, int from, int to) {
    }

    /**
     * The event order of docs/analysis-semantics.md: time, then (same millisecond) the first step the event matches,
     * then the breakdown value (country). Event ids play no part; events matching no step go first (they are never
     * a step, and strict funnels and exclusions compare times, not places in this order).
     */
    static Comparator<TestEvent> eventOrder(List<String> steps) {
        return Comparator.comparingLong(TestEvent::timeMs).thenComparingInt((TestEvent e) -> steps.indexOf(e.name()))
                .thenComparing(TestEvent::country, BYTE_ORDER);
    }

    /** ClickHouse's String order: UTF-8 bytes, unsigned (= code point order). */
    static final Comparator<String> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
            b.getBytes(StandardCharsets.UTF_8));

    static Attempt best(List<TestEvent> all, List<String> steps, long window, String order) {
        return best(all, steps, window, order, null);
    }

    static Attempt best(List<TestEvent> all, List<String> steps, long window, String order, Exclusion ex) {
        List<TestEvent> evs = new ArrayList<>(all);
        evs.sort(eventOrder(steps));
        if (!order.equals("strict")) {
            evs.removeIf(e -> !steps.contains(e.name()) && (ex == null || !ex.name().equals(e.name())));
        }
        Attempt best = new Attempt(0, new long[0], null);
        for (int s = 0; s < evs.size(); s++) {
            TestEvent start = evs.get(s);
            long limit = start.timeMs() + window;
            int level;
            long[] times = new long[steps.size()];
            if (order.equals("unordered")) {
                if (!steps.contains(start.name())) {
                    continue;
                }
                level = 0;
                for (String step : steps) {
                    // At the anchor's millisecond or later, within its window.
                    boolean found = false;
                    for (TestEvent e : evs) {
                        found |= e.name().equals(step) && e.timeMs() >= start.timeMs() && e.timeMs() <= limit;
                    }
                    level += found ? 1 : 0;
                }
            } else {
                if (!start.name().equals(steps.get(0))) {
                    continue;
                }
                level = 1;
                times[0] = start.timeMs();
                int pos = s;
                for (int k = 1; k < steps.size(); k++) {
                    int next = -1;
                    for (int j = pos + 1; j < evs.size(); j++) {
                        if (evs.get(j).name().equals(steps.get(k))) {
                            next = j;
                            break;
                        }
                    }
                    if (next < 0 || evs.get(next).timeMs() > limit) {
                        break;
                    }
                    if (order.equals("strict")) {
                        long from = evs.get(pos).timeMs();
                        long to = evs.get(next).timeMs();
                        if (evs.stream().anyMatch(e -> e.timeMs() > from && e.timeMs() < to)) {
                            break; // another event of the person strictly between the two steps
                        }
                    }
                    level++;
                    times[k] = evs.get(next).timeMs();
                    pos = next;
                }
                if (ex != null && level >= ex.to()) {
                    long from = times[ex.from() - 1];
                    long to = times[ex.to() - 1];
                    if (evs.stream().anyMatch(e -> e.name().equals(ex.name()) && e.timeMs() > from && e.timeMs() < to)) {
                        level = 0; // the attempt is discarded
                    }
                }
            }
            if (level > best.level()) {
                best = new Attempt(level, times, start);
            }
        }
        return best;
    }

    static Map<String, Attempt> reference(List<String> steps, long window, String order) {
        return reference(steps, window, order, null);
    }

    static Map<String, Attempt> reference(List<String> steps, long window, String order, Exclusion ex) {
        Map<String, List<TestEvent>> byPerson = new TreeMap<>();
        events.forEach(e -> byPerson.computeIfAbsent(e.person(), k -> new ArrayList<>()).add(e));
        Map<String, Attempt> out = new TreeMap<>();
        byPerson.forEach((p, evs) -> {
            Attempt a = best(evs, steps, window, order, ex);
            if (a.level() > 0) {
                out.put(p, a);
            }
        });
        return out;
    }

    private static String query(List<String> steps, String window, String order, String extra) {
        StringBuilder s = new StringBuilder();
        for (String step : steps) {
            s.append(s.isEmpty() ? "" : ",").append("{\"event\":\"").append(step).append("\"}");
        }
        return "{\"analysis\":\"funnels\",\"date_range\":{\"from\":\"2026-03-31\",\"to\":\"2026-04-10\"},\"steps\":[" + s
                + "],\"window\":" + window + ",\"order\":\"" + order + "\"" + extra + "}";
    }

    private static void assertSteps(List<FunnelResult.Step> got, Map<String, Attempt> ref, int n, boolean times) {
        for (int k = 1; k <= n; k++) {
            int kk = k;
            List<Long> durations = new ArrayList<>();
            long count = 0;
            for (Attempt a : ref.values()) {
                if (a.level() >= kk) {
                    count++;
                    if (kk > 1) {
                        durations.add(a.times()[kk - 1] - a.times()[kk - 2]);
                    }
                }
            }
            FunnelResult.Step step = got.get(k - 1);
            assertEquals(count, step.count(), "step " + k);
            if (times && k > 1 && count > 0) {
                Collections.sort(durations);
                double avg = durations.stream().mapToLong(Long::longValue).average().orElseThrow();
                assertEquals(avg, step.avgMillisFromPrevious(), 1e-6, "avg step " + k);
                assertEquals((double) durations.get((int) (0.5 * durations.size())), step.medianMillisFromPrevious(), 1e-9, "median step " + k);
            }
        }
    }

    // ---- tests -----------------------------------------------------------------------------------

    @Test
    void shouldMatchTheReferenceForOrderedStrictAndUnorderedFunnels() throws Exception {
        List<List<String>> funnels = List.of(List.of("a", "b"), List.of("a", "b", "c", "d"), List.of("a", "a", "b"), List.of("c", "x", "a"));
        for (String order : List.of("ordered", "strict", "unordered")) {
            for (List<String> steps : funnels) {
                FunnelResult r = run(query(steps, "{\"value\":1,\"unit\":\"hour\"}", order, ""));
                assertEquals(1, r.groups().size());
                assertSteps(r.groups().get(0).steps(), reference(steps, HOUR, order), steps.size(), !order.equals("unordered"));
                // Steps are found by sorted merges, not by a search per attempt (linear in events per person).
                assertTrue(r.queries().get(0).sql().contains("arraySort(arrayConcat("));
            }
        }
    }

    @Test
    void shouldTreatTheWindowEndAsInclusiveAndConvertEqualTimestampsWhateverTheirEventIds() throws Exception {
        FunnelResult r = run(query(List.of("a", "b"), "{\"value\":60,\"unit\":\"minute\"}", "ordered",
                ",\"persons\":{\"step\":2,\"status\":\"converted\",\"limit\":1000}"));
        List<String> persons = r.persons();
        assertTrue(persons.contains("edge-in"));
        assertTrue(!persons.contains("edge-out"));
        assertTrue(persons.contains("later"));
        assertTrue(persons.contains("tie-yes"));
        assertTrue(persons.contains("tie-no"));
        assertTrue(persons.contains("repeat"));
        Map<String, Attempt> ref = reference(List.of("a", "b"), HOUR, "ordered");
        List<String> want = ref.entrySet().stream().filter(e -> e.getValue().level() >= 2).map(Map.Entry::getKey).sorted().toList();
        assertEquals(want, persons);
    }

    @Test
    void shouldListPersonsWhoDroppedAtAStep() throws Exception {
        FunnelResult r = run(query(List.of("a", "b", "c"), "{\"value\":2,\"unit\":\"hour\"}", "ordered",
                ",\"persons\":{\"step\":3,\"status\":\"dropped\",\"limit\":1000}"));
        Map<String, Attempt> ref = reference(List.of("a", "b", "c"), 2 * HOUR, "ordered");
        List<String> want = ref.entrySet().stream().filter(e -> e.getValue().level() == 2).map(Map.Entry::getKey).sorted().toList();
        assertEquals(want, r.persons());
    }

    @Test
    void shouldBreakDownByTheFirstStepsValue() throws Exception {
        FunnelResult r = run(query(List.of("a", "b", "c"), "{\"value\":3,\"unit\":\"hour\"}", "ordered",
                ",\"breakdown\":{\"property\":\"country\",\"limit\":2}"));
        Map<String, Attempt> ref = reference(List.of("a", "b", "c"), 3 * HOUR, "ordered");
        Map<String, Long> starts = new HashMap<>();
        ref.values().forEach(a -> starts.merge(a.start().country(), 1L, Long::sum));
        List<String> top = starts.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Long> e) -> -e.getValue()).thenComparing(Map.Entry::getKey, BYTE_ORDER))
                .limit(2).map(Map.Entry::getKey).toList();
        Map<String, Map<String, Attempt>> groups = new LinkedHashMap<>();
        ref.forEach((p, a) -> groups.computeIfAbsent(top.contains(a.start().country()) ? a.start().country() : "$other",
                k -> new TreeMap<>()).put(p, a));
        assertEquals(new TreeSet<>(groups.keySet()), new TreeSet<>(r.groups().stream().map(FunnelResult.Group::breakdownValue).toList()));
        for (FunnelResult.Group g : r.groups()) {
            assertSteps(g.steps(), groups.get(g.breakdownValue()), 3, true);
        }
    }

    /**
     * By a person property, in its own project (with identity links, which the main fixture has none of): each
     * person's current value ('' without it; a changed value and a value set on a linked anonymous id resolve
     * to the latest version), the same for every attempt, so ordered and unordered funnels group persons alike.
     */
    @Test
    void shouldBreakDownByThePersonsCurrentProperty() throws Exception {
        String project = "pf-person";
        Random r = new Random(11);
        List<TestEvent> evs = new ArrayList<>();
        Map<String, String> links = new HashMap<>();
        for (int p = 0; p < 120; p++) {
            int n = 1 + r.nextInt(8);
            long t = T0 + r.nextInt(24) * HOUR;
            for (int i = 0; i < n; i++) {
                t += r.nextInt(4) == 0 ? 0 : r.nextInt(50) * 60_000L;
                // Persons q3, q13, …: their first events were sent anonymously, then linked.
                String who = p % 10 == 3 && i < 2 ? "anon-q" + p : "q" + p;
                evs.add(new TestEvent(String.format("g%05d", evs.size()), who, NAMES[r.nextInt(3)], t, "DE", Map.of()));
            }
            if (p % 10 == 3) {
                links.put("anon-q" + p, "q" + p);
            }
        }
        // Sure entrants: q1 (value changed), q3 (step 1 as its anonymous id, value set on the anonymous id).
        evs.add(new TestEvent("h1", "q1", "a", T0, "DE", Map.of()));
        evs.add(new TestEvent("h2", "q1", "b", T0 + 60_000, "DE", Map.of()));
        evs.add(new TestEvent("h3", "anon-q3", "a", T0, "DE", Map.of()));
        evs.add(new TestEvent("h4", "q3", "b", T0 + 60_000, "DE", Map.of()));
        db.insert(project, evs);
        links.forEach((anon, user) -> db.link(project, anon, user));
        Map<String, Map.Entry<Long, String>> current = new HashMap<>();
        java.util.function.BiConsumer<String, Map.Entry<Long, String>> set = (person, v) -> {
            db.personProperty(project, person, "tier", v.getValue(), v.getKey());
            current.merge(links.getOrDefault(person, person), v, (a, b) -> a.getKey() >= b.getKey() ? a : b);
        };
        for (int p = 0; p < 120; p++) {
            if (p % 5 != 0) {
                set.accept("q" + p, Map.entry(1L, "v" + (p % 6)));
            }
        }
        set.accept("q1", Map.entry(2L, "changed"));
        set.accept("anon-q3", Map.entry(3L, "set as anonymous"));
        db.personProperty("pf-other", "q2", "tier", "another project", 9); // never read for this project

        Map<String, List<TestEvent>> byPerson = new TreeMap<>();
        evs.forEach(e -> byPerson.computeIfAbsent(links.getOrDefault(e.person(), e.person()), k -> new ArrayList<>()).add(e));
        List<String> steps = List.of("a", "b", "c");
        for (String order : List.of("ordered", "unordered")) {
            Map<String, Attempt> ref = new TreeMap<>();
            byPerson.forEach((p, list) -> {
                Attempt a = best(list, steps, 2 * HOUR, order);
                if (a.level() > 0) {
                    ref.put(p, a);
                }
            });
            java.util.function.Function<String, String> tier = p -> current.containsKey(p) ? current.get(p).getValue() : "";
            Map<String, Long> entered = new HashMap<>();
            ref.keySet().forEach(p -> entered.merge(tier.apply(p), 1L, Long::sum));
            List<String> top = entered.entrySet().stream()
                    .sorted(Comparator.comparing((Map.Entry<String, Long> e) -> -e.getValue()).thenComparing(Map.Entry::getKey, BYTE_ORDER))
                    .limit(3).map(Map.Entry::getKey).toList();
            Map<String, Map<String, Attempt>> groups = new LinkedHashMap<>();
            ref.forEach((p, a) -> groups.computeIfAbsent(top.contains(tier.apply(p)) ? tier.apply(p) : "$other", k -> new TreeMap<>()).put(p, a));
            FunnelResult got = run(project, query(steps, "{\"value\":2,\"unit\":\"hour\"}", order,
                    ",\"breakdown\":{\"property\":\"person.tier\",\"limit\":3}"));
            assertEquals(new TreeSet<>(groups.keySet()), new TreeSet<>(got.groups().stream().map(FunnelResult.Group::breakdownValue).toList()), order);
            assertTrue(groups.containsKey("$other"), order);
            for (FunnelResult.Group g : got.groups()) {
                assertSteps(g.steps(), groups.get(g.breakdownValue()), 3, !order.equals("unordered"));
            }
            // The cases are in the data: a changed value, a value set on the anonymous id, persons without one.
            assertTrue(ref.containsKey("q1") && ref.containsKey("q3"), ref.keySet().toString());
            assertTrue(ref.keySet().stream().anyMatch(p -> tier.apply(p).isEmpty()), ref.keySet().toString());
        }
        assertEquals("changed", current.get("q1").getValue());
        assertEquals("set as anonymous", current.get("q3").getValue());
    }

    @Test
    void shouldDiscardAttemptsWithAnExclusionBetweenSteps() throws Exception {
        FunnelResult r = run(query(List.of("a", "b"), "{\"value\":1,\"unit\":\"hour\"}", "ordered",
                ",\"exclusions\":[{\"event\":\"x\",\"from_step\":1,\"to_step\":2}]"));
        FunnelResult plain = run(query(List.of("a", "b"), "{\"value\":1,\"unit\":\"hour\"}", "ordered", ""));
        assertTrue(r.groups().get(0).steps().get(0).count() <= plain.groups().get(0).steps().get(0).count());
        assertTrue(r.queries().get(0).sql().contains("xb0"));
    }

    @Test
    void shouldMatchTheReferenceWithExclusionsInOrderedAndStrictFunnels() throws Exception {
        for (String order : List.of("ordered", "strict")) {
            for (Exclusion ex : List.of(new Exclusion("x", 1, 2), new Exclusion("x", 2, 3), new Exclusion("x", 1, 3), new Exclusion("c", 1, 2))) {
                List<String> steps = List.of("a", "b", "d");
                FunnelResult r = run(query(steps, "{\"value\":2,\"unit\":\"hour\"}", order, ",\"exclusions\":[{\"event\":\"" + ex.name()
                        + "\",\"from_step\":" + ex.from() + ",\"to_step\":" + ex.to() + "}],\"persons\":{\"step\":1,\"status\":\"converted\",\"limit\":1000}"));
                Map<String, Attempt> ref = reference(steps, 2 * HOUR, order, ex);
                String what = order + " " + ex;
                assertSteps(r.groups().get(0).steps(), ref, 3, true);
                assertEquals(new ArrayList<>(ref.keySet()), r.persons(), what);
            }
        }
        FunnelResult r = run(query(List.of("a", "b"), "{\"value\":1,\"unit\":\"hour\"}", "ordered",
                ",\"exclusions\":[{\"event\":\"x\"}],\"persons\":{\"step\":2,\"status\":\"converted\",\"limit\":1000}"));
        assertTrue(!r.persons().contains("ex-between"));
        assertTrue(r.persons().contains("ex-second"));
        assertTrue(r.persons().contains("ex-after"));
        assertTrue(r.persons().contains("ex-tie"));
    }

    /**
     * Same-millisecond cases, each done by two persons: one whose event ids sort in step order ({@code -up}) and
     * one whose ids sort against it ({@code -down}). Every case is written in step order, at T + the offset (ms).
     */
    private static final Map<String, List<Map.Entry<String, Long>>> TIE_CASES = new LinkedHashMap<>();

    static {
        TIE_CASES.put("ab", List.of(Map.entry("a", 0L), Map.entry("b", 0L)));
        TIE_CASES.put("abc", List.of(Map.entry("a", 0L), Map.entry("b", 0L), Map.entry("c", 0L)));
        TIE_CASES.put("other-with-a", List.of(Map.entry("a", 0L), Map.entry("e", 0L), Map.entry("b", 1L)));
        TIE_CASES.put("other-with-b", List.of(Map.entry("a", 0L), Map.entry("b", 1L), Map.entry("e", 1L)));
        TIE_CASES.put("other-between", List.of(Map.entry("a", 0L), Map.entry("e", 1L), Map.entry("b", 2L)));
        TIE_CASES.put("x-with-a", List.of(Map.entry("a", 0L), Map.entry("x", 0L), Map.entry("b", 1000L)));
        TIE_CASES.put("x-with-b", List.of(Map.entry("a", 0L), Map.entry("x", 1000L), Map.entry("b", 1000L)));
        TIE_CASES.put("aa-x-b", List.of(Map.entry("a", 0L), Map.entry("a", 0L), Map.entry("x", 0L), Map.entry("b", 0L)));
        TIE_CASES.put("x-between", List.of(Map.entry("a", 0L), Map.entry("x", 1L), Map.entry("b", 2L)));
        TIE_CASES.put("aa", List.of(Map.entry("a", 0L), Map.entry("a", 0L)));
        TIE_CASES.put("a-once", List.of(Map.entry("a", 0L)));
    }

    /**
     * A later step in the same millisecond converts, in ordered, strict and unordered funnels, independently of the
     * event ids; strict funnels are broken only by an event strictly between two steps in time, exclusions only by
     * an event strictly between the from- and to-step times (not by one in the same millisecond as either); one
     * event still satisfies one step (a → a needs two). The reference agrees on every case.
     */
    @Test
    void shouldConvertSameMillisecondStepsWhicheverEventIdSortsFirst() throws Exception {
        String project = "pf-ties";
        List<TestEvent> evs = new ArrayList<>();
        TIE_CASES.forEach((name, steps) -> {
            for (String direction : List.of("up", "down")) {
                for (int i = 0; i < steps.size(); i++) {
                    int rank = direction.equals("up") ? i : steps.size() - 1 - i;
                    evs.add(new TestEvent(name + "-" + direction + "-" + rank, name + "-" + direction, steps.get(i).getKey(),
                            T0 + steps.get(i).getValue(), "DE", Map.of()));
                }
            }
        });
        db.insert(project, evs);
        List<String> all = List.of("ab", "abc", "other-with-a", "other-with-b", "other-between", "x-with-a", "x-with-b", "aa-x-b", "x-between");
        List<String> strict = List.of("ab", "abc", "other-with-a", "other-with-b", "x-with-a", "x-with-b", "aa-x-b");
        String noX = ",\"exclusions\":[{\"event\":\"x\"}]";
        assertTies(project, evs, List.of("a", "b"), "ordered", "", all);
        assertTies(project, evs, List.of("a", "b"), "strict", "", strict);
        assertTies(project, evs, List.of("a", "b"), "unordered", "", all);
        assertTies(project, evs, List.of("b", "a"), "unordered", "", all);
        assertTies(project, evs, List.of("a", "b", "c"), "ordered", "", List.of("abc"));
        assertTies(project, evs, List.of("a", "b", "c"), "strict", "", List.of("abc"));
        assertTies(project, evs, List.of("a", "a"), "ordered", "", List.of("aa-x-b", "aa"));
        assertTies(project, evs, List.of("a", "b"), "ordered", noX, all.stream().filter(c -> !c.equals("x-between")).toList());
        assertTies(project, evs, List.of("a", "b"), "strict", noX, strict);
    }

    /** The persons who did every step are exactly {@code cases} × {up, down}, as in the reference. */
    private static void assertTies(String project, List<TestEvent> evs, List<String> steps, String order, String exclusions, List<String> cases)
            throws Exception {
        FunnelResult r = run(project, query(steps, "{\"value\":1,\"unit\":\"hour\"}", order, exclusions
                + ",\"persons\":{\"step\":" + steps.size() + ",\"status\":\"converted\",\"limit\":1000}"));
        List<String> want = new ArrayList<>();
        cases.forEach(c -> want.addAll(List.of(c + "-down", c + "-up")));
        Collections.sort(want);
        String what = order + " " + steps + exclusions;
        assertEquals(want, r.persons(), what);
        Map<String, List<TestEvent>> byPerson = new TreeMap<>();
        evs.forEach(e -> byPerson.computeIfAbsent(e.person(), k -> new ArrayList<>()).add(e));
        Exclusion ex = exclusions.isEmpty() ? null : new Exclusion("x", 1, steps.size());
        List<String> ref = byPerson.entrySet().stream().filter(e -> best(e.getValue(), steps, HOUR, order, ex).level() == steps.size())
                .map(Map.Entry::getKey).toList();
        assertEquals(want, ref, "reference " + what);
    }

    @Test
    void shouldAnswerZerosForAFunnelNobodyEntered() throws Exception {
        FunnelResult r = run(query(List.of("nobody", "b"), "{\"value\":1,\"unit\":\"hour\"}", "ordered", ""));
        assertEquals(0, r.groups().get(0).steps().get(0).count());
        assertNull(r.groups().get(0).steps().get(1).avgMillisFromPrevious());
    }
}
