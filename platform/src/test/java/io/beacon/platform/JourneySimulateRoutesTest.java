package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.journeys.JourneyContext;
import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyJson;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.control.store.InMemoryConfigStore;
import io.beacon.engine.state.EngineSettings;
import io.beacon.event.Event;
import io.beacon.event.EventType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/journeys/{id}/simulate} over HTTP on an in-memory config store and a fake history port. */
class JourneySimulateRoutesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "sk_test_simulate_0123456789";
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    /** Entered by signup: a push, then up to two days waiting for a purchase, else a nudge. */
    private static final String NUDGE = """
            {"id":"nudge","name":"Nudge","status":"live","journey_version":3,
             "trigger":{"type":"event","event":"signup"},"entry":"p",
             "steps":{"p":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"Hi"},"next":"wait"},
                      "wait":{"type":"wait_until","event":{"event":"purchase"},"max_wait":"P2D","next":"done","timeout_next":"n"},
                      "n":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"Still there?"},"next":"done"},
                      "done":{"type":"exit"}}}""";
    private static final FakeHistory HISTORY = new FakeHistory();
    private static ActorSystem system;
    private static ServerBinding binding;

    /** Events by person; remembers the ranges asked for; counts {@code count} when set. */
    static final class FakeHistory implements JourneyHistory {
        final Map<String, List<Event>> events = new LinkedHashMap<>();
        final List<String> asked = new ArrayList<>();
        long count = -1;

        @Override
        public long count(String projectId, String personId, long fromMs, long toMs) {
            asked.add(personId + " " + Instant.ofEpochMilli(fromMs) + " " + Instant.ofEpochMilli(toMs));
            return count >= 0 ? count : read(projectId, personId, fromMs, toMs).values().stream().mapToLong(List::size).sum();
        }

        @Override
        public Map<String, List<Event>> read(String projectId, String personId, long fromMs, long toMs) {
            Map<String, List<Event>> out = new LinkedHashMap<>();
            events.forEach((p, es) -> {
                List<Event> in = es.stream().filter(e -> (personId == null || personId.equals(p))
                        && e.eventTime() >= fromMs && e.eventTime() <= toMs).toList();
                if (!in.isEmpty()) {
                    out.put(p, in);
                }
            });
            return out;
        }
    }

    private static Event event(String person, String id, EventType type, String name, String at, Map<String, Object> traits) {
        long t = Instant.parse(at).toEpochMilli();
        return new Event(id, "shop", type, name, person, null, "s", t, t, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, Map.of(), traits, List.of(), person);
    }

    @BeforeAll
    static void start() throws Exception {
        InMemoryConfigStore store = new InMemoryConfigStore();
        ControlPlane cp = new ControlPlane(store, ControlPlaneSettings.fromConfig(ConfigFactory.load()));
        cp.projects().create(new Project("shop", "Shop", "UTC", EnforcementMode.PERMISSIVE, "wk_test_simulate_0123456789", SECRET,
                "pii_test_simulate_0123456789")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        JourneyDefinition nudge = JourneyJson.parse("shop", null, (ObjectNode) JSON.readTree(NUDGE), JourneyContext.unchecked());
        store.put(JourneyDefinition.key("shop", "nudge"), JourneyJson.toDocument(nudge), 0);
        HISTORY.events.put("u1", List.of(event("u1", "e1", EventType.IDENTIFY, "$identify", "2026-10-02T08:00:00Z",
                Map.of("timezone", "Europe/Berlin"))));
        HISTORY.events.put("u2", List.of(event("u2", "e2", EventType.TRACK, "signup", "2026-11-10T12:00:00Z", Map.of()),
                event("u2", "e3", EventType.TRACK, "purchase", "2026-11-11T12:00:00Z", Map.of())));
        HISTORY.events.put("u3", List.of(event("u3", "e4", EventType.TRACK, "signup", "2026-11-20T12:00:00Z", Map.of())));
        JourneySimulateRoutes routes = new JourneySimulateRoutes(cp.projects(), cp.journeys(), cp.segments(), HISTORY,
                EngineSettings.defaults(), 1_000, Clock.fixed(NOW, ZoneOffset.UTC), Runnable::run);
        system = ActorSystem.create("journey-simulate-test");
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(routes.routes()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    private static HttpResponse<String> post(String id, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort()
                        + "/api/v1/journeys/" + id + "/simulate"))
                .header("Authorization", "Bearer " + SECRET).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(String id, String body) throws Exception {
        HttpResponse<String> r = post(id, body);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static void refused(int status, String code, String field, String id, String body) throws Exception {
        HttpResponse<String> r = post(id, body);
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals(code, error.path("code").asText(), r.body());
        assertEquals(field, error.path("field").asText(), r.body());
    }

    @Test
    void shouldShowTheUsersPathFromNowInTheirZoneWithoutSending() throws Exception {
        JsonNode o = ok("nudge", "{\"user_id\":\"u1\"}");

        assertEquals("path", o.path("mode").asText());
        assertEquals(3, o.path("journey_version").asInt());
        assertEquals("Europe/Berlin", o.path("zone").asText());
        assertEquals(1, o.path("history_events").asInt());
        assertEquals("completed", o.path("ending").asText());
        assertEquals(false, o.path("sent").asBoolean());
        assertEquals(List.of("journey/nudge/v3/u1/1/p", "journey/nudge/v3/u1/1/n"),
                o.path("sends").findValuesAsText("message_key"));
        assertEquals("2026-12-03T10:00:00Z", o.path("sends").get(1).path("at").asText());
        assertTrue(o.path("assumptions").get(0).asText().startsWith("assumes no further events"), o.toString());
    }

    @Test
    void shouldForecastTheRangeInTheProjectsZoneWithTheLookbackBuildingStateOnly() throws Exception {
        JsonNode o = ok("nudge", "{\"from\":\"2026-11-15\",\"to\":\"2026-11-30\",\"sample_paths\":1}");

        assertEquals("forecast", o.path("mode").asText());
        assertEquals("2026-11-15T00:00:00Z", o.path("from").asText());
        assertEquals("2026-11-30T23:59:59.999Z", o.path("to").asText());
        assertEquals("2026-08-17T00:00:00Z", o.path("history_from").asText());
        // u2 signed up before the range: state only; u3 signed up inside it, got the push and the nudge
        assertEquals(1, o.path("entered_persons").asInt());
        assertEquals(2, o.path("sent").path("push").asInt());
        assertEquals(1, o.path("completed").asInt());
        assertEquals("u3", o.path("sample_paths").get(0).path("person_id").asText());
    }

    @Test
    void shouldSimulateAnUnsavedDraftAndNameTheFieldOfAnInvalidOne() throws Exception {
        JsonNode o = ok("draft1", "{\"user_id\":\"u9\",\"definition\":{\"name\":\"D\",\"trigger\":{\"type\":\"event\",\"event\":\"signup\"},"
                + "\"entry\":\"d\",\"steps\":{\"d\":{\"type\":\"delay\",\"duration\":\"P1D\",\"next\":\"done\"},\"done\":{\"type\":\"exit\"}}}}");
        assertEquals("draft1", o.path("journey_id").asText());
        assertEquals("completed", o.path("ending").asText());
        assertEquals(0, o.path("history_events").asInt());

        refused(400, "INVALID_DEFINITION", "definition.steps.p.destination_id", "draft2", "{\"user_id\":\"u1\",\"definition\":" + NUDGE.replace("\"nudge\"", "\"draft2\"") + "}");
    }

    @Test
    void shouldRefuseAnswersItCannotGiveNamingTheField() throws Exception {
        refused(400, "INVALID_REQUEST", "user_id", "nudge", "{\"user_id\":\"u1\",\"from\":\"2026-11-01\",\"to\":\"2026-11-02\"}");
        refused(400, "INVALID_REQUEST", "user_id", "nudge", "{}");
        refused(400, "INVALID_REQUEST", "to", "nudge", "{\"from\":\"2026-11-01\"}");
        refused(400, "INVALID_REQUEST", "from", "nudge", "{\"from\":\"Nov 1\",\"to\":\"2026-11-02\"}");
        refused(400, "INVALID_REQUEST", "to", "nudge", "{\"from\":\"2026-11-05\",\"to\":\"2026-11-02\"}");
        refused(400, "INVALID_REQUEST", "horizon", "nudge", "{\"user_id\":\"u1\",\"horizon\":\"-P1D\"}");
        refused(400, "INVALID_REQUEST", "send", "nudge", "{\"user_id\":\"u1\",\"send\":true}");
        refused(404, "NOT_FOUND", "", "nowhere", "{\"user_id\":\"u1\"}");
    }

    @Test
    void shouldRefuseARangeHoldingMoreEventsThanTheLimit() throws Exception {
        HISTORY.count = 1_001;
        try {
            refused(400, "TOO_LARGE", "range", "nudge", "{\"from\":\"2026-01-01\",\"to\":\"2026-11-30\"}");
            refused(400, "TOO_LARGE", "user_id", "nudge", "{\"user_id\":\"u1\"}");
        } finally {
            HISTORY.count = -1;
        }
    }
}
