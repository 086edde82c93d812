package io.beacon.control.destinations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /api/v1/destinations} through the control plane's routes on the real broker's config topic, with
 * private destination addresses refused (the default). Public URLs are IP literals so that no DNS is needed.
 */
@ExtendWith(BeaconStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DestinationsIT {
    private static final String ADMIN = "admin-token-for-destination-tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URL = "https://93.184.216.34/beacon";
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ROTATED = "whsec_" + "A".repeat(43) + "=";

    private TestStack stack;
    private String configTopic;
    private ControlPlane controlPlane;
    private ActorSystem system;
    private ServerBinding binding;
    private Admin admin;
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
                        "beacon.kafka.topic-prefix", stack.uniqueName("dst") + ".",
                        "beacon.control-plane.admin-token", ADMIN,
                        "beacon.destinations.allow-private-addresses", "false"))
                .withFallback(ConfigFactory.defaultReference()));
        configTopic = settings.configTopic();
        controlPlane = ControlPlane.start(settings);
        system = ActorSystem.create("destinations-it", ConfigFactory.parseString("pekko.loglevel = WARNING")
                .withFallback(ConfigFactory.defaultReference()));
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(controlPlane.routes())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + binding.localAddress().getPort();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        admin = Admin.create(p);
    }

    @AfterAll
    void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
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

    private void newSegment(String key, String id) throws Exception {
        Reply r = call("POST", "/api/v1/segments", key, "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"rule\":{\"last_seen_within\":\"P1D\"}}");
        assertEquals(201, r.status(), r.body().toString());
    }

    /** The end offset of the config topic: every write, accepted or not, would move it. */
    private long configEndOffset() throws Exception {
        TopicPartition tp = new TopicPartition(configTopic, 0);
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(20, TimeUnit.SECONDS).offset();
    }

    @Test
    void shouldCreateReadRotateDisableAndDeleteADestinationWithVersions() throws Exception {
        String key = newProject();
        newSegment(key, "vip");

        Reply created = call("POST", "/api/v1/destinations", key, "{\"name\":\"CRM hooks\",\"type\":\"webhook\",\"url\":\"" + URL + "\","
                + "\"headers\":{\"X-Api-Key\":\"k-1\"},\"subscriptions\":[{\"on\":\"segment_entered\",\"segment\":\"vip\"},"
                + "{\"on\":\"event\",\"event\":\"purchase\",\"where\":[{\"property\":\"total\",\"op\":\"gt\",\"value\":100}]}]}");
        assertEquals(201, created.status(), created.body().toString());
        String id = created.body().path("id").asText();
        assertTrue(id.matches("dst_[a-z0-9]{16}"), id);
        assertEquals(1, created.body().path("version").asLong());
        assertEquals(50, created.body().path("rate_limit_per_second").asInt());
        assertEquals(4, created.body().path("concurrency").asInt());
        assertTrue(created.body().path("enabled").asBoolean());
        assertTrue(created.body().path("updated_at").asText().endsWith("Z"));
        String generated = created.body().path("secrets").path(0).asText();
        assertEquals(1, created.body().path("secrets").size());
        assertEquals(32, DestinationJson.secretKey(generated).length, generated);

        Reply read = call("GET", "/api/v1/destinations/" + id, key, null);
        assertEquals(200, read.status());
        assertEquals(DestinationJson.mask(generated), read.body().path("secrets").path(0).asText());
        assertFalse(read.body().toString().contains(generated));
        assertEquals("vip", read.body().path("subscriptions").path(0).path("segment").asText());
        Reply secret = call("GET", "/api/v1/destinations/" + id + "/secret", key, null);
        assertEquals(200, secret.status());
        assertEquals(List.of(generated), StreamSupport.stream(secret.body().path("secrets").spliterator(), false).map(JsonNode::asText).toList());

        // rotation: send the GET answer back with a new secret in front of the masked current one
        ObjectNode rotate = (ObjectNode) read.body().deepCopy();
        rotate.putArray("secrets").add(ROTATED).add(DestinationJson.mask(generated));
        Reply rotated = call("PUT", "/api/v1/destinations/" + id, key, rotate.toString());
        assertEquals(200, rotated.status(), rotated.body().toString());
        assertEquals(2, rotated.body().path("version").asLong());
        assertEquals(ROTATED, rotated.body().path("secrets").path(0).asText());
        assertEquals(generated, rotated.body().path("secrets").path(1).asText());

        Reply own = call("POST", "/api/v1/destinations", key, "{\"id\":\"push1\",\"name\":\"Push\",\"type\":\"push\",\"url\":\"" + URL + "\","
                + "\"secrets\":[\"" + SECRET + "\"],\"template\":{\"title\":\"Hi {{traits.name}}\",\"body\":\"Welcome to {{segment.name}}\"}}");
        assertEquals(201, own.status(), own.body().toString());
        assertEquals(SECRET, own.body().path("secrets").path(0).asText());
        Reply listed = call("GET", "/api/v1/destinations", key, null);
        assertEquals(List.of(id, "push1").stream().sorted().toList(),
                StreamSupport.stream(listed.body().path("destinations").spliterator(), false).map(n -> n.path("id").asText()).toList());
        assertFalse(listed.body().toString().contains(SECRET));

        String projectId = read.body().path("project_id").asText();
        DestinationDefinition disabled = controlPlane.destinations().setEnabled(projectId, id, false, "410 Gone")
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertEquals(3, disabled.version());
        Reply afterDisable = call("GET", "/api/v1/destinations/" + id, key, null);
        assertFalse(afterDisable.body().path("enabled").asBoolean());
        assertEquals("410 Gone", afterDisable.body().path("disabled_reason").asText());
        ObjectNode reEnable = (ObjectNode) afterDisable.body().deepCopy();
        reEnable.put("enabled", true);
        Reply enabled = call("PUT", "/api/v1/destinations/" + id, key, reEnable.toString());
        assertEquals(200, enabled.status(), enabled.body().toString());
        assertEquals(4, enabled.body().path("version").asLong());
        assertTrue(enabled.body().path("disabled_reason").isMissingNode());
        assertEquals(List.of(ROTATED, generated), controlPlane.destinations().get(projectId, id).orElseThrow().secrets());

        Reply stale = call("PUT", "/api/v1/destinations/" + id, key, reEnable.put("version", 2).toString());
        assertEquals(409, stale.status());
        assertEquals("VERSION_CONFLICT", stale.errorCode());
        assertEquals("MISSING_VERSION", call("DELETE", "/api/v1/destinations/" + id, key, null).errorCode());
        assertEquals(204, call("DELETE", "/api/v1/destinations/" + id + "?version=4", key, null).status());
        assertEquals(404, call("GET", "/api/v1/destinations/" + id, key, null).status());
        assertEquals(404, call("GET", "/api/v1/destinations/" + id + "/secret", key, null).status());
    }

    @Test
    void shouldRefuseEveryMalformedDefinitionNamingTheFieldAndLeaveTheConfigTopicUnchanged() throws Exception {
        String key = newProject();
        newSegment(key, "vip");
        Reply existing = call("POST", "/api/v1/destinations", key, "{\"id\":\"ok\",\"name\":\"OK\",\"type\":\"webhook\",\"url\":\"" + URL + "\"}");
        assertEquals(201, existing.status(), existing.body().toString());
        String head = "{\"name\":\"Bad\",\"type\":\"webhook\",";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(head + "\"url\":\"ftp://93.184.216.34/x\"}", "url");
        cases.put(head + "\"url\":\"https://user:pw@93.184.216.34/x\"}", "url");
        cases.put(head + "\"url\":\"http://10.0.0.5/hook\"}", "url");
        cases.put(head + "\"url\":\"http://127.0.0.1:9000/hook\"}", "url");
        cases.put(head + "\"url\":\"http://[::1]/hook\"}", "url");
        cases.put(head + "\"url\":\"http://169.254.169.254/latest\"}", "url");
        cases.put(head + "\"url\":\"http://localhost/hook\"}", "url");
        cases.put(head + "\"url\":\"https://no-such-host.invalid/hook\"}", "url");
        cases.put(head + "\"url\":\"" + URL + "\",\"secrets\":[\"sk_live_123\"]}", "secrets[0]");
        cases.put(head + "\"url\":\"" + URL + "\",\"secrets\":[\"whsec_c2hvcnQ=\"]}", "secrets[0]");
        cases.put("{\"name\":\"Bad\",\"type\":\"push\",\"url\":\"" + URL + "\",\"template\":{\"title\":\"Hi {{user.name}}\",\"body\":\"b\"}}",
                "template.title");
        cases.put("{\"name\":\"Bad\",\"type\":\"push\",\"url\":\"" + URL + "\",\"template\":{\"title\":\"t\"}}", "template.body");
        cases.put("{\"name\":\"Bad\",\"type\":\"crm\",\"url\":\"" + URL + "\",\"crm\":{\"field_mapping\":{\"email\":\"email\"}}}",
                "crm.field_mapping.email");
        cases.put(head + "\"url\":\"" + URL + "\",\"subscriptions\":[{\"on\":\"segment_entered\",\"segment\":\"vip\"},"
                + "{\"on\":\"segment_exited\",\"segment\":\"no-such-segment\"}]}", "subscriptions[1].segment");
        cases.put(head + "\"url\":\"" + URL + "\",\"headers\":{\"webhook-signature\":\"v1,x\"}}", "headers.webhook-signature");
        cases.put(head + "\"url\":\"" + URL + "\",\"headers\":{\"Bad Header\":\"x\"}}", "headers.Bad Header");
        cases.put(head + "\"url\":\"" + URL + "\",\"rate_limit_per_second\":0}", "rate_limit_per_second");
        cases.put(head + "\"url\":\"" + URL + "\",\"concurrency\":65}", "concurrency");
        cases.put(head + "\"url\":\"" + URL + "\",\"concurrency\":\"4\"}", "concurrency");
        cases.put(head + "\"url\":\"" + URL + "\",\"enabled\":\"yes\"}", "enabled");
        cases.put(head + "\"url\":\"" + URL + "\",\"retries\":3}", "retries");
        cases.put("{\"name\":\"Bad\",\"type\":\"sms\",\"url\":\"" + URL + "\"}", "type");
        cases.put("{\"name\":\"" + "n".repeat(201) + "\",\"type\":\"webhook\",\"url\":\"" + URL + "\"}", "name");
        long before = configEndOffset();
        int storedBefore = controlPlane.store().list(DestinationDefinition.KIND).size();

        for (Map.Entry<String, String> c : cases.entrySet()) {
            Reply r = call("POST", "/api/v1/destinations", key, c.getKey());
            assertEquals(400, r.status(), c.getKey() + " → " + r.body());
            assertEquals("INVALID_DEFINITION", r.errorCode(), c.getKey() + " → " + r.body());
            assertEquals(c.getValue(), r.errorField(), c.getKey() + " → " + r.body());
        }
        Reply badUpdate = call("PUT", "/api/v1/destinations/ok", key,
                "{\"version\":1,\"name\":\"OK\",\"type\":\"webhook\",\"url\":\"http://192.168.1.1/\"}");
        assertEquals(400, badUpdate.status(), badUpdate.body().toString());
        assertEquals("url", badUpdate.errorField());

        assertEquals(before, configEndOffset(), "no record reached " + configTopic);
        assertEquals(storedBefore, controlPlane.store().list(DestinationDefinition.KIND).size());
        assertEquals(URL, controlPlane.destinations().get(existing.body().path("project_id").asText(), "ok").orElseThrow().url());
        assertEquals(1, call("GET", "/api/v1/destinations", key, null).body().path("destinations").size());
    }

    @Test
    void shouldKeepProjectsApartAndLeaveDeeperPathsToTheConnectors() throws Exception {
        String mine = newProject();
        String theirs = newProject();
        assertEquals(201, call("POST", "/api/v1/destinations", mine, "{\"id\":\"d\",\"name\":\"D\",\"type\":\"webhook\",\"url\":\"" + URL + "\"}").status());

        assertEquals(404, call("GET", "/api/v1/destinations/d", theirs, null).status());
        assertEquals(404, call("GET", "/api/v1/destinations/d/secret", theirs, null).status());
        assertEquals(0, call("GET", "/api/v1/destinations", theirs, null).body().path("destinations").size());
        assertEquals(401, call("GET", "/api/v1/destinations", null, null).status());
        assertEquals(401, call("GET", "/api/v1/destinations/d/secret", "sk_not_a_key", null).status());
        assertEquals("MALFORMED_JSON", call("POST", "/api/v1/destinations", mine, "{\"name\":").errorCode());
        Reply twice = call("POST", "/api/v1/destinations", mine, "{\"id\":\"d\",\"name\":\"D\",\"type\":\"webhook\",\"url\":\"" + URL + "\"}");
        assertEquals(409, twice.status());
        assertEquals("ALREADY_EXISTS", twice.errorCode());
        for (String deeper : List.of("stats", "attempts", "test")) {
            Reply r = call("GET", "/api/v1/destinations/d/" + deeper, mine, null);
            assertEquals(404, r.status(), deeper);
            assertTrue(r.body().isEmpty(), "pekko's unmatched-route answer, not a destination API error: " + r.body());
        }
    }
}
