package io.beacon.control.journeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /api/v1/journeys} through the control plane's routes, on the real broker's config topic. */
@ExtendWith(BeaconStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JourneyRoutesIT {
    private static final String ADMIN = "admin-token-for-journey-tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Signup → wait up to 2 days for a purchase → exit, or a 1-day delay then exit. */
    private static final String V1_STEPS = "{\"wait\":{\"type\":\"wait_until\",\"event\":{\"event\":\"purchase\"},\"max_wait\":\"P2D\","
            + "\"next\":\"done\",\"timeout_next\":\"later\"},\"later\":{\"type\":\"delay\",\"duration\":\"P1D\",\"next\":\"done\"},"
            + "\"done\":{\"type\":\"exit\"}}";
    /** v2: the delay is now 'rest' of 12 hours. */
    private static final String V2_STEPS = "{\"wait\":{\"type\":\"wait_until\",\"event\":{\"event\":\"purchase\"},\"max_wait\":\"P2D\","
            + "\"next\":\"done\",\"timeout_next\":\"rest\"},\"rest\":{\"type\":\"delay\",\"duration\":\"PT12H\",\"next\":\"done\"},"
            + "\"done\":{\"type\":\"exit\"}}";

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

        List<String> errorFields() {
            List<String> out = new ArrayList<>();
            body.path("error").path("errors").forEach(e -> out.add(e.path("field").asText()));
            return out;
        }
    }

    @BeforeAll
    void start(TestStack stack) throws Exception {
        this.stack = stack;
        ControlPlaneSettings settings = ControlPlaneSettings.fromConfig(ConfigFactory.parseMap(Map.of(
                        "beacon.kafka.bootstrap-servers", stack.bootstrapServers(),
                        "beacon.kafka.topic-prefix", stack.uniqueName("jny") + ".",
                        "beacon.control-plane.admin-token", ADMIN))
                .withFallback(ConfigFactory.defaultReference()));
        controlPlane = ControlPlane.start(settings);
        system = ActorSystem.create("journey-routes-it", ConfigFactory.parseString("pekko.loglevel = WARNING")
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

    private String newProject() throws Exception {
        String id = stack.uniqueName("p").replace('_', '-');
        Reply r = call("POST", "/api/v1/projects", ADMIN, "{\"id\":\"" + id + "\",\"name\":\"Shop\"}");
        assertEquals(201, r.status(), r.body().toString());
        return r.body().path("secret_key").asText();
    }

    private static String journey(String id, String status, String entry, String steps) {
        return "{\"id\":\"" + id + "\",\"name\":\"Welcome\",\"status\":\"" + status + "\",\"trigger\":{\"type\":\"event\",\"event\":\"signup\"},"
                + "\"entry\":\"" + entry + "\",\"steps\":" + steps + "}";
    }

    @Test
    void shouldRefuseInvalidGraphsWith400NamingTheStepAndWriteNothing() throws Exception {
        String key = newProject();
        String[][] cases = {
                // dangling reference
                {"{\"a\":{\"type\":\"delay\",\"duration\":\"P1D\",\"next\":\"nowhere\"},\"z\":{\"type\":\"exit\"}}", "steps.a.next", "a"},
                // unreachable step
                {"{\"a\":{\"type\":\"delay\",\"duration\":\"P1D\",\"next\":\"z\"},\"orphan\":{\"type\":\"delay\",\"duration\":\"P1D\",\"next\":\"z\"},"
                        + "\"z\":{\"type\":\"exit\"}}", "steps.orphan", "orphan"},
                // a cycle without a delay or a wait
                {"{\"a\":{\"type\":\"update_traits\",\"set\":{\"x\":1},\"next\":\"b\"},\"b\":{\"type\":\"branch\","
                        + "\"condition\":{\"trait\":{\"name\":\"x\",\"op\":\"eq\",\"value\":1}},\"then\":\"a\",\"else\":\"z\"},\"z\":{\"type\":\"exit\"}}", "steps.b.then", "b"},
                // unknown destination
                {"{\"a\":{\"type\":\"send\",\"destination_id\":\"no_such\",\"channel\":\"push\",\"template\":{\"title\":\"Hi\"},\"next\":\"z\"},"
                        + "\"z\":{\"type\":\"exit\"}}", "steps.a.destination_id", "a"},
        };
        for (String[] c : cases) {
            Reply r = call("POST", "/api/v1/journeys", key, journey("bad", "draft", "a", c[0]));
            assertEquals(400, r.status(), c[1] + ": " + r.body());
            assertEquals("INVALID_DEFINITION", r.errorCode());
            assertTrue(r.errorField().equals(c[1]) || r.errorFields().contains(c[1]), c[1] + " named in " + r.body());
            assertTrue(r.body().path("error").path("message").asText().contains("'" + c[2] + "'"), "the message names step " + c[2] + ": " + r.body());
        }
        // a template variable that does not exist (validate: the editor's check, which writes nothing)
        Reply variable = call("POST", "/api/v1/journeys/validate", key, journey("bad", "draft", "a",
                "{\"a\":{\"type\":\"send\",\"destination_id\":\"no_such\",\"channel\":\"push\",\"template\":{\"title\":\"Hi {{traits.name}} {{price}}\"},"
                        + "\"next\":\"z\"},\"z\":{\"type\":\"exit\"}}"));
        assertEquals(400, variable.status(), variable.body().toString());
        assertEquals("steps.a.template.title", variable.errorField());
        // several problems: all of them are listed in errors
        Reply several = call("POST", "/api/v1/journeys/validate", key, journey("bad", "draft", "a",
                "{\"a\":{\"type\":\"delay\",\"duration\":\"P1D\",\"next\":\"nowhere\"},\"b\":{\"type\":\"random_split\","
                        + "\"branches\":[{\"percent\":50,\"next\":\"z\"},{\"percent\":40,\"next\":\"z\"}]},\"z\":{\"type\":\"exit\"}}"));
        assertEquals(400, several.status(), several.body().toString());
        assertTrue(several.errorFields().contains("steps.a.next"), several.body().toString());
        assertTrue(several.errorFields().stream().anyMatch(f -> f.startsWith("steps.b")), several.body().toString());
        // caps <= 0
        Reply caps = call("PUT", "/api/v1/journeys/caps", key, "{\"caps\":{\"push\":0}}");
        assertEquals(400, caps.status(), caps.body().toString());
        assertEquals("caps.push", caps.errorField());

        assertEquals(0, call("GET", "/api/v1/journeys", key, null).body().path("journeys").size());
        assertEquals(200, call("POST", "/api/v1/journeys/validate", key, journey("ok", "draft", "wait", V1_STEPS)).status());
        assertEquals(0, call("GET", "/api/v1/journeys", key, null).body().path("journeys").size(), "validate writes nothing");
    }

    @Test
    void shouldPublishVersionsWithAValidatedStepMappingAndFollowTheLifecycle() throws Exception {
        String key = newProject();
        Reply created = call("POST", "/api/v1/journeys", key, journey("welcome", "draft", "wait", V1_STEPS));
        assertEquals(201, created.status(), created.body().toString());
        assertEquals("draft", created.body().path("status").asText());
        assertEquals(1, created.body().path("journey_version").asInt());

        // a draft is edited in place: still version 1, nothing published
        Reply edited = call("PUT", "/api/v1/journeys/welcome", key, withVersion(journey("welcome", "draft", "wait", V1_STEPS), 1));
        assertEquals(200, edited.status(), edited.body().toString());
        assertEquals(1, edited.body().path("journey_version").asInt());
        assertEquals(0, call("GET", "/api/v1/journeys/welcome/versions", key, null).body().path("versions").size());

        Reply live = call("POST", "/api/v1/journeys/welcome/status", key, "{\"status\":\"live\",\"version\":2}");
        assertEquals(200, live.status(), live.body().toString());
        assertEquals("live", live.body().path("status").asText());
        assertEquals(1, call("GET", "/api/v1/journeys/welcome/versions", key, null).body().path("versions").size());

        // a mapping that names a step v2 does not have is refused, naming it, and nothing is published
        Reply badMapping = call("PUT", "/api/v1/journeys/welcome", key,
                withMapping(withVersion(journey("welcome", "live", "wait", V2_STEPS), 3), "{\"later\":\"gone\"}"));
        assertEquals(400, badMapping.status(), badMapping.body().toString());
        assertEquals("mapping.later", badMapping.errorField());
        assertEquals(1, call("GET", "/api/v1/journeys/welcome", key, null).body().path("journey_version").asInt());

        // editing the live graph publishes version 2 with its mapping; renaming alone does not
        Reply v2 = call("PUT", "/api/v1/journeys/welcome", key,
                withMapping(withVersion(journey("welcome", "live", "wait", V2_STEPS), 3), "{\"later\":\"rest\"}"));
        assertEquals(200, v2.status(), v2.body().toString());
        assertEquals(2, v2.body().path("journey_version").asInt());
        Reply renamed = call("PUT", "/api/v1/journeys/welcome", key,
                withVersion(journey("welcome", "live", "wait", V2_STEPS).replace("\"Welcome\"", "\"Welcome back\""), 4));
        assertEquals(2, renamed.body().path("journey_version").asInt(), renamed.body().toString());
        JsonNode versions = call("GET", "/api/v1/journeys/welcome/versions", key, null).body().path("versions");
        assertEquals(2, versions.size());
        assertTrue(versions.get(0).path("steps").has("later"));
        assertTrue(versions.get(1).path("steps").has("rest"));
        assertEquals("rest", versions.get(1).path("step_mapping").path("steps").path("later").asText());
        assertEquals(1, versions.get(1).path("step_mapping").path("from_version").asInt());
        assertEquals("later", call("GET", "/api/v1/journeys/welcome/versions/1", key, null).body()
                .path("steps").path("wait").path("timeout_next").asText());

        // lifecycle: a live journey cannot be deleted or go back to draft; archived is read-only
        assertEquals(400, call("DELETE", "/api/v1/journeys/welcome?version=5", key, null).status());
        Reply backToDraft = call("POST", "/api/v1/journeys/welcome/status", key, "{\"status\":\"draft\",\"version\":5}");
        assertEquals(400, backToDraft.status());
        assertEquals("status", backToDraft.errorField());
        assertEquals("paused", call("POST", "/api/v1/journeys/welcome/status", key, "{\"status\":\"paused\",\"version\":5}")
                .body().path("status").asText());
        assertEquals("archived", call("POST", "/api/v1/journeys/welcome/status", key, "{\"status\":\"archived\",\"version\":6}")
                .body().path("status").asText());
        Reply editArchived = call("PUT", "/api/v1/journeys/welcome", key, withVersion(journey("welcome", "archived", "wait", V2_STEPS), 7));
        assertEquals(400, editArchived.status(), editArchived.body().toString());
        assertEquals(204, call("DELETE", "/api/v1/journeys/welcome?version=7", key, null).status());
        assertEquals(404, call("GET", "/api/v1/journeys/welcome", key, null).status());

        Reply caps = call("PUT", "/api/v1/journeys/caps", key, "{\"caps\":{\"push\":2,\"email\":1}}");
        assertEquals(200, caps.status(), caps.body().toString());
        assertEquals(2, call("GET", "/api/v1/journeys/caps", key, null).body().path("caps").path("push").asInt());
        assertEquals(401, call("GET", "/api/v1/journeys", null, null).status());
    }

    private static String withVersion(String json, long version) {
        return json.substring(0, json.length() - 1) + ",\"version\":" + version + "}";
    }

    private static String withMapping(String json, String mapping) {
        return json.substring(0, json.length() - 1) + ",\"step_mapping\":" + mapping + "}";
    }
}
