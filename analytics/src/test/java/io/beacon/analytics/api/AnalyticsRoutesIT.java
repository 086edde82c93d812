package io.beacon.analytics.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.analytics.AnalyticsSettings;
import io.beacon.analytics.runtime.Analytics;
import io.beacon.analytics.testing.AnalyticsDb;
import io.beacon.analytics.testing.TestEvent;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.store.InMemoryConfigStore;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP surface: secret-key auth, 400 naming the field, 200 with SQL and timing. */
@ExtendWith(BeaconStackExtension.class)
class AnalyticsRoutesIT {
    private static final String SECRET = "sk_test_secret_0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AnalyticsDb db;
    private static ActorSystem<Void> system;
    private static ServerBinding binding;
    private static Analytics analytics;
    private static String base;

    @BeforeAll
    static void start(TestStack stack) throws Exception {
        db = new AnalyticsDb(stack, "routes");
        db.insert("pr", List.of(new TestEvent("r1", "u1", "view", 1_772_400_000_000L, "DE", Map.of())));
        InMemoryConfigStore store = new InMemoryConfigStore();
        ProjectDirectory projects = new ProjectDirectory(store);
        projects.create(new Project("pr", "Routes", "Europe/Berlin", EnforcementMode.PERMISSIVE, "wk_test_write_0123456789", SECRET,
                "pii_test_secret_0123456789")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        analytics = new Analytics(projects, store, io.beacon.analytics.Warehouse.of(db.clickhouse()), AnalyticsSettings.defaults());
        system = ActorSystem.create(Behaviors.empty(), "routes");
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(AnalyticsApi.routes(analytics)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + binding.localAddress().getPort() + "/api/v1/insights/";
    }

    @AfterAll
    static void stop() throws Exception {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        system.terminate();
        analytics.close();
        db.close();
    }

    private static HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldRefuseAMissingOrWrongSecretKey() throws Exception {
        assertEquals(401, post("trends", null, "{}").statusCode());
        assertEquals(401, post("trends", "nope-nope-nope-nope", "{}").statusCode());
    }

    @Test
    void shouldAnswer400NamingTheField() throws Exception {
        HttpResponse<String> r = post("funnels", SECRET, "{\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-02\"},\"steps\":[]}");
        assertEquals(400, r.statusCode());
        assertEquals("steps", JSON.readTree(r.body()).at("/error/field").asText());
        HttpResponse<String> unknown = post("magic", SECRET, "{}");
        assertEquals(400, unknown.statusCode());
        assertEquals("analysis", JSON.readTree(unknown.body()).at("/error/field").asText());
    }

    @Test
    void shouldAnswerATrendWithItsSqlAndTimingInTheProjectZone() throws Exception {
        HttpResponse<String> r = post("trends", SECRET, "{\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-02\"},\"series\":[{\"event\":\"view\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("Europe/Berlin", body.get("timezone").asText());
        // 2026-03-01T21:20Z is 22:20 on 1 March in Berlin.
        assertEquals(1.0, body.at("/series/0/values/0").asDouble());
        assertEquals(0.0, body.at("/series/0/values/1").asDouble());
        assertTrue(body.at("/queries/0/sql").asText().contains("FROM events FINAL"));
        assertTrue(body.has("millis"));
    }
}
