package io.beacon.control.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectKeys;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /api/v1/metadata/discovered} on a real broker: discovery records produced to the isolated
 * {@code <prefix>beacon.discovery} topic (as the topology writes them) are served by the control plane's
 * {@link DiscoveryView}, and "register" writes definitions through the registry into {@code beacon.config}.
 */
@ExtendWith(BeaconStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscoveryRoutesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private TestStack stack;
    private ControlPlane controlPlane;
    private ActorSystem system;
    private ServerBinding binding;
    private String base;
    private String discoveryTopic;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start(TestStack stack) throws Exception {
        this.stack = stack;
        String prefix = stack.uniqueName("disc") + ".";
        ControlPlaneSettings settings = ControlPlaneSettings.fromConfig(ConfigFactory.parseMap(Map.of(
                        "beacon.kafka.bootstrap-servers", stack.bootstrapServers(),
                        "beacon.kafka.topic-prefix", prefix))
                .withFallback(ConfigFactory.defaultReference()));
        controlPlane = ControlPlane.start(settings);
        discoveryTopic = DiscoveryTopic.withPrefix(prefix);
        assertEquals(discoveryTopic, controlPlane.discovery().topic());
        system = ActorSystem.create("discovery-api-it", ConfigFactory.parseString("pekko.loglevel = WARNING")
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
    }

    private Reply call(String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
    }

    private Project newProject() {
        String id = stack.uniqueName("p").replace('_', '-');
        Project p = new Project(id, "Shop", "UTC", EnforcementMode.STRICT, ProjectKeys.newWriteKey(),
                ProjectKeys.newSecretKey(), ProjectKeys.newPiiSecret());
        return controlPlane.projects().create(p).toCompletableFuture().join().value();
    }

    /** Writes items to the discovery topic as the topology does (key project/kind/name). */
    private void publish(DiscoveredItem... items) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (DiscoveredItem item : items) {
                producer.send(new ProducerRecord<>(discoveryTopic, item.key(), DiscoveryCodec.encode(item))).get();
            }
        }
    }

    /** Polls the list until it has {@code n} items (the view reads the topic on its own thread). */
    private JsonNode awaitListed(Project p, String query, int n) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Reply r;
        do {
            r = call("GET", "/api/v1/metadata/discovered" + query, p.secretKey());
            assertEquals(200, r.status(), r.body().toString());
            if (r.body().path("discovered").size() == n) {
                return r.body().path("discovered");
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("expected " + n + " items, last answer " + r.body());
    }

    private static String path(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<String> names(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.path("kind").asText() + ":" + i.path("name").asText()));
        return out;
    }

    // ---- tests ---------------------------------------------------------------------------------

    @Test
    void shouldListDiscoveredItemsOfTheKeysProjectMostFrequentFirst() throws Exception {
        Project p = newProject();
        Project other = newProject();
        publish(DiscoveredItem.event(p.id(), "Signup Started", 1_000).merge(DiscoveredItem.event(p.id(), "Signup Started", 5_000)),
                new DiscoveredItem(p.id(), DiscoveryKind.PROPERTY, "seats", 7, 1_000, 9_000, Map.of("number", 6L, "string", 1L)),
                DiscoveredItem.event(other.id(), "Elsewhere", 1));

        JsonNode items = awaitListed(p, "", 2);

        assertEquals(List.of("property:seats", "event:Signup Started"), names(items));
        JsonNode seats = items.get(0);
        assertEquals(7, seats.path("volume").asLong());
        assertEquals(1_000, seats.path("first_seen").asLong());
        assertEquals(9_000, seats.path("last_seen").asLong());
        assertEquals("string", seats.path("inferred_type").asText());
        assertEquals(6, seats.path("type_counts").path("number").asLong());
        JsonNode signup = items.get(1);
        assertEquals(2, signup.path("volume").asLong());
        assertEquals(5_000, signup.path("last_seen").asLong());
        assertTrue(signup.path("inferred_type").isMissingNode());
        assertEquals(List.of("event:Signup Started"), names(awaitListed(p, "?kind=event", 1)));
        assertEquals(List.of("property:seats"), names(awaitListed(p, "?kind=property", 1)));
    }

    @Test
    void shouldRequireTheSecretKey() throws Exception {
        assertEquals(401, call("GET", "/api/v1/metadata/discovered", null).status());
        assertEquals(401, call("GET", "/api/v1/metadata/discovered", "sk_not_a_key_at_all").status());
        assertEquals(401, call("POST", "/api/v1/metadata/discovered/event/X/register", null).status());
    }

    @Test
    void shouldRegisterADiscoveredEventAsDraftOnceAndThenStopListingIt() throws Exception {
        Project p = newProject();
        publish(DiscoveredItem.event(p.id(), "Signup Started", 1_000));
        awaitListed(p, "", 1);

        Reply created = call("POST", "/api/v1/metadata/discovered/event/" + path("Signup Started") + "/register", p.secretKey());

        assertEquals(201, created.status(), created.body().toString());
        assertEquals("Signup Started", created.body().path("name").asText());
        assertEquals("draft", created.body().path("status").asText());
        assertEquals(1, created.body().path("version").asLong());
        Reply read = call("GET", "/api/v1/metadata/events/" + path("Signup Started"), p.secretKey());
        assertEquals(200, read.status());
        assertEquals("draft", read.body().path("status").asText());
        assertEquals("draft", controlPlane.registries().view(p.id()).event("Signup Started").orElseThrow().status().wireName(),
                "the registry the topology reads has it");
        Reply again = call("POST", "/api/v1/metadata/discovered/event/" + path("Signup Started") + "/register", p.secretKey());
        assertEquals(409, again.status());
        assertEquals("ALREADY_EXISTS", again.errorCode());
        assertEquals(0, call("GET", "/api/v1/metadata/discovered", p.secretKey()).body().path("discovered").size());
    }

    @Test
    void shouldRegisterADiscoveredPropertyWithItsInferredType() throws Exception {
        Project p = newProject();
        publish(new DiscoveredItem(p.id(), DiscoveryKind.PROPERTY, "seats", 3, 1, 2, Map.of("number", 3L)),
                new DiscoveredItem(p.id(), DiscoveryKind.PROPERTY, "meta", 3, 1, 2, Map.of("object", 3L)));
        awaitListed(p, "", 2);

        Reply created = call("POST", "/api/v1/metadata/discovered/property/seats/register", p.secretKey());

        assertEquals(201, created.status(), created.body().toString());
        assertEquals("number", created.body().path("type").asText());
        assertEquals("none", created.body().path("pii").asText());
        assertEquals("number", controlPlane.registry().property(p.id(), "seats").orElseThrow().value().type().wireName());
        Reply untyped = call("POST", "/api/v1/metadata/discovered/property/meta/register", p.secretKey());
        assertEquals(400, untyped.status());
        assertEquals("NO_INFERRED_TYPE", untyped.errorCode());
    }

    @Test
    void shouldAnswer404ForANameThatWasNotDiscoveredAnd400ForAnUnknownKind() throws Exception {
        Project p = newProject();

        Reply missing = call("POST", "/api/v1/metadata/discovered/event/Never%20Seen/register", p.secretKey());
        assertEquals(404, missing.status());
        assertEquals("NOT_FOUND", missing.errorCode());
        Reply badKind = call("POST", "/api/v1/metadata/discovered/segment/x/register", p.secretKey());
        assertEquals(400, badKind.status());
        assertEquals("INVALID_KIND", badKind.errorCode());
        assertEquals(400, call("GET", "/api/v1/metadata/discovered?kind=segment", p.secretKey()).status());
    }
}
