package io.beacon.analytics.paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.QueryParser;
import io.beacon.analytics.testing.AnalyticsDb;
import io.beacon.analytics.testing.WebEvent;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Paths on a real ClickHouse against a plain-Java reference over generated sessions: equal timestamps,
 * shuffled arrival with re-sent copies, repeated pages, events exactly at the range edges in zones east and
 * west of UTC and across the US DST change, anonymous ids linked to users, events without a session.
 */
@ExtendWith(BeaconStackExtension.class)
class PathsIT {
    /** ClickHouse's String order: UTF-8 bytes, unsigned (= code point order), the documented tie order. */
    private static final Comparator<String> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private static final String PROJECT = "pp";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2026-03-05T00:00Z: the range of the generated data spans the US DST change (8 March). */
    private static final long START = 1_772_668_800_000L;
    private static final String[] PAGES = {"/home", "/product/12", "/product/345?ref=mail", "/product/7/reviews", "/cart", "/checkout"};
    private static final String[] ACTIONS = {"add_to_cart", "signup", "search"};
    private static AnalyticsDb db;
    private static final List<WebEvent> events = new ArrayList<>();

    @BeforeAll
    static void load(TestStack stack) {
        db = new AnalyticsDb(stack, "paths");
        Random r = new Random(7);
        int n = 0;
        for (int p = 0; p < 40; p++) {
            String person = "u" + p;
            for (int s = 0; s < 1 + r.nextInt(4); s++) {
                String distinct = s == 0 && p % 5 == 0 ? "anon-" + person : person; // anonymous first session, linked below
                String session = "s-" + p + "-" + s;
                long t = START + (long) (r.nextDouble() * 8 * 86_400_000L);
                WebEvent prev = null;
                for (int e = 0; e < 2 + r.nextInt(11); e++) {
                    int gap = r.nextInt(7) == 0 ? 0 : r.nextInt(300_000); // equal timestamps
                    t += gap;
                    WebEvent ev;
                    if (prev != null && r.nextInt(5) == 0) {
                        ev = new WebEvent(String.format("p%05d", n++), distinct, person, session, prev.name(), t, prev.pagePath(), Map.of());
                    } else if (r.nextInt(3) > 0) {
                        ev = new WebEvent(String.format("p%05d", n++), distinct, person, session, "$pageview", t, PAGES[r.nextInt(PAGES.length)],
                                Map.of("plan", r.nextBoolean() ? "pro" : "free"));
                    } else {
                        ev = new WebEvent(String.format("p%05d", n++), distinct, person, session, ACTIONS[r.nextInt(ACTIONS.length)], t, null,
                                Map.of());
                    }
                    events.add(ev);
                    prev = ev;
                }
            }
        }
        // Range edges: exactly at local midnight of the first day (in) and of the day after the last (out), east and west.
        for (String[] z : new String[][]{{"Asia/Kolkata", "k"}, {"America/Los_Angeles", "la"}}) {
            long from = LocalDate.parse("2026-03-06").atStartOfDay(ZoneId.of(z[0])).toInstant().toEpochMilli();
            long to = LocalDate.parse("2026-03-09").atStartOfDay(ZoneId.of(z[0])).toInstant().toEpochMilli();
            events.add(new WebEvent("edge-" + z[1] + "-1", "e" + z[1], "e" + z[1], "se-" + z[1], "$pageview", from - 1, "/home", Map.of()));
            events.add(new WebEvent("edge-" + z[1] + "-2", "e" + z[1], "e" + z[1], "se-" + z[1], "$pageview", from, "/product/1", Map.of()));
            events.add(new WebEvent("edge-" + z[1] + "-3", "e" + z[1], "e" + z[1], "se-" + z[1], "signup", from, null, Map.of()));
            events.add(new WebEvent("edge-" + z[1] + "-4", "e" + z[1], "e" + z[1], "se-" + z[1], "$pageview", to - 1000, "/cart", Map.of()));
            events.add(new WebEvent("edge-" + z[1] + "-5", "e" + z[1], "e" + z[1], "se-" + z[1], "$pageview", to, "/checkout", Map.of()));
        }
        // Events without a session are never in a path.
        events.add(new WebEvent("nosession", "u1", "u1", null, "$pageview", START + 3_600_000L, "/home", Map.of()));
        List<WebEvent> arrival = new ArrayList<>(events);
        Collections.shuffle(arrival, r);
        for (int i = 0; i < events.size() / 10; i++) {
            arrival.add(events.get(r.nextInt(events.size()))); // re-sent copies
        }
        WebEvent.insert(db, PROJECT, arrival.subList(0, arrival.size() / 2));
        WebEvent.insert(db, PROJECT, arrival.subList(arrival.size() / 2, arrival.size()));
        for (int p = 0; p < 40; p += 5) {
            db.link(PROJECT, "anon-u" + p, "u" + p);
        }
        WebEvent.insert(db, "other", events.subList(0, 100));
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static PathsResult run(String json) throws Exception {
        return Paths.run(PROJECT, (InsightQuery.Paths) QueryParser.parse(JSON.readTree(json), ZoneId.of("UTC")), db.clickhouse()::query);
    }

    // ---- reference -------------------------------------------------------------------------------

    record Spec(ZoneId zone, String from, String to, String types, Predicate<WebEvent> anchor, boolean end, int depth, boolean collapse,
                Function<String, String> clean, Predicate<WebEvent> filter) {
    }

    /** (step, source, target, last) → sessions, computed straight from the definition in docs/analysis-semantics.md. */
    static Map<List<Object>, Long> reference(List<WebEvent> all, Spec s) {
        long fromS = LocalDate.parse(s.from()).atStartOfDay(s.zone()).toEpochSecond();
        long toS = LocalDate.parse(s.to()).plusDays(1).atStartOfDay(s.zone()).toEpochSecond();
        Map<String, List<WebEvent>> sessions = new TreeMap<>();
        for (WebEvent e : all) {
            long sec = Math.floorDiv(e.timeMs(), 1000);
            boolean type = switch (s.types()) {
                case "pageviews" -> e.name().equals("$pageview");
                default -> true;
            };
            if (e.sessionId() != null && sec >= fromS && sec < toS && type && s.filter().test(e)) {
                sessions.computeIfAbsent(e.sessionId(), k -> new ArrayList<>()).add(e);
            }
        }
        Map<List<Object>, Long> rows = new HashMap<>();
        for (List<WebEvent> list : sessions.values()) {
            list.sort(Comparator.comparingLong(WebEvent::timeMs).thenComparing(WebEvent::id));
            int anchor = -1;
            for (int i = 0; i < list.size(); i++) {
                if (s.anchor().test(list.get(i))) {
                    anchor = i;
                    break;
                }
            }
            if (anchor < 0) {
                continue;
            }
            List<WebEvent> part = s.end() ? list.subList(0, anchor + 1) : list.subList(anchor, list.size());
            List<String> labels = new ArrayList<>();
            for (WebEvent e : part) {
                String label = e.name().equals("$pageview") ? s.clean().apply(e.pagePath()) : e.name();
                if (label.isEmpty()) {
                    label = e.name();
                }
                if (!s.collapse() || labels.isEmpty() || !labels.get(labels.size() - 1).equals(label)) {
                    labels.add(label);
                }
            }
            List<String> path = s.end() ? labels.subList(Math.max(0, labels.size() - s.depth() - 1), labels.size())
                    : labels.subList(0, Math.min(labels.size(), s.depth() + 1));
            for (int i = 0; i < path.size(); i++) {
                boolean last = i == path.size() - 1;
                int step = s.end() ? i - (path.size() - 1) : i;
                rows.merge(List.of(step, path.get(i), last ? "" : path.get(i + 1), last), 1L, Long::sum);
            }
        }
        return rows;
    }

    /** Compares nodes (totals and ends), links (top N per step, ties by labels) and the session total. */
    static void assertMatches(Map<List<Object>, Long> rows, int linksPerStep, PathsResult got, String what) {
        Map<List<Object>, long[]> nodes = new HashMap<>();
        Map<Integer, List<Map.Entry<List<Object>, Long>>> byStep = new TreeMap<>();
        long sessions = 0;
        for (Map.Entry<List<Object>, Long> e : rows.entrySet()) {
            int step = (Integer) e.getKey().get(0);
            long[] n = nodes.computeIfAbsent(List.of(step, e.getKey().get(1)), k -> new long[2]);
            n[0] += e.getValue();
            if ((Boolean) e.getKey().get(3)) {
                n[1] += e.getValue();
            } else {
                byStep.computeIfAbsent(step, k -> new ArrayList<>()).add(e);
            }
            if (step == 0) {
                sessions += e.getValue();
            }
        }
        assertEquals(sessions, got.sessions(), what + " sessions");
        List<List<Object>> wantLinks = new ArrayList<>();
        Set<List<Object>> wantNodes = new LinkedHashSet<>();
        nodes.entrySet().stream().filter(e -> (Integer) e.getKey().get(0) == 0)
                .sorted(Comparator.comparingLong((Map.Entry<List<Object>, long[]> e) -> -e.getValue()[0]).thenComparing(e -> (String) e.getKey().get(1), BYTE_ORDER))
                .limit(linksPerStep).forEach(e -> wantNodes.add(e.getKey()));
        for (List<Map.Entry<List<Object>, Long>> links : byStep.values()) {
            links.sort(Comparator.comparingLong((Map.Entry<List<Object>, Long> e) -> -e.getValue())
                    .thenComparing(e -> (String) e.getKey().get(1), BYTE_ORDER).thenComparing(e -> (String) e.getKey().get(2), BYTE_ORDER));
            for (Map.Entry<List<Object>, Long> e : links.subList(0, Math.min(linksPerStep, links.size()))) {
                int step = (Integer) e.getKey().get(0);
                wantLinks.add(List.of(step, e.getKey().get(1), e.getKey().get(2), e.getValue()));
                wantNodes.add(List.of(step, e.getKey().get(1)));
                wantNodes.add(List.of(step + 1, e.getKey().get(2)));
            }
        }
        List<List<Object>> gotLinks = got.links().stream()
                .map(l -> List.<Object>of(l.step(), l.sourceLabel(), l.targetLabel(), l.value())).toList();
        assertEquals(wantLinks, gotLinks, what + " links");
        for (PathsResult.Link l : got.links()) {
            assertEquals(l.sourceLabel(), got.nodes().get(l.source()).label(), what);
            assertEquals(l.step() + 1, got.nodes().get(l.target()).step(), what);
        }
        assertEquals(wantNodes, new LinkedHashSet<>(got.nodes().stream().map(nd -> List.<Object>of(nd.step(), nd.label())).toList()), what + " nodes");
        for (PathsResult.Node nd : got.nodes()) {
            long[] want = nodes.get(List.of(nd.step(), nd.label()));
            assertEquals(want[0], nd.sessions(), what + " node " + nd);
            assertEquals(want[1], nd.ended(), what + " node ends " + nd);
        }
    }

    private static String cleanAll(String path) {
        return path.replaceAll("/product/\\d+", "/product/:id").replaceAll("\\?.*$", "").replaceAll("^/([a-z]+)/:id/reviews$", "/$1/:id/r");
    }

    private static final String CLEANING = "[{\"regex\":\"/product/\\\\d+\",\"replacement\":\"/product/:id\"},"
            + "{\"regex\":\"\\\\?.*$\",\"replacement\":\"\"},{\"regex\":\"^/([a-z]+)/:id/reviews$\",\"replacement\":\"/\\\\1/:id/r\"}]";

    // ---- tests -----------------------------------------------------------------------------------

    @Test
    void shouldMatchTheReferenceForStartEndAndSessionStartAnchorsInEveryZone() throws Exception {
        for (String zone : List.of("UTC", "Asia/Kolkata", "America/Los_Angeles")) {
            for (boolean collapse : List.of(false, true)) {
                String common = "\"timezone\":\"" + zone + "\",\"date_range\":{\"from\":\"2026-03-06\",\"to\":\"2026-03-08\"},\"collapse_repeats\":"
                        + collapse + ",\"links_per_step\":500";
                ZoneId z = ZoneId.of(zone);
                String what = zone + " collapse=" + collapse;
                PathsResult none = run("{\"analysis\":\"paths\"," + common + ",\"depth\":4}");
                assertMatches(reference(events, new Spec(z, "2026-03-06", "2026-03-08", "all", e -> true, false, 4, collapse, x -> x, e -> true)),
                        500, none, "session start " + what);
                assertTrue(none.links().size() > 10, what);
                PathsResult start = run("{\"analysis\":\"paths\"," + common + ",\"depth\":3,\"start\":{\"event\":\"add_to_cart\"},\"cleaning\":" + CLEANING + "}");
                assertMatches(reference(events, new Spec(z, "2026-03-06", "2026-03-08", "all", e -> e.name().equals("add_to_cart"), false, 3, collapse,
                        PathsIT::cleanAll, e -> true)), 500, start, "start " + what);
                assertTrue(start.nodes().stream().anyMatch(nd -> nd.label().equals("/product/:id")), what);
                assertTrue(start.nodes().stream().noneMatch(nd -> nd.label().contains("?")), what);
                PathsResult end = run("{\"analysis\":\"paths\"," + common + ",\"depth\":10,\"end\":{\"event\":\"$pageview\",\"filters\":"
                        + "[{\"property\":\"page_path\",\"op\":\"eq\",\"value\":\"/checkout\"}]},\"event_types\":\"pageviews\",\"cleaning\":" + CLEANING + "}");
                assertMatches(reference(events, new Spec(z, "2026-03-06", "2026-03-08", "pageviews",
                        e -> "/checkout".equals(e.pagePath()), true, 10, collapse, PathsIT::cleanAll, e -> true)), 500, end, "end " + what);
                assertTrue(end.nodes().stream().allMatch(nd -> nd.step() <= 0), what);
            }
        }
    }

    @Test
    void shouldKeepTheTopLinksPerStepWithFiltersApplied() throws Exception {
        PathsResult r = run("{\"analysis\":\"paths\",\"timezone\":\"Asia/Kolkata\",\"date_range\":{\"from\":\"2026-03-05\",\"to\":\"2026-03-13\"},"
                + "\"depth\":5,\"links_per_step\":3,\"start\":{\"event\":\"$pageview\"},"
                + "\"filters\":[{\"property\":\"properties.plan\",\"op\":\"neq\",\"value\":\"free\"}]}");
        assertMatches(reference(events, new Spec(ZoneId.of("Asia/Kolkata"), "2026-03-05", "2026-03-13", "all", e -> e.name().equals("$pageview"),
                false, 5, false, x -> x, e -> !"free".equals(e.properties().get("plan")))), 3, r, "top 3");
        for (int step = 0; step < 5; step++) {
            int s = step;
            assertTrue(r.links().stream().filter(l -> l.step() == s).count() <= 3);
        }
        assertTrue(r.links().size() >= 10);
    }

    @Test
    void shouldCutTheRangeAtLocalMidnightEastAndWest() throws Exception {
        // Session "se-k": /home 1 ms before 2026-03-06 00:00 IST (out), /product/1 and signup exactly at it (in, equal
        // timestamps: edge-k-2 before edge-k-3 by event id), /cart 1 s before 2026-03-09 00:00 IST (in), /checkout at it (out).
        PathsResult k = run("{\"analysis\":\"paths\",\"timezone\":\"Asia/Kolkata\",\"date_range\":{\"from\":\"2026-03-06\",\"to\":\"2026-03-08\"},"
                + "\"filters\":[{\"property\":\"session_id\",\"op\":\"eq\",\"value\":\"se-k\"}]}");
        assertEquals(1, k.sessions());
        assertEquals(List.of("/product/1>signup", "signup>/cart"), k.links().stream().map(l -> l.sourceLabel() + ">" + l.targetLabel()).toList());
        // Los Angeles, across the spring-forward night of 8 March.
        PathsResult la = run("{\"analysis\":\"paths\",\"timezone\":\"America/Los_Angeles\",\"date_range\":{\"from\":\"2026-03-06\",\"to\":\"2026-03-08\"},"
                + "\"filters\":[{\"property\":\"session_id\",\"op\":\"eq\",\"value\":\"se-la\"}]}");
        assertEquals(List.of("/product/1>signup", "signup>/cart"), la.links().stream().map(l -> l.sourceLabel() + ">" + l.targetLabel()).toList());
    }

    @Test
    void shouldRunEveryInjectionCorpusStringAsPlainDataOnClickHouse() throws Exception {
        for (String attack : io.beacon.analytics.query.QueryParserTest.corpus()) {
            String a = JSON.writeValueAsString(attack);
            String replacement = attack.contains("\\") || attack.chars().anyMatch(c -> c < 0x20) ? "x" : attack; // backslashes are group references there
            PathsResult r = run("{\"analysis\":\"paths\",\"date_range\":{\"from\":\"2026-03-05\",\"to\":\"2026-03-13\"},\"start\":{\"event\":\"signup\","
                    + "\"filters\":[{\"property\":\"properties.plan\",\"op\":\"neq\",\"value\":" + a + "}]},"
                    + "\"cleaning\":[{\"regex\":\"'\",\"replacement\":" + JSON.writeValueAsString(replacement) + "}],"
                    + "\"filters\":[{\"property\":\"page_title\",\"op\":\"not_contains\",\"value\":" + a + "}]}");
            assertMatches(reference(events, new Spec(ZoneId.of("UTC"), "2026-03-05", "2026-03-13", "all", e -> e.name().equals("signup"), false, 5,
                    false, x -> x.replace("'", replacement), e -> true)), 20, r, attack);
        }
        assertEquals(events.size() + 100, db.clickhouse().queryLong("SELECT count() FROM events FINAL"), "nothing was written or dropped");
    }
}
