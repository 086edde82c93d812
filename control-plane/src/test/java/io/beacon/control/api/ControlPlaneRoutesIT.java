package io.beacon.control.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeaconStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlPlaneRoutesIT {
    private static final String ADMIN = "admin-token-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private TestStack stack;
    private ControlPlaneSettings settings;
    private ControlPlane controlPlane;
    private ActorSystem system;
    private ServerBinding binding;
    private String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start(TestStack stack) throws Exception {
        this.stack = stack;
        settings = ControlPlaneSettings.fromConfig(ConfigFactory.parseMap(Map.of(
                        "beacon.kafka.bootstrap-servers", stack.bootstrapServers(),
                        "beacon.kafka.topic-prefix", stack.uniqueName("api") + ".",
                        "beacon.control-plane.admin-token", ADMIN))
                .withFallback(ConfigFactory.defaultReference()));
        controlPlane = ControlPlane.start(settings);
        system = ActorSystem.create("control-plane-api-it", ConfigFactory.parseString("pekko.loglevel = WARNING")
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

    // ---- fixtures ------------------------------------------------------------------------------

    private record Reply(int status, JsonNode body) {
        String errorCode() {
            return body.path("error").path("code").asText();
        }

        String errorField() {
            return body.path("error").path("field").asText();
        }
    }

    private Reply call(String method, String path, String token, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        return new Reply(r.statusCode(), json);
    }

    /** Creates a project through the API; returns its JSON (with keys). */
    private JsonNode newProject(String mode) throws Exception {
        String id = stack.uniqueName("p").replace('_', '-');
        Reply r = call("POST", "/api/v1/projects", ADMIN,
                "{\"id\":\"" + id + "\",\"name\":\"Shop\",\"timezone\":\"Europe/Berlin\",\"mode\":\"" + mode + "\"}");
        assertEquals(201, r.status(), r.body().toString());
        return r.body();
    }

    private long configEndOffset() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            TopicPartition tp = new TopicPartition(settings.configTopic(), 0);
            return c.endOffsets(List.of(tp)).get(tp);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    // ---- projects ------------------------------------------------------------------------------

    @Test
    void shouldCreateAProjectAndReturnItsKeys() throws Exception {
        JsonNode p = newProject("strict");
        assertTrue(p.path("write_key").asText().startsWith("wk_"));
        assertTrue(p.path("secret_key").asText().startsWith("sk_"));
        assertEquals(1, p.path("version").asLong());
        assertFalse(p.has("pii_secret"));

        Reply got = call("GET", "/api/v1/projects/" + p.path("id").asText(), p.path("secret_key").asText(), null);
        assertEquals(200, got.status());
        assertEquals("strict", got.body().path("mode").asText());
        assertEquals("Europe/Berlin", got.body().path("timezone").asText());
        assertFalse(got.body().has("secret_key"));
    }

    @Test
    void shouldRefuseProjectCreationWithoutTheAdminToken() throws Exception {
        Reply r = call("POST", "/api/v1/projects", "not-the-admin-token", "{\"id\":\"nope\",\"name\":\"x\"}");
        assertEquals(401, r.status());
        assertEquals("UNAUTHORIZED", r.errorCode());
    }

    @Test
    void shouldRejectAnInvalidTimezoneNamingTheField() throws Exception {
        Reply r = call("POST", "/api/v1/projects", ADMIN, "{\"id\":\"tzbad\",\"name\":\"x\",\"timezone\":\"Mars/Olympus\"}");
        assertEquals(400, r.status());
        assertEquals("INVALID_DEFINITION", r.errorCode());
        assertEquals("timezone", r.errorField());
    }

    @Test
    void shouldStopAcceptingTheOldSecretKeyAfterRotation() throws Exception {
        JsonNode p = newProject("permissive");
        String id = p.path("id").asText();
        String oldSecret = p.path("secret_key").asText();
        String oldWrite = p.path("write_key").asText();

        Reply rotated = call("POST", "/api/v1/projects/" + id + "/keys/rotate", oldSecret, "{}");

        assertEquals(200, rotated.status(), rotated.body().toString());
        String newSecret = rotated.body().path("secret_key").asText();
        String newWrite = rotated.body().path("write_key").asText();
        assertFalse(newSecret.equals(oldSecret) || newWrite.equals(oldWrite));
        assertEquals(401, call("GET", "/api/v1/projects/" + id, oldSecret, null).status());
        assertEquals(200, call("GET", "/api/v1/projects/" + id, newSecret, null).status());
        // the gateway's lookup follows at once, in this process
        assertTrue(controlPlane.projects().projectIdForWriteKey(oldWrite).isEmpty());
        assertEquals(id, controlPlane.projects().projectIdForWriteKey(newWrite).orElseThrow());
    }

    @Test
    void shouldUpdateTheModeWithTheExpectedVersionAndRejectAStaleOne() throws Exception {
        JsonNode p = newProject("permissive");
        String path = "/api/v1/projects/" + p.path("id").asText();
        String secret = p.path("secret_key").asText();

        Reply updated = call("PATCH", path, secret, "{\"mode\":\"strict\"}", "If-Match", "\"1\"");
        Reply stale = call("PUT", path, secret, "{\"version\":1,\"timezone\":\"UTC\"}");

        assertEquals(200, updated.status(), updated.body().toString());
        assertEquals("strict", updated.body().path("mode").asText());
        assertEquals(2, updated.body().path("version").asLong());
        assertEquals(409, stale.status());
        assertEquals("VERSION_CONFLICT", stale.errorCode());
        assertEquals(2, stale.body().path("error").path("current_version").asLong());
    }

    @Test
    void shouldForbidAKeyOfAnotherProject() throws Exception {
        JsonNode a = newProject("permissive");
        JsonNode b = newProject("permissive");
        assertEquals(403, call("GET", "/api/v1/projects/" + b.path("id").asText(), a.path("secret_key").asText(), null).status());
    }

    // ---- registry ------------------------------------------------------------------------------

    @Test
    void shouldCreateReadListUpdateAndDeleteAnEventDefinition() throws Exception {
        String secret = newProject("strict").path("secret_key").asText();

        Reply created = call("POST", "/api/v1/metadata/events", secret,
                "{\"name\":\"Order Completed\",\"owner\":\"growth\",\"required_properties\":[\"order_id\"]}");
        assertEquals(201, created.status(), created.body().toString());
        assertEquals("live", created.body().path("status").asText());
        assertEquals(1, created.body().path("version").asLong());

        Reply read = call("GET", "/api/v1/metadata/events/Order%20Completed", secret, null);
        assertEquals(200, read.status());
        assertEquals("order_id", read.body().path("required_properties").get(0).asText());
        assertEquals(1, call("GET", "/api/v1/metadata/events", secret, null).body().path("events").size());

        Reply updated = call("PUT", "/api/v1/metadata/events/Order%20Completed", secret,
                "{\"version\":1,\"status\":\"deprecated\"}");
        assertEquals(200, updated.status(), updated.body().toString());
        assertEquals("deprecated", updated.body().path("status").asText());

        assertEquals(204, call("DELETE", "/api/v1/metadata/events/Order%20Completed?version=2", secret, null).status());
        assertEquals(404, call("GET", "/api/v1/metadata/events/Order%20Completed", secret, null).status());
    }

    @Test
    void shouldAnswer404ForUnknownDefinitions() throws Exception {
        String secret = newProject("strict").path("secret_key").asText();
        Reply r = call("GET", "/api/v1/metadata/properties/nope", secret, null);
        assertEquals(404, r.status());
        assertEquals("NOT_FOUND", r.errorCode());
        assertEquals(404, call("PUT", "/api/v1/metadata/events/nope", secret, "{\"version\":3}").status());
    }

    @Test
    void shouldAnswer401ForABadSecretKey() throws Exception {
        assertEquals(401, call("GET", "/api/v1/metadata/events", "sk_wrong", null).status());
        assertEquals(401, call("GET", "/api/v1/metadata/events", null, null).status());
    }

    @Test
    void shouldRejectABadTypeNameWith400NamingTheFieldAndWriteNothing() throws Exception {
        String secret = newProject("strict").path("secret_key").asText();
        long before = configEndOffset();

        Reply r = call("POST", "/api/v1/metadata/properties", secret, "{\"name\":\"plan\",\"type\":\"strnig\"}");

        assertEquals(400, r.status());
        assertEquals("INVALID_DEFINITION", r.errorCode());
        assertEquals("type", r.errorField());
        assertEquals(before, configEndOffset());
    }

    @Test
    void shouldRejectADuplicatePropertyWith400NamingTheFieldAndWriteNothing() throws Exception {
        String secret = newProject("strict").path("secret_key").asText();
        long before = configEndOffset();

        Reply r = call("POST", "/api/v1/metadata/events", secret,
                "{\"name\":\"Signed Up\",\"required_properties\":[\"plan\"],\"optional_properties\":[\"plan\"]}");

        assertEquals(400, r.status());
        assertEquals("optional_properties[0]", r.errorField());
        assertEquals(before, configEndOffset());
    }

    @Test
    void shouldRejectAnEmptyNameWith400NamingTheFieldAndWriteNothing() throws Exception {
        String secret = newProject("strict").path("secret_key").asText();
        long before = configEndOffset();

        Reply event = call("POST", "/api/v1/metadata/events", secret, "{\"name\":\"\"}");
        Reply property = call("POST", "/api/v1/metadata/properties", secret, "{\"name\":\"\",\"type\":\"string\"}");

        assertEquals(400, event.status());
        assertEquals("name", event.errorField());
        assertEquals(400, property.status());
        assertEquals("name", property.errorField());
        assertEquals(before, configEndOffset());
    }

    @Test
    void shouldRejectWrongJsonTypesAndMalformedBodiesWith400() throws Exception {
        String secret = newProject("strict").path("secret_key").asText();
        long before = configEndOffset();

        Reply wrongType = call("POST", "/api/v1/metadata/events", secret, "{\"name\":\"x\",\"tags\":\"not-a-list\"}");
        Reply nested = call("POST", "/api/v1/metadata/events", secret, "{\"name\":\"x\",\"required_properties\":[\"a\",{\"b\":1}]}");
        Reply malformed = call("POST", "/api/v1/metadata/events", secret, "{\"name\":");
        Reply array = call("POST", "/api/v1/metadata/properties", secret, "[1,2]");
        Reply enumMismatch = call("POST", "/api/v1/metadata/properties", secret,
                "{\"name\":\"level\",\"type\":\"number\",\"enum_values\":[\"1\",\"high\"]}");

        assertEquals(400, wrongType.status());
        assertEquals("tags", wrongType.errorField());
        assertEquals(400, nested.status());
        assertEquals("required_properties[1]", nested.errorField());
        assertEquals(400, malformed.status());
        assertEquals("MALFORMED_JSON", malformed.errorCode());
        assertEquals(400, array.status());
        assertEquals(400, enumMismatch.status());
        assertEquals("enum_values[1]", enumMismatch.errorField());
        assertEquals(before, configEndOffset());
    }

    @Test
    void shouldAnswer409ForAStaleDefinitionUpdate() throws Exception {
        String secret = newProject("strict").path("secret_key").asText();
        call("POST", "/api/v1/metadata/properties", secret, "{\"name\":\"plan\",\"type\":\"string\"}");
        assertEquals(200, call("PUT", "/api/v1/metadata/properties/plan", secret,
                "{\"version\":1,\"type\":\"string\",\"enum_values\":[\"free\"]}").status());
        long before = configEndOffset();

        Reply stale = call("PUT", "/api/v1/metadata/properties/plan", secret, "{\"type\":\"number\"}", "If-Match", "1");
        Reply duplicate = call("POST", "/api/v1/metadata/properties", secret, "{\"name\":\"plan\",\"type\":\"string\"}");

        assertEquals(409, stale.status());
        assertEquals("VERSION_CONFLICT", stale.errorCode());
        assertEquals(409, duplicate.status());
        assertEquals("ALREADY_EXISTS", duplicate.errorCode());
        assertEquals(before, configEndOffset());
    }

    @Test
    void shouldRequireAVersionForUpdates() throws Exception {
        String secret = newProject("strict").path("secret_key").asText();
        call("POST", "/api/v1/metadata/properties", secret, "{\"name\":\"plan\",\"type\":\"string\"}");
        Reply r = call("PUT", "/api/v1/metadata/properties/plan", secret, "{\"type\":\"string\"}");
        assertEquals(400, r.status());
        assertEquals("MISSING_VERSION", r.errorCode());
    }

    @Test
    void shouldValidateASamplePayloadAgainstTheRegistry() throws Exception {
        String secret = newProject("strict").path("secret_key").asText();
        call("POST", "/api/v1/metadata/properties", secret, "{\"name\":\"revenue\",\"type\":\"number\"}");
        call("POST", "/api/v1/metadata/properties", secret, "{\"name\":\"email\",\"type\":\"string\",\"pii\":\"hash\"}");
        call("POST", "/api/v1/metadata/events", secret,
                "{\"name\":\"Order Completed\",\"required_properties\":[\"revenue\"],\"optional_properties\":[\"email\"]}");

        Reply bad = call("POST", "/api/v1/metadata/events/Order%20Completed/validate", secret,
                "{\"properties\":{\"revenue\":\"abc\",\"color\":\"red\"}}");
        Reply good = call("POST", "/api/v1/metadata/events/Order%20Completed/validate", secret,
                "{\"properties\":{\"revenue\":\"12\",\"email\":\"ann@example.com\"}}");

        assertEquals(200, bad.status());
        assertEquals("reject", bad.body().path("verdict").asText());
        List<String> codes = JSON.convertValue(bad.body().path("violations").findValues("code"), JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class));
        assertEquals(List.of("TYPE_MISMATCH", "UNKNOWN_PROPERTY"), codes.stream().sorted().toList());
        assertEquals("accept", good.body().path("verdict").asText());
        assertEquals(12, good.body().path("properties").path("revenue").asLong());
        assertEquals(64, good.body().path("properties").path("email").asText().length());
    }

    @Test
    void shouldAffectTheEnforcerAsSoonAsADefinitionIsWritten() throws Exception {
        JsonNode p = newProject("strict");
        String id = p.path("id").asText();
        assertTrue(controlPlane.enforcer().enforce(id, "Song Played", Map.of()).rejected());

        call("POST", "/api/v1/metadata/events", p.path("secret_key").asText(), "{\"name\":\"Song Played\"}");

        await("the enforcer accepts the new event",
                () -> !controlPlane.enforcer().enforce(id, "Song Played", Map.of()).rejected());
    }
}
