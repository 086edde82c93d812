package io.beacon.control.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.audience.Rule;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /api/v1/segments} through the control plane's routes, on the real broker's config topic. */
@ExtendWith(BeaconStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentRoutesIT {
    private static final String ADMIN = "admin-token-for-segment-tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPEAT_BUYERS = "{\"and\":[{\"event_count\":{\"event\":\"purchase\",\"window\":\"7d\",\"op\":\"gte\",\"value\":2}},"
            + "{\"not\":{\"not_seen_for\":\"P3D\"}}]}";

    private TestStack stack;
    private ControlPlane controlPlane;
    private ActorSystem system;
    private ServerBinding binding;
    private String base;
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
        this.stack = stack;
        ControlPlaneSettings settings = ControlPlaneSettings.fromConfig(ConfigFactory.parseMap(Map.of(
                        "beacon.kafka.bootstrap-servers", stack.bootstrapServers(),
                        "beacon.kafka.topic-prefix", stack.uniqueName("seg") + ".",
                        "beacon.control-plane.admin-token", ADMIN))
                .withFallback(ConfigFactory.defaultReference()));
        controlPlane = ControlPlane.start(settings);
        system = ActorSystem.create("segment-routes-it", ConfigFactory.parseString("pekko.loglevel = WARNING")
                .withFallback(ConfigFactory.defaultReference()));
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(controlPlane.routes())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + binding.localAddress().getPort();
    }

    @AfterAll
    void stop() throws Exception {
        if (binding != null) {
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (system != null) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    private Reply call(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isEmpty() || !r.body().trim().startsWith("{") ? JSON.createObjectNode() : JSON.readTree(r.body());
        return new Reply(r.statusCode(), json);
    }

    /** A new project's secret key. */
    private String newProject() throws Exception {
        String id = stack.uniqueName("p").replace('_', '-');
        Reply r = call("POST", "/api/v1/projects", ADMIN, "{\"id\":\"" + id + "\",\"name\":\"Shop\"}");
        assertEquals(201, r.status(), r.body().toString());
        return r.body().path("secret_key").asText();
    }

    @Test
    void shouldCreateReadUpdateAndDeleteASegment() throws Exception {
        String key = newProject();

        Reply created = call("POST", "/api/v1/segments", key, "{\"id\":\"repeat\",\"name\":\"Repeat buyers\",\"rule\":" + REPEAT_BUYERS + "}");
        assertEquals(201, created.status(), created.body().toString());
        assertEquals("repeat", created.body().path("id").asText());
        assertEquals(1, created.body().path("version").asLong());
        assertEquals(JSON.readTree(REPEAT_BUYERS), created.body().path("rule"));
        assertTrue(created.body().path("updated_at").asText().endsWith("Z"));

        Reply generated = call("POST", "/api/v1/segments", key, "{\"name\":\"Active\",\"rule\":{\"last_seen_within\":\"PT24H\"}}");
        assertEquals(201, generated.status(), generated.body().toString());
        String genId = generated.body().path("id").asText();
        assertTrue(genId.matches("seg_[a-z0-9]{16}"), genId);

        Reply listed = call("GET", "/api/v1/segments", key, null);
        assertEquals(200, listed.status());
        List<String> ids = StreamSupport.stream(listed.body().path("segments").spliterator(), false).map(n -> n.path("id").asText()).toList();
        assertEquals(List.of("repeat", genId), ids);

        Reply updated = call("PUT", "/api/v1/segments/repeat", key,
                "{\"version\":1,\"name\":\"Repeat buyers (3)\",\"rule\":{\"event_count\":{\"event\":\"purchase\",\"window\":\"30d\",\"op\":\"gte\",\"value\":3}}}");
        assertEquals(200, updated.status(), updated.body().toString());
        assertEquals(2, updated.body().path("version").asLong());
        Reply read = call("GET", "/api/v1/segments/repeat", key, null);
        assertEquals("30d", read.body().path("rule").path("event_count").path("window").asText());
        assertEquals("Repeat buyers (3)", read.body().path("name").asText());
        assertEquals(3, controlPlane.segments().get(read.body().path("project_id").asText(), "repeat").orElseThrow()
                .rule() instanceof Rule.EventCount c ? c.value() : -1);

        Reply deleted = call("DELETE", "/api/v1/segments/repeat?version=2", key, null);
        assertEquals(204, deleted.status());
        assertEquals(404, call("GET", "/api/v1/segments/repeat", key, null).status());
    }

    @Test
    void shouldRejectAnInvalidRuleNamingItsJsonPath() throws Exception {
        String key = newProject();

        Reply r = call("POST", "/api/v1/segments", key, "{\"name\":\"x\",\"rule\":{\"and\":[{\"last_seen_within\":\"P1D\"},"
                + "{\"event_count\":{\"event\":\"purchase\",\"window\":\"2w\",\"op\":\"gte\",\"value\":2}}]}}");

        assertEquals(400, r.status());
        assertEquals("INVALID_DEFINITION", r.errorCode());
        assertEquals("rule.and[1].event_count.window", r.errorField());
    }

    @Test
    void shouldAnswerMalformedRequestsWith4xxCodes() throws Exception {
        String key = newProject();
        assertEquals("MALFORMED_JSON", call("POST", "/api/v1/segments", key, "{\"name\":").errorCode());
        assertEquals("NOT_AN_OBJECT", call("POST", "/api/v1/segments", key, "[1]").errorCode());
        Reply unknown = call("POST", "/api/v1/segments", key, "{\"name\":\"x\",\"rul\":{}}");
        assertEquals(400, unknown.status());
        assertEquals("rul", unknown.errorField());
        Reply noRule = call("POST", "/api/v1/segments", key, "{\"name\":\"x\"}");
        assertEquals("rule", noRule.errorField());
        assertEquals(401, call("GET", "/api/v1/segments", null, null).status());
        assertEquals(401, call("GET", "/api/v1/segments", "sk_not_a_key", null).status());

        call("POST", "/api/v1/segments", key, "{\"id\":\"a\",\"name\":\"A\",\"rule\":{\"last_seen_within\":\"P1D\"}}");
        Reply twice = call("POST", "/api/v1/segments", key, "{\"id\":\"a\",\"name\":\"A\",\"rule\":{\"last_seen_within\":\"P1D\"}}");
        assertEquals(409, twice.status());
        assertEquals("ALREADY_EXISTS", twice.errorCode());
        Reply noVersion = call("PUT", "/api/v1/segments/a", key, "{\"name\":\"A\",\"rule\":{\"last_seen_within\":\"P2D\"}}");
        assertEquals("MISSING_VERSION", noVersion.errorCode());
        Reply stale = call("PUT", "/api/v1/segments/a", key, "{\"version\":7,\"name\":\"A\",\"rule\":{\"last_seen_within\":\"P2D\"}}");
        assertEquals(409, stale.status());
        assertEquals("VERSION_CONFLICT", stale.errorCode());
        Reply otherId = call("PUT", "/api/v1/segments/a", key, "{\"version\":1,\"id\":\"b\",\"name\":\"A\",\"rule\":{\"last_seen_within\":\"P2D\"}}");
        assertEquals("id", otherId.errorField());
        assertEquals(404, call("PUT", "/api/v1/segments/nope", key, "{\"version\":1,\"name\":\"A\",\"rule\":{\"last_seen_within\":\"P2D\"}}").status());
        assertEquals("MISSING_VERSION", call("DELETE", "/api/v1/segments/a", key, null).errorCode());
        assertEquals(404, call("DELETE", "/api/v1/segments/nope?version=1", key, null).status());
    }

    @Test
    void shouldKeepProjectsApartAndLeaveDeeperPathsToTheEngine() throws Exception {
        String mine = newProject();
        String theirs = newProject();
        call("POST", "/api/v1/segments", mine, "{\"id\":\"vip\",\"name\":\"VIP\",\"rule\":{\"score\":{\"name\":\"ltv\",\"op\":\"gte\",\"value\":1000}}}");

        assertEquals(404, call("GET", "/api/v1/segments/vip", theirs, null).status());
        assertEquals(0, call("GET", "/api/v1/segments", theirs, null).body().path("segments").size());
        // members and stats are the engine's routes: not matched here (no route → 404 from the server)
        Reply members = call("GET", "/api/v1/segments/vip/members", mine, null);
        assertEquals(404, members.status());
        assertTrue(members.body().isEmpty(), "pekko's unmatched-route answer, not a segment API error: " + members.body());
    }
}
