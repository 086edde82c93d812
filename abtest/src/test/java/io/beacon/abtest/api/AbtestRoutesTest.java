package io.beacon.abtest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.beacon.abtest.AnalyticsQueries;
import io.beacon.abtest.Assignment;
import io.beacon.abtest.assignment.InMemoryStickyBucketStore;
import io.beacon.abtest.hashing.GrowthBookHash;
import io.beacon.abtest.runtime.Abtest;
import io.beacon.abtest.runtime.AbtestSettings;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.store.InMemoryConfigStore;
import io.beacon.event.RawEnvelope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API on an in-memory config store, a recording exposure sink and a canned warehouse. */
class AbtestRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<RawEnvelope> EXPOSURES = new CopyOnWriteArrayList<>();
    private static ActorSystem<Void> system;
    private static Abtest abtest;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        InMemoryConfigStore store = new InMemoryConfigStore();
        ProjectDirectory projects = new ProjectDirectory(store);
        projects.bootstrapProject("shop", "Shop", "wk_shop_0123456789abcdef", "sk_shop_0123456789abcdef");
        AnalyticsQueries warehouse = sql -> sql.contains("count() AS units FROM (\n    SELECT distinct_id FROM")
                ? new AnalyticsQueries.Rows(List.of("units"), List.of(List.of("0")))
                : sql.contains("sum_xy")
                ? new AnalyticsQueries.Rows(List.of("variation", "units", "conversions", "sum_y", "sum_y2", "sum_x", "sum_x2", "sum_xy"),
                        List.of(List.of("control", "1000", "100", "100", "100", "0", "0", "0"),
                                List.of("treatment", "1200", "150", "150", "150", "0", "0", "0")))
                : new AnalyticsQueries.Rows(List.of("variation", "units"), List.of(List.of("control", "1000"), List.of("treatment", "1200")));
        abtest = new Abtest(store, projects, new InMemoryStickyBucketStore(), envs -> {
            if (envs.stream().anyMatch(e -> e.payload().path("user_id").asText().startsWith("log-down"))) {
                return CompletableFuture.failedFuture(new IllegalStateException("the event log refuses these")); // an outage
            }
            EXPOSURES.addAll(envs);
            return CompletableFuture.completedFuture(null);
        }, warehouse, AbtestSettings.DEFAULTS, () -> 1_000L);
        system = ActorSystem.create(Behaviors.empty(), "abtest-routes", ConfigFactory.load());
        ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(abtest.routes()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        url = "http://127.0.0.1:" + binding.localAddress().getPort();
    }

    @AfterAll
    static void stop() {
        abtest.close();
        system.terminate();
    }

    private static HttpResponse<String> call(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(20));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(int status, HttpResponse<String> r) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void shouldRefuseRequestsWithoutAValidSecretKey() throws Exception {
        assertEquals(401, call("GET", "/api/v1/experiments", null, null).statusCode());
        assertEquals(401, call("GET", "/api/v1/experiments", null, "sk_wrong").statusCode());
    }

    @Test
    void shouldRunTheExperimentLifecycleWithVersions() throws Exception {
        JsonNode created = ok(201, call("POST", "/api/v1/experiments",
                "{\"key\":\"life\",\"variations\":[{\"key\":\"a\"},{\"key\":\"b\"}]}", "sk_shop_0123456789abcdef"));
        assertEquals(1, created.get("version").asInt());
        assertEquals("draft", created.get("status").asText());
        assertEquals(409, call("POST", "/api/v1/experiments", "{\"key\":\"life\",\"variations\":[{\"key\":\"a\"},{\"key\":\"b\"}]}",
                "sk_shop_0123456789abcdef").statusCode());
        JsonNode stale = ok(409, call("PATCH", "/api/v1/experiments/life", "{\"status\":\"running\",\"version\":5}", "sk_shop_0123456789abcdef"));
        assertEquals("VERSION_CONFLICT", stale.at("/error/code").asText());
        JsonNode running = ok(200, call("PATCH", "/api/v1/experiments/life", "{\"status\":\"running\",\"version\":1}", "sk_shop_0123456789abcdef"));
        assertEquals(1_000L, running.get("start_time").asLong());
        JsonNode back = ok(400, call("PATCH", "/api/v1/experiments/life", "{\"status\":\"draft\",\"version\":2}", "sk_shop_0123456789abcdef"));
        assertEquals("status", back.at("/error/field").asText());
        JsonNode rerandomized = ok(200, call("POST", "/api/v1/experiments/life/rerandomize", "{\"version\":2}", "sk_shop_0123456789abcdef"));
        assertEquals(1, rerandomized.get("bucket_version").asInt());
        assertEquals(204, call("DELETE", "/api/v1/experiments/life?version=3", null, "sk_shop_0123456789abcdef").statusCode());
        assertEquals(404, call("GET", "/api/v1/experiments/life", null, "sk_shop_0123456789abcdef").statusCode());
    }

    @Test
    void shouldAnswerFourHundredNamingTheFieldOfAMalformedDocument() throws Exception {
        JsonNode weight = ok(400, call("POST", "/api/v1/experiments",
                "{\"key\":\"m\",\"variations\":[{\"key\":\"a\",\"weight\":\"heavy\"},{\"key\":\"b\"}]}", "sk_shop_0123456789abcdef"));
        assertEquals("INVALID_DEFINITION", weight.at("/error/code").asText());
        assertEquals("variations[0].weight", weight.at("/error/field").asText());
        JsonNode status = ok(400, call("POST", "/api/v1/experiments",
                "{\"key\":\"m\",\"status\":\"paused\",\"variations\":[{\"key\":\"a\"},{\"key\":\"b\"}]}", "sk_shop_0123456789abcdef"));
        assertEquals("status", status.at("/error/field").asText());
        JsonNode coverage = ok(400, call("POST", "/api/v1/experiments",
                "{\"key\":\"m\",\"coverage\":2,\"variations\":[{\"key\":\"a\"},{\"key\":\"b\"}]}", "sk_shop_0123456789abcdef"));
        assertEquals("coverage", coverage.at("/error/field").asText());
        assertEquals("MALFORMED_JSON", ok(400, call("POST", "/api/v1/experiments", "{", "sk_shop_0123456789abcdef")).at("/error/code").asText());
        JsonNode misspelt = ok(400, call("POST", "/api/v1/experiments",
                "{\"key\":\"m\",\"goal\":{\"event\":\"x\"},\"variations\":[{\"key\":\"a\"},{\"key\":\"b\"}]}", "sk_shop_0123456789abcdef"));
        assertEquals("INVALID_DEFINITION", misspelt.at("/error/code").asText());
        assertEquals("goal", misspelt.at("/error/field").asText());
    }

    @Test
    void shouldAssignLikeGrowthBookLogExposuresAndServeTheSdkPayload() throws Exception {
        ok(201, call("POST", "/api/v1/experiments", "{\"key\":\"cta\",\"status\":\"running\",\"variations\":[{\"key\":\"blue\"},"
                + "{\"key\":\"green\"}],\"forced_variations\":{\"qa\":1}}", "sk_shop_0123456789abcdef"));
        JsonNode one = ok(200, call("GET", "/api/v1/assignments?user_id=alice&experiment=cta", null, "sk_shop_0123456789abcdef"));
        JsonNode a = one.at("/assignments/0");
        double expected = GrowthBookHash.hash("cta", "alice", 2).orElseThrow();
        assertEquals(expected, a.get("bucket").asDouble(), 1e-12);
        assertEquals(expected < 0.5 ? "blue" : "green", a.get("variation_key").asText());
        assertTrue(a.get("in_experiment").asBoolean());
        assertTrue(EXPOSURES.stream().anyMatch(e -> e.payload().path("user_id").asText().equals("alice")));

        JsonNode batch = ok(200, call("POST", "/api/v1/assignments",
                "{\"users\":[{\"user_id\":\"alice\"},{\"user_id\":\"qa\"}],\"experiments\":[\"cta\"]}", "sk_shop_0123456789abcdef"));
        assertEquals(a.get("variation_key"), batch.at("/results/0/assignments/0/variation_key"));
        assertTrue(batch.at("/results/0/assignments/0/sticky").asBoolean());
        assertTrue(batch.at("/results/1/assignments/0/forced").asBoolean());
        assertEquals("green", batch.at("/results/1/assignments/0/variation_key").asText());
        assertEquals("users[0].user_id", ok(400, call("POST", "/api/v1/assignments", "{\"users\":[{}]}", "sk_shop_0123456789abcdef")).at("/error/field").asText());

        JsonNode payload = ok(200, call("GET", "/api/features/wk_shop_0123456789abcdef", null, null));
        JsonNode rules = payload.at("/features/cta/rules");
        assertEquals("green", rules.get(0).get("force").asText());
        assertEquals("cta", rules.get(1).get("seed").asText());
        assertEquals(2, rules.get(1).get("hashVersion").asInt());
        assertEquals("user_id", rules.get(1).get("hashAttribute").asText());
        assertEquals(404, call("GET", "/api/features/wk_nope", null, null).statusCode());
    }

    @Test
    void shouldWriteTheAssignmentsAnswerAsTheTreeWouldBe() throws Exception {
        List<Assignment> list = List.of(
                new Assignment("e1", 1, "green", true, "user_id", "u\"1", 0.123456789, false, false, 2),
                new Assignment("e2", 0, "off", false, "device_id", "d", Double.NaN, true, true, 0));
        for (ObjectNode attributes : List.of(JSON.createObjectNode().put("user_id", "u\"1"),
                JSON.createObjectNode().put("user_id", 42).put("device_id", "d"))) {
            com.fasterxml.jackson.databind.node.ObjectNode expected = JSON.createObjectNode();
            for (String unit : List.of("user_id", "device_id")) {
                if (attributes.has(unit)) {
                    expected.set(unit, attributes.get(unit));
                }
            }
            com.fasterxml.jackson.databind.node.ArrayNode arr = expected.putArray("assignments");
            list.forEach(a -> arr.add(AbtestRoutes.assignmentJson(a)));
            var response = AbtestRoutes.assignmentsResponse(attributes, list);
            byte[] body = ((org.apache.pekko.http.javadsl.model.HttpEntity.Strict) response.entity()).getData().toArray();
            assertEquals(expected, JSON.readTree(body));
            assertEquals(200, response.status().intValue());
        }
    }

    @Test
    void shouldNotAnswerAnAssignmentWhoseExposureCannotBeLogged() throws Exception {
        ok(201, call("POST", "/api/v1/experiments", "{\"key\":\"outage\",\"status\":\"running\",\"variations\":[{\"key\":\"a\"},"
                + "{\"key\":\"b\"}]}", "sk_shop_0123456789abcdef"));
        // an answer without its exposure would be an exposure lost: 503, the client retries
        JsonNode refused = ok(503, call("GET", "/api/v1/assignments?user_id=log-down-1&experiment=outage", null, "sk_shop_0123456789abcdef"));
        assertEquals("EXPOSURE_LOG_UNAVAILABLE", refused.at("/error/code").asText());
        assertEquals("EXPOSURE_LOG_UNAVAILABLE", ok(503, call("POST", "/api/v1/assignments",
                "{\"users\":[{\"user_id\":\"fine\"},{\"user_id\":\"log-down-2\"}],\"experiments\":[\"outage\"]}",
                "sk_shop_0123456789abcdef")).at("/error/code").asText());
        // without exposure logging the same unit is answered
        JsonNode quiet = ok(200, call("GET", "/api/v1/assignments?user_id=log-down-1&experiment=outage&log_exposures=false", null,
                "sk_shop_0123456789abcdef"));
        assertEquals("outage", quiet.at("/assignments/0/experiment").asText());
    }

    @Test
    void shouldServeResultsWithTheSrmCheck() throws Exception {
        ok(201, call("POST", "/api/v1/experiments", "{\"key\":\"res\",\"status\":\"running\",\"variations\":[{\"key\":\"control\"},"
                + "{\"key\":\"treatment\"}],\"goal_metrics\":[{\"event\":\"purchase\"}]}", "sk_shop_0123456789abcdef"));
        JsonNode r = ok(200, call("GET", "/api/v1/experiments/res/results?cuped=false&sequential=true", null, "sk_shop_0123456789abcdef"));
        assertEquals(18.1818, r.at("/srm/chi_square").asDouble(), 1e-4);
        assertTrue(r.at("/srm/flagged").asBoolean());
        assertEquals("srm", r.at("/goals/0/comparisons/0/decision").asText());
        assertEquals(0.25, r.at("/goals/0/comparisons/0/frequentist/lift").asDouble(), 1e-9);
        assertTrue(r.at("/goals/0/comparisons/0/sequential/ci_lower").isNumber());
    }
}
