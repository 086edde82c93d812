package io.beacon.cdp.api;

import static io.beacon.cdp.log.DeliveryLogFixtures.NOW;
import static io.beacon.cdp.log.DeliveryLogFixtures.PROJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.beacon.cdp.log.DeliveryLog;
import io.beacon.cdp.log.DeliveryLogFixtures;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.project.ProjectKeys;
import io.beacon.control.store.InMemoryConfigStore;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /api/v1/destinations/…/stats|attempts} over HTTP, on a real ClickHouse (18.16, and 26.x with
 * {@code -Dbeacon.test.clickhouse-engine=chdb}) holding {@link DeliveryLogFixtures#attempts()}.
 */
@ExtendWith(BeaconStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryLogRoutesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double EXACT = 1e-6;

    private ClickHouse clickhouse;
    private ClickHouse missingDatabase;
    private ProjectDirectory projects;
    private ExecutorService executor;
    private ActorSystem system;
    private final List<ServerBinding> bindings = new ArrayList<>();
    private String base;
    private String brokenBase;
    private String key;
    private String otherKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Reply(int status, JsonNode body) {
        String errorCode() {
            return body.path("error").path("code").asText();
        }

        String errorField() {
            return body.path("error").path("field").asText();
        }
    }

    @BeforeAll
    void start(TestStack stack) throws Exception {
        clickhouse = DeliveryLogFixtures.database(stack, "dlroutes");
        DeliveryLogFixtures.insert(clickhouse);
        missingDatabase = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), stack.uniqueName("nosuchdb")));
        projects = new ProjectDirectory(new InMemoryConfigStore());
        key = project(PROJECT).secretKey();
        otherKey = project("empty").secretKey();
        executor = Executors.newFixedThreadPool(2);
        system = ActorSystem.create("delivery-log-routes-it", ConfigFactory.parseString("pekko.loglevel = WARNING")
                .withFallback(ConfigFactory.defaultReference()));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        base = bind(new DeliveryLogRoutes(projects, new DeliveryLog(clickhouse, clock), executor).routes());
        brokenBase = bind(new DeliveryLogRoutes(projects, new DeliveryLog(missingDatabase, clock), executor).routes());
    }

    private Project project(String id) {
        Project p = new Project(id, "Project " + id, "UTC", EnforcementMode.STRICT, ProjectKeys.newWriteKey(),
                ProjectKeys.newSecretKey(), ProjectKeys.newPiiSecret());
        projects.create(p).toCompletableFuture().join();
        return p;
    }

    /** Binds {@code route} under {@code /api/v1}, as the connectors' facade mounts it. */
    private String bind(Route route) throws Exception {
        Route mounted = Directives.pathPrefix("api", () -> Directives.pathPrefix("v1", () -> route));
        ServerBinding b = Http.get(system).newServerAt("127.0.0.1", 0).bind(mounted).toCompletableFuture().get(30, TimeUnit.SECONDS);
        bindings.add(b);
        return "http://127.0.0.1:" + b.localAddress().getPort();
    }

    @AfterAll
    void stop() throws Exception {
        for (ServerBinding b : bindings) {
            b.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (system != null) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        executor.shutdownNow();
        projects.close();
        missingDatabase.close();
        clickhouse.close();
    }

    private Reply get(String root, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(20)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().trim().startsWith("{") ? JSON.readTree(r.body()) : JSON.createObjectNode();
        return new Reply(r.statusCode(), json);
    }

    private Reply get(String path) throws IOException, InterruptedException {
        return get(base, path, key);
    }

    private static List<String> texts(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }

    @Test
    void shouldAnswerADestinationsStatsOverTheWindow() throws Exception {
        Reply r = get("/api/v1/destinations/dst_a/stats?window=24h");

        assertEquals(200, r.status(), r.body().toString());
        JsonNode b = r.body();
        assertEquals("dst_a", b.path("destination_id").asText());
        assertEquals("PT24H", b.path("window").asText());
        assertEquals("2026-12-06T12:00:00Z", b.path("from").asText());
        assertEquals("2026-12-07T12:00:00Z", b.path("to").asText());
        assertEquals(6, b.path("attempts").asLong());
        assertEquals(4, b.path("messages").asLong());
        assertEquals(2, b.path("delivered").asLong());
        assertEquals(JSON.readTree("{\"retry\":2,\"throttled\":1,\"dead_lettered\":1}"), b.path("failed"));
        assertEquals(0.5, b.path("success_rate").asDouble(), EXACT);
        assertEquals(35, b.path("latency_ms").path("p50").asDouble(), EXACT);
        assertEquals(11_275, b.path("latency_ms").path("p95").asDouble(), EXACT);
        assertEquals(14_255, b.path("latency_ms").path("p99").asDouble(), EXACT);
        assertEquals("2026-12-07T11:50:00Z", b.path("last_attempt_at").asText());

        assertEquals(6, get("/api/v1/destinations/dst_a/stats").body().path("attempts").asLong(), "24 h by default");
        assertEquals(2, get("/api/v1/destinations/dst_a/stats?window=PT1H").body().path("attempts").asLong());
        assertEquals(2, get("/api/v1/destinations/dst_a/stats?window=60m").body().path("attempts").asLong());
        assertEquals(7, get("/api/v1/destinations/dst_a/stats?window=2d").body().path("attempts").asLong());
        assertEquals(1, get("/api/v1/destinations/dst%27x%5C/stats").body().path("attempts").asLong(), "an id with a quote and a backslash");
    }

    @Test
    void shouldAnswerZerosAndNullsForADestinationWithoutAttempts() throws Exception {
        Reply r = get("/api/v1/destinations/dst_none/stats?window=7d");

        assertEquals(200, r.status(), r.body().toString());
        assertEquals(0, r.body().path("attempts").asLong());
        assertTrue(r.body().path("success_rate").isNull());
        assertTrue(r.body().path("latency_ms").isNull());
        assertTrue(r.body().path("last_attempt_at").isNull());
        assertEquals(0, get(base, "/api/v1/destinations/dst_a/stats", otherKey).body().path("attempts").asLong(),
                "another project's key sees nothing of shop");
    }

    @Test
    void shouldListTheStatsOfEveryDestinationOfTheProject() throws Exception {
        Reply r = get("/api/v1/destinations/stats?window=24h");

        assertEquals(200, r.status(), r.body().toString());
        assertEquals(List.of("dst'x\\", "dst_a", "dst_b"), texts(r.body().path("destinations"), "destination_id"));
        assertEquals(List.of("1", "6", "1"), texts(r.body().path("destinations"), "attempts"));
        assertEquals(1.0, r.body().path("destinations").get(2).path("success_rate").asDouble(), EXACT);
        assertEquals("PT24H", r.body().path("window").asText());
        assertEquals(0, get(base, "/api/v1/destinations/stats", otherKey).body().path("destinations").size());
    }

    @Test
    void shouldListADestinationsAttemptsNewestFirst() throws Exception {
        Reply r = get("/api/v1/destinations/dst_a/attempts?limit=3");

        assertEquals(200, r.status(), r.body().toString());
        assertEquals("dst_a", r.body().path("destination_id").asText());
        JsonNode attempts = r.body().path("attempts");
        assertEquals(List.of("msg_4", "msg_3", "msg_3"), texts(attempts, "message_id"));
        assertEquals(JSON.readTree("{\"project_id\":\"shop\",\"destination_id\":\"dst_a\",\"person_id\":\"u_msg_4\",\"message_id\":\"msg_4\","
                + "\"type\":\"segment.entered\",\"attempt\":1,\"at_ms\":" + (NOW.toEpochMilli() - 600_000) + ",\"status\":0,\"outcome\":\"retry\","
                + "\"latency_ms\":15000,\"error\":\"timeout after 15 s\",\"response_body\":null,\"at\":\"2026-12-07T11:50:00Z\"}"), attempts.get(0));

        assertEquals(7, get("/api/v1/destinations/dst_a/attempts").body().path("attempts").size(), "50 by default, no window");
        assertEquals(7, get("/api/v1/destinations/dst_a/attempts?message_id=").body().path("attempts").size(), "an empty message_id filters nothing");
        Reply one = get("/api/v1/destinations/dst_a/attempts?message_id=msg_1&limit=500");
        assertEquals(List.of("2", "1"), texts(one.body().path("attempts"), "attempt"));
        assertEquals("HTTP 500\tInternal\nError", one.body().path("attempts").get(1).path("error").asText());
        assertEquals(0, get("/api/v1/destinations/dst_a/attempts?message_id=x%27%20OR%201%3D1%20--").body().path("attempts").size());
    }

    @Test
    void shouldRefuseAMalformedWindowOrLimitWith400NamingTheField() throws Exception {
        for (String window : List.of("abc", "24", "0m", "30s", "PT30S", "367d", "-1h", "P1Y", "9999999d", "24h%20", "%00")) {
            Reply r = get("/api/v1/destinations/dst_a/stats?window=" + window);
            assertEquals(400, r.status(), window + ": " + r.body());
            assertEquals("window", r.errorField(), window);
            assertEquals("INVALID_WINDOW", r.errorCode(), window);
            assertEquals(400, get("/api/v1/destinations/stats?window=" + window).status(), window);
        }
        for (String limit : List.of("0", "501", "-5", "ten", "1.5", "", "99999999999")) {
            Reply r = get("/api/v1/destinations/dst_a/attempts?limit=" + limit);
            assertEquals(400, r.status(), limit + ": " + r.body());
            assertEquals("limit", r.errorField(), limit);
            assertEquals("INVALID_LIMIT", r.errorCode(), limit);
        }
        Reply unknown = get("/api/v1/destinations/dst_a/attempts?limt=5");
        assertEquals(400, unknown.status());
        assertEquals("limt", unknown.errorField());
        assertEquals("UNKNOWN_PARAMETER", unknown.errorCode());
        Reply control = get("/api/v1/destinations/dst_a/attempts?message_id=a%01b");
        assertEquals(400, control.status(), control.body().toString());
        assertEquals("message_id", control.errorField());
    }

    @Test
    void shouldAskForTheSecretKey() throws Exception {
        assertEquals(401, get(base, "/api/v1/destinations/dst_a/stats", null).status());
        Reply wrong = get(base, "/api/v1/destinations/stats", "sk_not_a_key");
        assertEquals(401, wrong.status());
        assertEquals("UNAUTHORIZED", wrong.errorCode());
    }

    @Test
    void shouldAnswer502WhenClickHouseRefusesTheRead() throws Exception {
        Reply r = get(brokenBase, "/api/v1/destinations/dst_a/stats", key);

        assertEquals(502, r.status(), r.body().toString());
        assertEquals("WAREHOUSE_ERROR", r.errorCode());
        assertEquals(502, get(brokenBase, "/api/v1/destinations/dst_a/attempts", key).status());
    }
}
