package io.beacon.analytics.journeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.AnalyticsSettings;
import io.beacon.analytics.Warehouse;
import io.beacon.analytics.api.AnalyticsApi;
import io.beacon.analytics.runtime.Analytics;
import io.beacon.analytics.testing.AnalyticsDb;
import io.beacon.control.journeys.JourneyContext;
import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyJson;
import io.beacon.control.journeys.JourneyService;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.store.InMemoryConfigStore;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.EventCodec;
import io.beacon.event.JourneyEvent;
import io.beacon.event.JourneyEvent.Kind;
import io.beacon.event.JourneyEventCodec;
import io.beacon.warehouse.schema.MigrationCatalog;
import io.beacon.warehouse.sink.JourneyEventRows;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
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
 * The journey report on a real ClickHouse (18.16, and 26.x under chdb), directly and over HTTP: hand-built runs of
 * the welcome journey (push → wait for a purchase → branch → CRM update), every row inserted twice as a sink replay
 * would.
 */
@ExtendWith(BeaconStackExtension.class)
class JourneyReportIT {
    private static final long T0 = 1_795_774_643_000L;
    private static AnalyticsDb db;
    private static final String SECRET = "sk_test_journeys_0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JourneyReport report;
    private static Analytics analytics;
    private static ActorSystem<Void> system;
    private static ServerBinding binding;
    private static String base;

    /** A run's events in order, seq 0, 1, 2, …; a step id of "-" means none. */
    private static List<JourneyEvent> run(String person, int version, long entry, long at, String... kindSteps) {
        List<JourneyEvent> out = new ArrayList<>();
        for (int i = 0; i < kindSteps.length; i++) {
            String[] ks = kindSteps[i].split(":");
            Kind kind = Kind.fromWire(ks[0]).orElseThrow();
            String step = ks.length > 1 && !ks[1].equals("-") ? ks[1] : null;
            String reason = ks.length > 2 ? ks[2] : null;
            String channel = kind == Kind.SENT || kind == Kind.CAPPED || kind == Kind.SUPPRESSED ? "push" : null;
            out.add(new JourneyEvent("shop", person, "welcome", version, entry, i, kind, step, reason, channel,
                    kind == Kind.SENT ? "journey/welcome/v" + version + "/" + person + "/" + entry + "/" + step : null, at + i, null));
        }
        return out;
    }

    @BeforeAll
    static void fill(TestStack stack) throws Exception {
        db = new AnalyticsDb(stack, "journeys");
        List<JourneyEvent> all = new ArrayList<>();
        // u1: pushed, purchased during the wait, branch, CRM update, completed, converted
        all.addAll(run("u1", 1, 1, T0, "entered", "step_entered:push", "sent:push", "step_entered:wait", "converted",
                "step_entered:big", "step_entered:crm", "step_entered:done", "completed:done"));
        // u2: pushed, waiting now
        all.addAll(run("u2", 1, 1, T0, "entered", "step_entered:push", "sent:push", "step_entered:wait"));
        // u3: capped, waiting; then exited on the exit criteria
        all.addAll(run("u3", 1, 1, T0, "entered", "step_entered:push", "capped:push", "step_entered:wait", "exited:wait:exit_criteria"));
        // u4: suppressed by quiet hours, now in the timeout's delay
        all.addAll(run("u4", 1, 1, T0, "entered", "step_entered:push", "suppressed:push", "step_entered:wait", "step_entered:nudge"));
        // u1 again (re-entry), version 2, waiting
        all.addAll(run("u1", 2, 2, T0 + 100_000, "entered", "step_entered:push", "sent:push", "step_entered:wait"));
        List<String> rows = new ArrayList<>();
        for (JourneyEvent e : all) {
            rows.add(json(JourneyEventRows.row(JourneyEventCodec.encodeBytes(e), T0)));
        }
        db.clickhouse().insertJsonEachRow(MigrationCatalog.JOURNEY_EVENTS, rows);
        db.clickhouse().insertJsonEachRow(MigrationCatalog.JOURNEY_EVENTS, rows);
        report = new JourneyReport(Warehouse.of(db.clickhouse()), new InMemoryConfigStore());
        InMemoryConfigStore store = new InMemoryConfigStore();
        // the welcome journey, published as version 1 and edited since (live, version 2: the wait is now 'wait2')
        JourneyDefinition v1 = JourneyJson.parse("shop", "welcome", (ObjectNode) JSON.readTree(welcome("wait")), JourneyContext.unchecked());
        store.put(JourneyService.versionKey("shop", "welcome", 1), JourneyJson.toDocument(v1), 0);
        store.put(JourneyDefinition.key("shop", "welcome"), JourneyJson.toDocument(
                JourneyJson.parse("shop", "welcome", (ObjectNode) JSON.readTree(welcome("wait2")), JourneyContext.unchecked()).withJourneyVersion(2)), 0);
        ProjectDirectory projects = new ProjectDirectory(store);
        projects.create(new Project("shop", "Shop", "UTC", EnforcementMode.PERMISSIVE, "wk_test_journeys_0123456789", SECRET,
                "pii_test_journeys_0123456789")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        analytics = new Analytics(projects, store, Warehouse.of(db.clickhouse()), AnalyticsSettings.defaults());
        system = ActorSystem.create(Behaviors.empty(), "journeys");
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(AnalyticsApi.routes(analytics)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + binding.localAddress().getPort() + "/api/v1/";
    }

    /** The welcome journey's graph with its wait step called {@code wait}. */
    private static String welcome(String wait) {
        return ("{\"name\":\"Welcome\",\"status\":\"live\",\"trigger\":{\"type\":\"segment_entered\",\"segment_id\":\"new\"},\"entry\":\"push\","
                + "\"steps\":{\"push\":{\"type\":\"send\",\"destination_id\":\"fcm\",\"channel\":\"push\",\"template\":{\"title\":\"Hi\"},\"next\":\"WAIT\"},"
                + "\"WAIT\":{\"type\":\"wait_until\",\"event\":{\"event\":\"purchase\"},\"max_wait\":\"P2D\",\"next\":\"big\",\"timeout_next\":\"nudge\"},"
                + "\"big\":{\"type\":\"branch\",\"condition\":{\"trait\":{\"name\":\"plan\",\"op\":\"eq\",\"value\":\"pro\"}},\"then\":\"crm\",\"else\":\"done\"},"
                + "\"crm\":{\"type\":\"update_traits\",\"set\":{\"welcomed\":true},\"next\":\"done\"},"
                + "\"nudge\":{\"type\":\"delay\",\"duration\":\"PT12H\",\"next\":\"done\"},\"done\":{\"type\":\"exit\"}}}").replace("WAIT", wait);
    }

    @AfterAll
    static void close() throws Exception {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        system.terminate();
        analytics.close();
        db.close();
    }

    private static HttpResponse<String> get(String path, String secret) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (secret != null) {
            req.header("Authorization", "Bearer " + secret);
        }
        return HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldPreviewWhereAStepMappingWouldMoveTheRunsInFlightAndRefuseStepsEitherSideLacks() throws Exception {
        // version 1 has u2 waiting at 'wait' and u4 in the delay 'nudge'; the mapping moves the waiting run only
        HttpResponse<String> r = post("journeys/welcome/mapping-preview", "{\"from_version\":1,\"step_mapping\":{\"wait\":\"wait2\"}}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode p = JSON.readTree(r.body());
        assertEquals(JSON.readTree("{\"nudge\":1,\"wait\":1}"), p.path("runs_at_step"));
        assertEquals(JSON.readTree("{\"wait2\":1}"), p.path("moved_to"));
        assertEquals(1, p.path("moving").asLong());
        assertEquals(1, p.path("staying").asLong());
        // against an edited graph sent along ('to'): 'wait2' is not in it
        HttpResponse<String> lacking = post("journeys/welcome/mapping-preview", "{\"from_version\":1,\"step_mapping\":{\"wait\":\"wait2\"},\"to\":"
                + welcome("wait3") + "}");
        assertEquals(400, lacking.statusCode(), lacking.body());
        assertEquals("mapping.wait", JSON.readTree(lacking.body()).path("error").path("field").asText());
        HttpResponse<String> unknownOld = post("journeys/welcome/mapping-preview", "{\"from_version\":1,\"step_mapping\":{\"gone\":\"wait2\"}}");
        assertEquals("mapping.gone", JSON.readTree(unknownOld.body()).path("error").path("field").asText());
        HttpResponse<String> noVersion = post("journeys/welcome/mapping-preview", "{\"from_version\":7,\"step_mapping\":{}}");
        assertEquals(400, noVersion.statusCode(), noVersion.body());
        assertEquals("from_version", JSON.readTree(noVersion.body()).path("error").path("field").asText());
        assertEquals(404, post("journeys/nope/mapping-preview", "{\"from_version\":1,\"step_mapping\":{}}").statusCode());
        assertEquals("from_version", JSON.readTree(post("journeys/welcome/mapping-preview", "{\"step_mapping\":{}}").body())
                .path("error").path("field").asText());
    }

    @Test
    void shouldServeTheFiguresAndAPersonsRunsOverHttpAndRefuseBadParametersNamingThem() throws Exception {
        HttpResponse<String> stats = get("journeys/welcome/stats?version=1", SECRET);
        assertEquals(200, stats.statusCode(), stats.body());
        JsonNode s = JSON.readTree(stats.body());
        assertEquals(1, s.path("journey_version").asInt());
        assertEquals(4, s.path("entered").asLong());
        assertEquals(2, s.path("active").asLong());
        assertEquals(1, s.path("in_flight").path("nudge").asLong());
        assertEquals(1, s.path("exited").path("exit_criteria").asLong());
        assertEquals(2, s.path("steps").path("push").path("sent").asLong());
        assertTrue(JSON.readTree(get("journeys/welcome/stats", SECRET).body()).get("journey_version").isNull());

        JsonNode runs = JSON.readTree(get("persons/u1/journeys?limit=1", SECRET).body());
        assertEquals(1, runs.path("runs").size());
        assertEquals("active", runs.path("runs").get(0).path("status").asText());
        assertEquals("wait", runs.path("runs").get(0).path("step").asText());
        assertEquals(2, runs.path("runs").get(0).path("journey_version").asInt());

        for (String[] bad : new String[][] {{"journeys/welcome/stats?version=0", "version"}, {"journeys/welcome/stats?version=x", "version"},
                {"journeys/welcome/stats?vers=1", "vers"}, {"persons/u1/journeys?limit=501", "limit"}}) {
            HttpResponse<String> r = get(bad[0], SECRET);
            assertEquals(400, r.statusCode(), bad[0] + ": " + r.body());
            assertEquals("INVALID_PARAMETER", JSON.readTree(r.body()).path("error").path("code").asText());
            assertEquals(bad[1], JSON.readTree(r.body()).path("error").path("field").asText());
        }
        assertEquals(401, get("journeys/welcome/stats", null).statusCode());
    }

    @Test
    void shouldCountEnteredInFlightPerStepConvertedAndExitedOfOneVersionOnceEachDespiteTheReplayedCopies() {
        JourneyReport.Stats v1 = report.stats("shop", "welcome", OptionalInt.of(1));
        assertEquals(4, v1.entered());
        assertEquals(Map.of("wait", 1L, "nudge", 1L), v1.inFlight());
        assertEquals(2, v1.active());
        assertEquals(1, v1.converted());
        assertEquals(1, v1.completed());
        assertEquals(Map.of("exit_criteria", 1L), v1.exitedBy());
        assertEquals(new JourneyReport.StepStats(4, 2, 1, 1), v1.steps().get("push"));
        assertEquals(new JourneyReport.StepStats(4, 0, 0, 0), v1.steps().get("wait"));
        assertEquals(new JourneyReport.StepStats(1, 0, 0, 0), v1.steps().get("crm"));
        assertFalse(v1.steps().containsKey("-"));

        JourneyReport.Stats all = report.stats("shop", "welcome", OptionalInt.empty());
        assertEquals(5, all.entered());
        assertEquals(Map.of("wait", 2L, "nudge", 1L), all.inFlight());
        assertEquals(new JourneyReport.StepStats(5, 3, 1, 1), all.steps().get("push"));
        assertEquals(0, report.stats("shop", "other", OptionalInt.empty()).entered());
        assertEquals(0, report.stats("elsewhere", "welcome", OptionalInt.empty()).entered());
    }

    @Test
    void shouldListAPersonsRunsNewestFirstWithWhereEachStands() {
        List<JourneyReport.Run> runs = report.runsOf("shop", "u1", 10);
        assertEquals(2, runs.size());
        assertEquals(new JourneyReport.Run("welcome", 2, 2, T0 + 100_000, T0 + 100_003, "wait", "active", null, false), runs.get(0));
        assertEquals(new JourneyReport.Run("welcome", 1, 1, T0, T0 + 8, "done", "completed", null, true), runs.get(1));
        JourneyReport.Run exited = report.runsOf("shop", "u3", 10).get(0);
        assertEquals("exited", exited.status());
        assertEquals("exit_criteria", exited.reason());
        assertEquals("wait", exited.step());
        assertTrue(report.runsOf("shop", "nobody", 10).isEmpty());
        assertNull(report.runsOf("shop", "u2", 10).get(0).reason());
    }

    private static String json(Object row) {
        try {
            return EventCodec.mapper().writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
