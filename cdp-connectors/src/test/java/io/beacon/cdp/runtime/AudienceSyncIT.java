package io.beacon.cdp.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.beacon.cdp.CdpSettings;
import io.beacon.cdp.audience.AudienceMembers;
import io.beacon.cdp.audience.ResyncPlan;
import io.beacon.cdp.privacy.PersonDeletion;
import io.beacon.cdp.signing.WebhookSigner;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.control.destinations.DestinationJson;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectKeys;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.control.segments.SegmentJson;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.TopicNames;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Audience sync's full resync and the privacy hook on a real broker with local receivers: the resync route reads a
 * fake {@link AudienceMembers} (our own port) and every member reaches the CRM receiver as one {@code add_to_list},
 * with the same {@code webhook-id}s when the resync is retried with its resync id; {@code deletePerson} reaches the
 * webhook and the CRM destination with their delete bodies, and puts nothing on the outbox for push.
 */
@ExtendWith(BeaconStackExtension.class)
class AudienceSyncIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private TestStack stack;
    private TopicNames topics;
    private Config config;
    private ControlPlane controlPlane;
    private Connectors connectors;
    private ActorSystem system;
    private ServerBinding binding;
    private String base;
    private String secretKey;
    private String project;
    private final List<Receiver> receivers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The fake engine: segment → members, served in pages of the size asked. */
    private final Map<String, List<String>> members = new HashMap<>();
    private final AudienceMembers audience = (projectId, segmentId, cursor, limit) -> {
        List<String> all = members.getOrDefault(segmentId, List.of());
        int from = cursor == null ? 0 : Integer.parseInt(cursor);
        int to = Math.min(all.size(), from + Math.min(limit, 7)); // small pages: the resync must follow the cursor
        return new AudienceMembers.Page(all.subList(from, to), to >= all.size() ? null : Integer.toString(to));
    };

    @BeforeEach
    void start(TestStack stack) throws Exception {
        this.stack = stack;
        String prefix = stack.uniqueName("aud") + ".";
        topics = TopicNames.withPrefix(prefix);
        stack.createTopics(3, topics.segmentChanges(), topics.valid());
        Map<String, Object> conf = new HashMap<>();
        conf.put("beacon.kafka.bootstrap-servers", stack.bootstrapServers());
        conf.put("beacon.kafka.topic-prefix", prefix);
        conf.put("beacon.destinations.allow-private-addresses", "true");
        conf.put("beacon.cdp.partitions", "3");
        conf.put("beacon.cdp.request-timeout", "2s");
        config = ConfigFactory.parseMap(conf).withFallback(ConfigFactory.defaultReference()).resolve();
        controlPlane = ControlPlane.start(ControlPlaneSettings.fromConfig(config));
        Project p = new Project("shop", "shop", "UTC", EnforcementMode.PERMISSIVE, ProjectKeys.newWriteKey(),
                ProjectKeys.newSecretKey(), ProjectKeys.newPiiSecret());
        controlPlane.projects().create(p).toCompletableFuture().join();
        project = p.id();
        secretKey = p.secretKey();
        segment("vip", "VIP");
        segment("churn", "Churn risk");
        system = ActorSystem.create("audience-sync-it", ConfigFactory.parseString("pekko.loglevel = WARNING")
                .withFallback(ConfigFactory.defaultReference()));
    }

    private void startConnectors(AudienceMembers port, String... destinationIds) throws Exception {
        connectors = Connectors.start(CdpSettings.fromConfig(config), new Connectors.Wiring(controlPlane.store(),
                controlPlane.projects(), controlPlane.destinations(), controlPlane.segments(),
                ControlPlaneSettings.fromConfig(config), null, null, "it-" + UUID.randomUUID(), port));
        await("connectors ready", () -> connectors.readiness().equals("ok"));
        for (String id : destinationIds) {
            await("destination " + id + " seen", () -> connectors.destination(project, id).isPresent());
        }
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(connectors.routes()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + binding.localAddress().getPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (binding != null) {
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (connectors != null) {
            connectors.close();
        }
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        receivers.forEach(Receiver::close);
        controlPlane.close();
    }

    // ---- tests -----------------------------------------------------------------------------------

    @Test
    void shouldSendExactlyOneAddToListPerMemberAndTheSameIdsWhenTheResyncIsRetried() throws Exception {
        Receiver r = receiver();
        destination("crm", "crm", r.url(), ",\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"},\"list\":\"newsletter\"}",
                "[{\"on\":\"segment_entered\",\"segment\":\"vip\"},{\"on\":\"segment_exited\",\"segment\":\"vip\"},"
                        + "{\"on\":\"segment_entered\",\"segment\":\"churn\"}]");
        members.put("vip", persons("v", 23));
        members.put("churn", List.of("c0", "c1", "v3"));
        startConnectors(audience, "crm");

        HttpResponse<String> first = post("/api/v1/destinations/crm/resync", "{\"resync_id\":\"rs-it-1\"}", secretKey);
        assertEquals(202, first.statusCode(), first.body());
        JsonNode answer = JSON.readTree(first.body());
        assertEquals("rs-it-1", answer.path("resync_id").asText());
        assertEquals("{\"vip\":23,\"churn\":3}", answer.path("segments").toString());
        assertEquals(26, answer.path("enqueued").asLong());
        await("26 list additions", () -> r.calls().size() >= 26);

        Set<String> expected = new HashSet<>();
        members.forEach((segment, ids) -> ids.forEach(person ->
                expected.add(ResyncPlan.messageId("crm", project, segment, person, "rs-it-1"))));
        WebhookSigner verifier = new WebhookSigner(List.of(SECRET));
        Map<String, Integer> perPerson = new HashMap<>();
        for (Receiver.Call c : r.calls()) {
            assertTrue(verifier.verify(c.webhookId(), c.timestamp(), c.signature(), c.body(), System.currentTimeMillis() / 1000),
                    "signature of " + c.webhookId());
            assertEquals("add_to_list", c.json().path("action").asText(), c.json().toString());
            assertEquals("newsletter", c.json().path("list").asText());
            assertEquals(c.webhookId(), c.json().path("message_id").asText());
            perPerson.merge(c.json().path("contacts").path(0).path("external_id").asText(), 1, Integer::sum);
        }
        assertEquals(expected, r.calls().stream().map(Receiver.Call::webhookId).collect(Collectors.toSet()));
        assertEquals(26, r.calls().size(), "exactly one call per (segment, member)");
        assertEquals(2, perPerson.get("v3"), "v3 is a member of both segments");
        assertEquals(25, perPerson.size());

        HttpResponse<String> retried = post("/api/v1/destinations/crm/resync", "{\"resync_id\":\"rs-it-1\"}", secretKey);
        assertEquals(202, retried.statusCode(), retried.body());
        assertEquals(answer, JSON.readTree(retried.body()), "a retry answers the same counts");
        HttpResponse<String> fresh = post("/api/v1/destinations/crm/resync", "", secretKey);
        assertEquals(202, fresh.statusCode(), fresh.body());
        String generated = JSON.readTree(fresh.body()).path("resync_id").asText();
        assertTrue(generated.startsWith("rs_"), generated);
        Set<String> freshIds = new HashSet<>();
        members.forEach((segment, ids) -> ids.forEach(person ->
                freshIds.add(ResyncPlan.messageId("crm", project, segment, person, generated))));
        assertEquals(26, freshIds.size());
        assertTrue(freshIds.stream().noneMatch(expected::contains), "another resync id gives other ids");
        // each person's messages keep their order, so once the fresh ones arrived the retried ones were handled
        await("the fresh resync delivered", () -> r.calls().stream().map(Receiver.Call::webhookId).collect(Collectors.toSet()).containsAll(freshIds));

        Map<String, Long> outboxIds = outbox().stream().filter(m -> m.type().equals(MessageTypes.AUDIENCE_RESYNC))
                .collect(Collectors.groupingBy(OutboxMessage::messageId, Collectors.counting()));
        for (String id : expected) {
            assertEquals(2L, outboxIds.get(id), "the first run and its retry put the same id on the outbox: " + id);
        }
        for (String id : freshIds) {
            assertEquals(1L, outboxIds.get(id));
        }
        assertEquals(52, outboxIds.size());
        Map<String, Long> delivered = r.calls().stream().collect(Collectors.groupingBy(Receiver.Call::webhookId, Collectors.counting()));
        Set<String> union = new HashSet<>(expected);
        union.addAll(freshIds);
        assertEquals(union, delivered.keySet(), "the retry brought no id the receiver had not seen");
        // the worker drops an id it finished lately; past its memory the receiver gets the same webhook-id again
        expected.forEach(id -> assertTrue(delivered.get(id) <= 2, id + " delivered " + delivered.get(id) + " times"));
        freshIds.forEach(id -> assertEquals(1L, delivered.get(id)));
    }

    @Test
    void shouldRefuseWhatCannotBeResyncedNamingTheField() throws Exception {
        Receiver r = receiver();
        String vip = "[{\"on\":\"segment_entered\",\"segment\":\"vip\"}]";
        destination("hook", "webhook", r.url(), "", vip);
        destination("nolist", "crm", r.url(), ",\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"}}", vip);
        destination("events", "crm", r.url(), ",\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"},\"list\":\"l\"}",
                "[{\"on\":\"event\",\"event\":\"Order Completed\"}]");
        destination("off", "crm", r.url(), ",\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"},\"list\":\"l\"},\"enabled\":false", vip);
        members.put("vip", persons("v", 3));
        startConnectors(audience, "hook", "nolist", "events", "off");

        assertRefused(post("/api/v1/destinations/hook/resync", "", secretKey), 400, "NOT_A_CRM_DESTINATION", "type");
        assertRefused(post("/api/v1/destinations/nolist/resync", "", secretKey), 400, "NO_AUDIENCE_LIST", "crm.list");
        assertRefused(post("/api/v1/destinations/events/resync", "", secretKey), 400, "NO_SEGMENT_SUBSCRIPTION", "subscriptions");
        assertRefused(post("/api/v1/destinations/off/resync", "", secretKey), 400, "DESTINATION_DISABLED", "enabled");
        assertRefused(post("/api/v1/destinations/off/resync", "{\"resync_id\":7}", secretKey), 400, "INVALID_FIELD_TYPE", "resync_id");
        assertEquals(404, post("/api/v1/destinations/nope/resync", "", secretKey).statusCode());
        assertEquals(401, post("/api/v1/destinations/hook/resync", "", "sk_wrong").statusCode());
        assertEquals(List.of(), r.calls(), "nothing was sent");
    }

    @Test
    void shouldAnswer503WhenTheNodeHasNoEngine() throws Exception {
        Receiver r = receiver();
        destination("crm", "crm", r.url(), ",\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"},\"list\":\"newsletter\"}",
                "[{\"on\":\"segment_entered\",\"segment\":\"vip\"}]");
        startConnectors(null, "crm");

        HttpResponse<String> resp = post("/api/v1/destinations/crm/resync", "", secretKey);
        assertRefused(resp, 503, "ENGINE_UNAVAILABLE", null);
        assertTrue(resp.headers().firstValue("Retry-After").isPresent(), "Retry-After on the 503");
    }

    @Test
    void shouldDeliverAPersonDeletedToTheWebhookAndTheCrmAndPutNothingOnTheOutboxForPush() throws Exception {
        Receiver hook = receiver();
        Receiver crm = receiver();
        Receiver push = receiver();
        Receiver off = receiver();
        destination("hook", "webhook", hook.url(), "", "[]");
        destination("crm", "crm", crm.url(), ",\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"},\"list\":\"newsletter\"}", "[]");
        destination("push", "push", push.url(), ",\"template\":{\"title\":\"Hi\",\"body\":\"{{segment.name}}\"}", "[]");
        destination("off", "webhook", off.url(), ",\"enabled\":false", "[]");
        startConnectors(audience, "hook", "crm", "push", "off");

        List<String> ids = connectors.deletePerson(project, "u42", "req-1").toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(List.of(PersonDeletion.messageId("crm", project, "u42", "req-1"),
                PersonDeletion.messageId("hook", project, "u42", "req-1")), ids);
        await("the webhook and the CRM got the deletion", () -> hook.calls().size() >= 1 && crm.calls().size() >= 1);

        Receiver.Call h = hook.calls().get(0);
        assertEquals(PersonDeletion.messageId("hook", project, "u42", "req-1"), h.webhookId());
        assertEquals("person.deleted", h.json().path("type").asText());
        assertEquals("u42", h.json().path("data").path("person_id").asText());
        assertEquals("req-1", h.json().path("data").path("request_id").asText());
        Receiver.Call c = crm.calls().get(0);
        assertEquals(PersonDeletion.messageId("crm", project, "u42", "req-1"), c.webhookId());
        assertEquals("delete", c.json().path("action").asText());
        assertEquals("newsletter", c.json().path("list").asText());
        assertEquals("u42", c.json().path("contacts").path(0).path("external_id").asText());

        List<OutboxMessage> deletions = outbox().stream().filter(m -> m.type().equals(MessageTypes.PERSON_DELETED)).toList();
        assertEquals(Set.of("hook", "crm"), deletions.stream().map(OutboxMessage::destinationId).collect(Collectors.toSet()),
                "push and the disabled destination get no person.deleted");
        assertEquals(2, deletions.size());
        assertEquals(List.of(), push.calls());
        assertEquals(List.of(), off.calls());

        List<String> again = connectors.deletePerson(project, "u42", "req-1").toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(ids, again, "the same request id gives the same message ids");
        List<String> other = connectors.deletePerson(project, "u42").toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertNotEquals(ids.get(0), other.get(0));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private Receiver receiver() {
        Receiver r = new Receiver(call -> Receiver.Answer.ok());
        receivers.add(r);
        return r;
    }

    private void segment(String id, String name) {
        controlPlane.segments().put(SegmentJson.parseBody(json("{\"name\":\"" + name + "\",\"rule\":{\"last_seen_within\":\"P1D\"}}"),
                project, id), 0).toCompletableFuture().join();
    }

    private void destination(String id, String type, String url, String extra, String subscriptions) {
        DestinationDefinition d = DestinationJson.parseBody(json("{\"name\":\"" + id + "\",\"type\":\"" + type + "\",\"url\":\"" + url
                + "\",\"secrets\":[\"" + SECRET + "\"],\"concurrency\":4,\"rate_limit_per_second\":1000,"
                + "\"subscriptions\":" + subscriptions + extra + "}"), project, id);
        controlPlane.destinations().put(d, 0).toCompletableFuture().join();
    }

    private static List<String> persons(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    private HttpResponse<String> post(String path, String body, String key) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> resp, int status, String code, String field) throws Exception {
        assertEquals(status, resp.statusCode(), resp.body());
        JsonNode error = JSON.readTree(resp.body()).path("error");
        assertEquals(code, error.path("code").asText(), resp.body());
        if (field != null) {
            assertEquals(field, error.path("field").asText(), resp.body());
        }
    }

    private List<OutboxMessage> outbox() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-outbox-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<OutboxMessage> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topics.cdpOutbox()));
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(CdpCodec.decodeMessage(r.value()));
                }
            }
        }
        return out;
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            LockSupport.parkNanos(POLL.toNanos()); // poll interval
        }
        throw new AssertionError("not within " + DEADLINE + ": " + what);
    }
}
