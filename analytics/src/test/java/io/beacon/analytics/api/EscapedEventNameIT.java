package io.beacon.analytics.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.beacon.analytics.AnalyticsSettings;
import io.beacon.analytics.testing.AnalyticsDb;
import io.beacon.analytics.testing.AnalyticsServer;
import io.beacon.analytics.testing.WebEvent;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An event name with a quote, a double quote, a backslash, a backtick, a control character and a newline is
 * stored as sent (the gateway accepts it), so every analysis that names events must accept it and find exactly its
 * events: it reaches SQL only as an escaped literal. A decoy name that a wrong escape of the backslash would match
 * ({@code a\b} read as a backspace) is stored beside it and must never count. Over HTTP, numbers worked out by hand
 * from the events below (UTC project, days D1 = 2026-03-02, D2 = 03-03, D3 = 03-04).
 */
@ExtendWith(BeaconStackExtension.class)
class EscapedEventNameIT {
    private static final String PROJECT = "pq";
    static final String NAME = "it's \"q\" a\\b`c\u0001d\ne";
    /** What {@code 'a\b'} would be if the backslash were not escaped: a backspace. */
    static final String DECOY = "it's \"q\" a\bb`c\u0001d\ne";
    private static final Instant NOW = Instant.parse("2026-03-05T12:00:00Z");
    private static AnalyticsDb db;
    private static AnalyticsServer server;

    @BeforeAll
    static void start(TestStack stack) throws Exception {
        db = new AnalyticsDb(stack, "escaped_names");
        server = new AnalyticsServer(db, AnalyticsSettings.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
        server.project(PROJECT, "UTC");
        List<WebEvent> events = new ArrayList<>();
        events.add(ev("n01", "u1", "view", "2026-03-02T10:00:00"));
        events.add(ev("n02", "u1", NAME, "2026-03-02T10:01:00"));
        events.add(ev("n03", "u1", NAME, "2026-03-03T10:00:00"));
        events.add(ev("n04", "u2", NAME, "2026-03-02T11:00:00"));
        events.add(ev("n05", "u2", "view", "2026-03-02T11:05:00"));
        events.add(ev("n06", "u2", "view", "2026-03-02T11:06:00"));
        events.add(ev("n07", "u3", DECOY, "2026-03-02T12:00:00"));
        events.add(ev("n08", "u3", "view", "2026-03-02T12:01:00"));
        events.add(ev("n09", "u4", "view", "2026-03-03T09:00:00"));
        events.add(ev("n10", "u4", NAME, "2026-03-04T09:00:00"));
        events.add(ev("n11", "u5", "view", "2026-03-02T13:00:00"));
        events.add(ev("n12", "u5", NAME, "2026-03-02T13:01:00"));
        events.add(ev("n13", "u5", "view", "2026-03-02T13:02:00"));
        WebEvent.insert(db, PROJECT, events);
    }

    /** An event of {@code person} in its session of that day, at a UTC local date-time. */
    private static WebEvent ev(String id, String person, String name, String utc) {
        long ms = Instant.parse(utc + "Z").toEpochMilli();
        return new WebEvent(id, person, person, "s-" + person + "-" + utc.substring(0, 10), name, ms, null, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        db.close();
    }

    /** {@code template} with {@code NAME} and {@code DECOY} replaced by the names as JSON strings. */
    private static String json(String template) throws Exception {
        return template.replace("NAME", AnalyticsServer.JSON.writeValueAsString(NAME))
                .replace("DECOY", AnalyticsServer.JSON.writeValueAsString(DECOY));
    }

    private static JsonNode insight(String analysis, String body) throws Exception {
        return AnalyticsServer.ok(server.postJson("/api/v1/insights/" + analysis, PROJECT,
                json("{\"date_range\":{\"from\":\"2026-03-02\",\"to\":\"2026-03-04\"}," + body + "}")));
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(v -> out.add(v.isNull() ? null : v.asLong()));
        return out;
    }

    @Test
    void shouldCountTheEventsOfTheEscapedNameInTrends() throws Exception {
        JsonNode r = insight("trends", "\"interval\":\"day\",\"series\":[{\"event\":NAME},{\"event\":NAME,\"math\":\"unique_persons\"},"
                + "{\"event\":DECOY}]");
        JsonNode series = r.get("series");
        assertEquals(List.of(3L, 1L, 1L), longs(series.get(0).get("values")), r.toString());
        assertEquals(NAME, series.get(0).get("event").asText());
        assertEquals(List.of(3L, 1L, 1L), longs(series.get(1).get("values")));
        assertEquals(List.of(1L, 0L, 0L), longs(series.get(2).get("values")), "the decoy is a name of its own");
    }

    @Test
    void shouldUseTheEscapedNameAsAFunnelStepExclusionAndBreakdownValue() throws Exception {
        String persons = ",\"persons\":{\"step\":2,\"status\":\"converted\"}";
        JsonNode r = insight("funnels", "\"steps\":[{\"event\":\"view\"},{\"event\":NAME}],\"window\":{\"value\":3,\"unit\":\"day\"}" + persons);
        JsonNode steps = r.get("groups").get(0).get("steps");
        assertEquals(5, steps.get(0).get("count").asLong(), r.toString());
        assertEquals(NAME, steps.get(1).get("event").asText());
        assertEquals(3, steps.get(1).get("count").asLong()); // u1 (view 10:00, NAME 10:01), u4 (a day later), u5
        assertEquals("[\"u1\",\"u4\",\"u5\"]", r.get("persons").toString());

        JsonNode excluded = insight("funnels", "\"steps\":[{\"event\":\"view\"},{\"event\":\"view\"}],\"exclusions\":[{\"event\":NAME}]" + persons);
        assertEquals("[\"u2\"]", excluded.get("persons").toString(), "u5 did NAME between its views");

        // The step-1 name as the breakdown value: read back from ClickHouse and sent again as a literal (top values).
        JsonNode broken = insight("funnels", "\"steps\":[{\"event\":NAME},{\"event\":\"view\"}],\"breakdown\":{\"property\":\"event_name\",\"limit\":1}");
        JsonNode group = broken.get("groups").get(0);
        assertEquals(1, broken.get("groups").size(), broken.toString());
        assertEquals(NAME, group.get("breakdown_value").asText());
        assertEquals(4, group.get("steps").get(0).get("count").asLong());
        assertEquals(2, group.get("steps").get(1).get("count").asLong()); // u2 (views after 11:00), u5 (view 13:02)
    }

    @Test
    void shouldStartAndReturnWithTheEscapedNameInRetention() throws Exception {
        JsonNode r = insight("retention", "\"period\":\"day\",\"periods\":3,\"start_event\":{\"event\":\"view\"},\"return_event\":{\"event\":NAME}");
        JsonNode cohorts = r.get("cohorts");
        assertEquals(4, cohorts.get(0).get("size").asLong(), r.toString());
        assertEquals(List.of(3L, 1L, 0L), longs(cohorts.get(0).get("counts")));
        assertEquals(1, cohorts.get(1).get("size").asLong());
        assertEquals(java.util.Arrays.asList(0L, 1L, null), longs(cohorts.get(1).get("counts")));
        JsonNode first = insight("retention", "\"period\":\"day\",\"periods\":2,\"first_time\":true,\"start_event\":{\"event\":NAME},"
                + "\"return_event\":{\"event\":NAME}");
        assertEquals(3, first.get("cohorts").get(0).get("size").asLong(), first.toString());
        assertEquals(List.of(3L, 1L), longs(first.get("cohorts").get(0).get("counts")));
    }

    @Test
    void shouldAnchorPathsAtTheEscapedNameAndLabelThemWithIt() throws Exception {
        JsonNode r = insight("paths", "\"start\":{\"event\":NAME},\"depth\":2");
        assertEquals(5, r.get("sessions").asLong(), r.toString());
        JsonNode anchor = r.get("nodes").get(0);
        assertEquals(NAME, anchor.get("label").asText());
        assertEquals(5, anchor.get("sessions").asLong());
        assertEquals(3, anchor.get("ended").asLong());
        ArrayNode links = (ArrayNode) r.get("links");
        assertEquals(2, links.size(), links.toString());
        assertEquals(NAME, links.get(0).get("source_label").asText());
        assertEquals("view", links.get(0).get("target_label").asText());
        assertEquals(2, links.get(0).get("value").asLong());
        JsonNode end = insight("paths", "\"end\":{\"event\":NAME},\"depth\":1");
        assertEquals(5, end.get("sessions").asLong(), end.toString());
    }

    @Test
    void shouldCountPersonsByTheEscapedNameInStickinessLifecycleAndDistribution() throws Exception {
        JsonNode sticky = insight("stickiness", "\"interval\":\"day\",\"event\":{\"event\":NAME}");
        assertEquals(4, sticky.get("persons").asLong(), sticky.toString());
        List<Long> byIntervals = new ArrayList<>();
        sticky.get("counts").forEach(c -> byIntervals.add(c.get("persons").asLong()));
        assertEquals(List.of(3L, 1L, 0L), byIntervals);

        JsonNode life = insight("lifecycle", "\"interval\":\"day\",\"event\":{\"event\":NAME}");
        List<String> periods = new ArrayList<>();
        life.get("periods").forEach(p -> periods.add(p.get("new").asLong() + "/" + p.get("returning").asLong() + "/"
                + p.get("resurrecting").asLong() + "/" + p.get("dormant").asLong()));
        assertEquals(List.of("3/0/0/0", "0/1/0/-2", "1/0/0/-1"), periods, life.toString());

        JsonNode dist = insight("distribution", "\"event\":{\"event\":NAME},\"buckets\":{\"max\":3}");
        assertEquals(4, dist.get("persons").asLong(), dist.toString());
        assertEquals(5, dist.get("events").asLong());
        List<Long> buckets = new ArrayList<>();
        dist.get("buckets").forEach(b -> buckets.add(b.get("persons").asLong()));
        assertEquals(List.of(3L, 1L, 0L), buckets);
    }

    @Test
    void shouldEvaluateCohortRulesNamingTheEscapedName() throws Exception {
        AnalyticsServer.ok(server.postJson("/api/v1/cohorts", PROJECT, json("{\"id\":\"twice\",\"name\":\"twice\",\"definition\":"
                + "{\"type\":\"performed\",\"event\":NAME,\"op\":\"gte\",\"count\":2,\"days\":30}}")));
        AnalyticsServer.ok(server.postJson("/api/v1/cohorts", PROJECT, json("{\"id\":\"never\",\"name\":\"never\",\"definition\":"
                + "{\"type\":\"not_performed\",\"event\":NAME,\"days\":30}}")));
        AnalyticsServer.ok(server.postJson("/api/v1/cohorts", PROJECT, json("{\"id\":\"seq\",\"name\":\"seq\",\"definition\":"
                + "{\"type\":\"sequence\",\"first\":{\"event\":\"view\"},\"then\":{\"event\":NAME},\"within\":{\"value\":1,\"unit\":\"hour\"},\"days\":30}}")));
        assertEquals("[\"u1\"]", members("twice"));
        assertEquals("[\"u3\"]", members("never"));
        assertEquals("[\"u1\",\"u5\"]", members("seq"));
        // As a filter of an analysis: NAME events of persons who did NAME twice.
        JsonNode r = insight("trends", "\"interval\":\"day\",\"series\":[{\"event\":NAME}],\"filters\":[{\"cohort\":\"twice\"}]");
        assertEquals(List.of(1L, 1L, 0L), longs(r.get("series").get(0).get("values")), r.toString());
    }

    private static String members(String cohort) throws Exception {
        return AnalyticsServer.ok(server.get("/api/v1/cohorts/" + cohort + "/members", PROJECT)).get("persons").toString();
    }

    @Test
    void shouldShowTheEscapedNameUnchangedInTheTimeline() throws Exception {
        JsonNode r = AnalyticsServer.ok(server.get("/api/v1/persons/u1/timeline?from=2026-03-01&to=2026-03-05", PROJECT));
        List<String> names = new ArrayList<>();
        r.get("events").forEach(e -> names.add(e.get("event").asText()));
        assertEquals(List.of("view", NAME, NAME), names, r.toString());
        assertTrue(NAME.chars().anyMatch(c -> c < 0x20) && NAME.contains("'") && NAME.contains("\"") && NAME.contains("\\"));
    }
}
