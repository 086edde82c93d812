package io.beacon.analytics.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.analytics.AnalyticsSettings;
import io.beacon.analytics.api.AnalyticsApi;
import io.beacon.analytics.runtime.Analytics;
import io.beacon.analytics.testing.AnalyticsDb;
import io.beacon.analytics.testing.WebEvent;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.store.InMemoryConfigStore;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The user timeline over HTTP on a real ClickHouse against the person's generated events: anonymous history
 * linked to the user, equal timestamps (ordered by event id), shuffled arrival with re-sent copies, range
 * edges in the project zone (Asia/Kolkata), awkward property values, paging with the cursor, 404 and 400s.
 * Also the new insights' 400s over HTTP.
 */
@ExtendWith(BeaconStackExtension.class)
class TimelineIT {
    private static final String SECRET = "sk_test_timeline_0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId ZONE = ZoneId.of("Asia/Kolkata");
    private static AnalyticsDb db;
    private static ActorSystem<Void> system;
    private static ServerBinding binding;
    private static Analytics analytics;
    private static String base;
    private static final List<WebEvent> mine = new ArrayList<>();

    @BeforeAll
    static void start(TestStack stack) throws Exception {
        db = new AnalyticsDb(stack, "timeline");
        List<WebEvent> all = new ArrayList<>();
        Random r = new Random(3);
        long midnight = LocalDateTime.parse("2026-03-10T00:00").atZone(ZONE).toInstant().toEpochMilli();
        long t = midnight - 1_000;
        for (int i = 0; i < 23; i++) {
            boolean anon = i < 8;
            String distinct = anon ? "anon-tu" : "tu";
            String session = i < 8 ? "s-a" : i < 15 ? "s-b" : i == 20 ? null : "s-c";
            // 1 s before local midnight (outside from=2026-03-10), exactly at it (inside), then random gaps with equal timestamps
            t = i == 0 ? t : i == 1 ? midnight : t + (r.nextInt(3) == 0 ? 0 : 1_000 + r.nextInt(3_600_000));
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("n", i);
            props.put("it's", "a,b\t\"c\"\n✓ " + i);
            props.put("empty", "");
            mine.add(new WebEvent(String.format("t%03d-%d", 100 - i, r.nextInt(10)), distinct, distinct, session, i % 3 == 0 ? "$pageview" : "click", t,
                    i % 3 == 0 ? "/p/" + i : null, props));
        }
        long noon = LocalDateTime.parse("2026-03-10T12:00").atZone(ZONE).toInstant().toEpochMilli();
        mine.add(new WebEvent("t-noon", "tu", "tu", "s-c", "click", noon, null, Map.of("n", 99, "it's", "noon", "empty", ""))); // exactly at to=12:00: outside
        all.addAll(mine);
        all.add(new WebEvent("o1", "someone", "someone", "s-a", "click", t, null, Map.of())); // another person, same session id
        List<WebEvent> arrival = new ArrayList<>(all);
        Collections.shuffle(arrival, r);
        arrival.addAll(all.subList(0, 5)); // re-sent copies
        WebEvent.insert(db, "pt", arrival);
        db.link("pt", "anon-tu", "tu");
        WebEvent.insert(db, "other", mine);

        InMemoryConfigStore store = new InMemoryConfigStore();
        ProjectDirectory projects = new ProjectDirectory(store);
        projects.create(new Project("pt", "Timeline", "Asia/Kolkata", EnforcementMode.PERMISSIVE, "wk_test_timeline_0123456789", SECRET,
                "pii_test_timeline_0123456789")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        analytics = new Analytics(projects, store, io.beacon.analytics.Warehouse.of(db.clickhouse()), AnalyticsSettings.defaults());
        system = ActorSystem.create(Behaviors.empty(), "timeline");
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(AnalyticsApi.routes(analytics)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + binding.localAddress().getPort() + "/api/v1/";
    }

    @AfterAll
    static void stop() throws Exception {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        system.terminate();
        analytics.close();
        db.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + SECRET).GET().build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String analysis, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "insights/" + analysis)).header("Authorization", "Bearer " + SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Reads every page; returns the events in page order and checks each page's sessions. */
    private static List<JsonNode> readAll(String id, String query, int limit) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> r = get("persons/" + enc(id) + "/timeline?limit=" + limit + query + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals("tu", body.get("person").asText());
            assertTrue(body.get("events").size() <= limit);
            Map<String, Integer> onPage = new LinkedHashMap<>();
            body.get("events").forEach(e -> {
                events.add(e);
                if (!e.get("session_id").asText().isEmpty()) {
                    onPage.merge(e.get("session_id").asText(), 1, Integer::sum);
                }
            });
            List<String> sessionIds = new ArrayList<>();
            for (JsonNode s : body.get("sessions")) {
                String sid = s.get("session_id").asText();
                sessionIds.add(sid);
                List<WebEvent> of = mine.stream().filter(e -> sid.equals(e.sessionId())).toList();
                assertEquals(of.size(), s.get("event_count").asLong(), sid);
                assertEquals(of.stream().mapToLong(WebEvent::timeMs).min().orElseThrow(), s.get("start_ms").asLong(), sid);
                assertEquals(of.stream().mapToLong(WebEvent::timeMs).max().orElseThrow(), s.get("end_ms").asLong(), sid);
                assertEquals((int) onPage.get(sid), s.get("events_on_page").asInt(), sid);
            }
            assertEquals(List.copyOf(onPage.keySet()), sessionIds);
            cursor = body.get("next_cursor").isNull() ? null : body.get("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 100);
        return events;
    }

    private static List<String> expected(long fromMs, long toMs) {
        return mine.stream().filter(e -> Math.floorDiv(e.timeMs(), 1000) >= Math.floorDiv(fromMs, 1000) && Math.floorDiv(e.timeMs(), 1000) < Math.floorDiv(toMs, 1000))
                .sorted(Comparator.comparingLong(WebEvent::timeMs).thenComparing(WebEvent::id)).map(WebEvent::id).toList();
    }

    @Test
    void shouldPageThroughTheLinkedPersonsEventsInOrderWithTheirSessions() throws Exception {
        List<String> want = expected(0, Long.MAX_VALUE);
        for (String id : List.of("tu", "anon-tu")) {
            for (int limit : List.of(1, 7, 23, 1000)) {
                List<JsonNode> got = readAll(id, "", limit);
                assertEquals(want, got.stream().map(e -> e.get("event_id").asText()).toList(), id + " limit " + limit);
            }
        }
        List<JsonNode> got = readAll("tu", "", 1000);
        boolean tie = false;
        for (int i = 0; i < got.size(); i++) {
            JsonNode g = got.get(i);
            WebEvent e = mine.stream().filter(m -> m.id().equals(g.get("event_id").asText())).findFirst().orElseThrow();
            assertEquals(e.timeMs(), g.get("time_ms").asLong());
            assertEquals(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC)
                    .format(java.time.Instant.ofEpochMilli(e.timeMs())), g.get("time").asText());
            assertEquals(e.name(), g.get("event").asText());
            assertEquals(e.distinctId(), g.get("distinct_id").asText());
            assertEquals(e.properties().get("it's"), g.at("/properties/it's").asText());
            assertEquals("", g.at("/properties/empty").asText());
            assertEquals(String.valueOf(e.properties().get("n")), g.at("/properties/n").asText());
            tie |= i > 0 && got.get(i - 1).get("time_ms").asLong() == g.get("time_ms").asLong();
        }
        assertTrue(tie, "the data has equal timestamps");
    }

    @Test
    void shouldCutAtTheLocalRangeEdges() throws Exception {
        // from = 2026-03-10 (local midnight in the project zone, inclusive), to = 2026-03-10T12:00 local (exclusive).
        long from = LocalDateTime.parse("2026-03-10T00:00").atZone(ZONE).toInstant().toEpochMilli();
        long to = LocalDateTime.parse("2026-03-10T12:00").atZone(ZONE).toInstant().toEpochMilli();
        List<JsonNode> got = readAll("tu", "&from=2026-03-10&to=2026-03-10T12:00", 5);
        assertEquals(expected(from, to), got.stream().map(e -> e.get("event_id").asText()).toList());
        assertTrue(mine.stream().anyMatch(e -> e.timeMs() == from - 1_000) && mine.stream().anyMatch(e -> e.timeMs() == from), "edges");
        assertFalse(got.stream().anyMatch(e -> e.get("event_id").asText().equals("t-noon")));
        assertEquals(from, got.get(0).get("time_ms").asLong());
        List<JsonNode> utc = readAll("tu", "&from=" + enc("2026-03-09T18:30:00Z") + "&to=" + enc("2026-03-10T06:30:00Z"), 5);
        assertEquals(got.stream().map(e -> e.get("event_id").asText()).toList(), utc.stream().map(e -> e.get("event_id").asText()).toList());
    }

    @Test
    void shouldAnswer404ForAnUnknownPersonAnd400ForBadParameters() throws Exception {
        for (String id : List.of("nobody", "x' OR 1=1 --", "someone\\")) {
            HttpResponse<String> r = get("persons/" + enc(id) + "/timeline");
            assertEquals(404, r.statusCode(), id + " " + r.body());
            assertEquals("PERSON_NOT_FOUND", JSON.readTree(r.body()).at("/error/code").asText());
        }
        String[][] bad = {{"limit=0", "limit"}, {"limit=1001", "limit"}, {"limit=x", "limit"}, {"cursor=not-a-cursor", "cursor"},
                {"from=2026-03-11&to=2026-03-10", "to"}, {"from=yesterday", "from"}, {"colour=red", "colour"}};
        for (String[] b : bad) {
            HttpResponse<String> r = get("persons/tu/timeline?" + b[0]);
            assertEquals(400, r.statusCode(), b[0] + " " + r.body());
            assertEquals(b[1], JSON.readTree(r.body()).at("/error/field").asText(), b[0]);
        }
        HttpResponse<String> someone = get("persons/someone/timeline");
        assertEquals(200, someone.statusCode());
        assertEquals(List.of("o1"), List.of(JSON.readTree(someone.body()).at("/events/0/event_id").asText()));
    }

    @Test
    void shouldRefuseMalformedNewAnalysesWith400NamingTheField() throws Exception {
        String range = "\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-07\"}";
        String[][] cases = {
                {"paths", "{" + range + ",\"depth\":0}", "depth"},
                {"paths", "{" + range + ",\"depth\":11}", "depth"},
                {"paths", "{" + range + ",\"cleaning\":[{\"regex\":\"(\",\"replacement\":\"x\"}]}", "cleaning[0].regex"},
                {"paths", "{" + range + ",\"cleaning\":[{\"regex\":\"a(?=b)\",\"replacement\":\"x\"}]}", "cleaning[0].regex"},
                {"paths", "{" + range + ",\"cleaning\":[{\"regex\":\"a\",\"replacement\":\"\\\\2\"}]}", "cleaning[0].replacement"},
                {"paths", "{\"date_range\":{\"from\":\"2026-03-07\",\"to\":\"2026-03-01\"}}", "date_range"},
                {"paths", "{" + range + ",\"start\":{\"event\":\"\"}}", "start.event"}, // any stored name (quotes too) is valid, '' is not
                {"paths", "{" + range + ",\"filters\":[{\"property\":\"properties.a'b\",\"op\":\"is_set\"}]}", "filters[0].property"},
                {"distribution", "{" + range + ",\"buckets\":{\"edges\":[2,5]}}", "buckets.edges[0]"},
                {"stickiness", "{" + range + ",\"interval\":\"hour\"}", "interval"},
                {"lifecycle", "{" + range + ",\"event\":{\"event\":\"a\",\"colour\":1}}", "event.colour"},
                {"sankey", "{" + range + "}", "analysis"}};
        for (String[] c : cases) {
            HttpResponse<String> r = post(c[0], c[1]);
            assertEquals(400, r.statusCode(), c[1] + " " + r.body());
            assertEquals(c[2], JSON.readTree(r.body()).at("/error/field").asText(), c[1]);
        }
        HttpResponse<String> ok = post("paths", "{\"date_range\":{\"from\":\"2026-03-09\",\"to\":\"2026-03-12\"},\"event_types\":\"pageviews\"}");
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode body = JSON.readTree(ok.body());
        assertEquals("Asia/Kolkata", body.get("timezone").asText());
        assertTrue(body.get("links").size() > 0 && body.at("/queries/0/sql").asText().contains("replaceRegexpAll") == false);
        assertFalse(body.at("/nodes/0/label").asText().isEmpty());
    }
}
