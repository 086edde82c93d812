package io.beacon.streams.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.PersonDistinctId;
import io.beacon.event.PersonProperty;
import io.beacon.event.RawEnvelope;
import io.beacon.event.SessionSummary;
import io.beacon.event.TopicNames;
import io.beacon.event.WireFormat;
import io.beacon.streams.identity.Identity;
import io.beacon.streams.identity.IdentityLink;
import io.beacon.streams.sessions.DeviceState;
import io.beacon.streams.sessions.Sessionizer;
import io.beacon.streams.sessions.Sessions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessionization and identity in the running topology (default settings: gap 30 min, max 24 h,
 * grace 5 min), asserted on the valid and sessions topics and on the stores.
 */
class SessionsTopologyTest {
    private static final TopicNames TOPICS = TopicNames.withPrefix("test.");
    private static final long T0 = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;
    private TestOutputTopic<String, byte[]> valid;
    private TestOutputTopic<String, byte[]> sessions;
    private TestOutputTopic<String, byte[]> links;
    private TestOutputTopic<String, byte[]> persons;
    private int sequence;

    @BeforeEach
    void startDriver() {
        TopologySettings settings = TopologySettings.fromConfig(com.typesafe.config.ConfigFactory.load())
                .withApplicationId("sessions-test").withTopics(TOPICS).withStateDir(stateDir);
        Properties config = EventPipeline.streamsConfig(settings);
        driver = new TopologyTestDriver(EventTopology.buildTopology(settings, new RegistryFixture().rules), config);
        raw = driver.createInputTopic(TOPICS.raw(), new StringSerializer(), new ByteArraySerializer());
        valid = driver.createOutputTopic(TOPICS.valid(), new StringDeserializer(), new ByteArrayDeserializer());
        sessions = driver.createOutputTopic(TOPICS.sessions(), new StringDeserializer(), new ByteArrayDeserializer());
        links = driver.createOutputTopic(TOPICS.personDistinctIds(), new StringDeserializer(), new ByteArrayDeserializer());
        persons = driver.createOutputTopic(TOPICS.persons(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    // ---- fixtures: Segment calls with an explicit timestamp (trusted as given) ----

    private ObjectNode call(String type, String userId, String anonymousId, long at) {
        ObjectNode p = EventCodec.mapper().createObjectNode().put("type", type).put("messageId", "m-" + (++sequence))
                .put("timestamp", Instant.ofEpochMilli(at).toString());
        if (userId != null) {
            p.put("userId", userId);
        }
        if (anonymousId != null) {
            p.put("anonymousId", anonymousId);
        }
        if (type.equals("track")) {
            p.put("event", "Clicked");
        }
        return p;
    }

    private ObjectNode page(String anonymousId, long at, String url) {
        ObjectNode p = call("page", null, anonymousId, at);
        p.putObject("properties").put("url", url);
        return p;
    }

    private void send(ObjectNode payload) {
        String user = payload.path("userId").asText(payload.path("anonymousId").asText());
        RawEnvelope env = new RawEnvelope("p1", payload.get("messageId").asText(), T0 + 48 * 60 * MIN,
                "203.0.113.7", "test-agent/1.0", WireFormat.SEGMENT, payload);
        raw.pipeInput("p1:" + user, EventCodec.encode(env));
    }

    private List<Event> events() {
        return valid.readValuesToList().stream().map(EventCodec::decodeEvent).toList();
    }

    /** Sessions topic: key → latest value (null for a tombstone), in arrival order. */
    private List<KeyValue<String, SessionSummary>> sessionRecords() {
        List<KeyValue<String, SessionSummary>> out = new ArrayList<>();
        for (KeyValue<String, byte[]> kv : sessions.readKeyValuesToList()) {
            out.add(KeyValue.pair(kv.key, kv.value == null ? null : EventCodec.decode(kv.value, SessionSummary.class)));
        }
        return out;
    }

    private static Map<String, SessionSummary> latest(List<KeyValue<String, SessionSummary>> records) {
        Map<String, SessionSummary> byKey = new LinkedHashMap<>();
        for (KeyValue<String, SessionSummary> kv : records) {
            if (kv.value == null) {
                byKey.remove(kv.key);
            } else {
                byKey.put(kv.key, kv.value);
            }
        }
        return byKey;
    }

    // ---- sessions ----

    @Test
    void shouldStartANewSessionAfterTheInactivityGap() {
        send(page("d1", T0, "https://shop.example/"));
        send(page("d1", T0 + 10 * MIN, "https://shop.example/a"));
        send(page("d1", T0 + 45 * MIN, "https://shop.example/b"));

        List<Event> out = events();
        assertEquals(out.get(0).sessionId(), out.get(1).sessionId());
        assertNotEquals(out.get(1).sessionId(), out.get(2).sessionId(), "35 min of inactivity >= 30 min gap");
        Map<String, SessionSummary> current = latest(sessionRecords());
        assertEquals(2, current.size());
        SessionSummary first = current.get("p1:" + out.get(0).sessionId());
        assertEquals(2, first.eventCount());
        assertEquals(10 * MIN, first.durationMillis());
        assertEquals("https://shop.example/", first.entryUrl());
        assertEquals("https://shop.example/a", first.exitUrl());
        assertEquals(2, first.pageviewCount());
        assertEquals("d1", first.personId());
    }

    @Test
    void shouldSplitASessionAtTheMaximumLength() {
        // Given an event every 20 minutes for 25 hours: never 30 minutes of inactivity
        for (long t = 0; t <= 25 * 60; t += 20) {
            send(call("track", null, "d1", T0 + t * MIN));
        }

        List<Event> out = events();
        String firstId = out.get(0).sessionId();
        long firstCount = out.stream().filter(e -> e.sessionId().equals(firstId)).count();
        assertEquals(73, firstCount, "0 .. 24 h inclusive in 20-minute steps");
        assertNotEquals(firstId, out.get(out.size() - 1).sessionId());
        Map<String, SessionSummary> current = latest(sessionRecords());
        assertEquals(2, current.size());
        assertEquals(24 * 60 * MIN, current.get("p1:" + firstId).durationMillis());
        assertTrue(current.values().stream().allMatch(s -> s.durationMillis() <= 24 * 60 * MIN));
    }

    @Test
    void shouldAttributeAnOutOfOrderEventWithinGraceAndMergeTheSessionsItBridges() {
        send(call("track", null, "d1", T0));
        send(call("track", null, "d1", T0 + 32 * MIN)); // 32 min later: a second session
        // When an event 3 min older than the latest one (within the 5 min grace) arrives, 29 min after the first
        send(call("track", null, "d1", T0 + 29 * MIN));

        List<Event> out = events();
        String first = out.get(0).sessionId();
        String second = out.get(1).sessionId();
        assertNotEquals(first, second);
        assertEquals(first, out.get(2).sessionId(), "the late event belongs to the earlier session");
        assertFalse(out.get(2).warnings().contains(Sessionizer.LATE_EVENT));
        List<KeyValue<String, SessionSummary>> records = sessionRecords();
        assertTrue(records.contains(KeyValue.pair("p1:" + second, null)), "tombstone for the merged-away session: " + records);
        Map<String, SessionSummary> current = latest(records);
        assertEquals(1, current.size(), "in order, these three events are one session");
        SessionSummary merged = current.get("p1:" + first);
        assertEquals(3, merged.eventCount());
        assertEquals(32 * MIN, merged.durationMillis());
        assertEquals(List.of(second), merged.mergedSessionIds());
    }

    @Test
    void shouldPlaceAnOutOfOrderEventInsideItsSessionWithinGrace() {
        send(page("d1", T0, "https://shop.example/"));
        send(page("d1", T0 + 20 * MIN, "https://shop.example/exit"));
        send(page("d1", T0 + 17 * MIN, "https://shop.example/middle"));

        List<Event> out = events();
        assertEquals(1, out.stream().map(Event::sessionId).distinct().count());
        SessionSummary s = latest(sessionRecords()).values().iterator().next();
        assertEquals(3, s.eventCount());
        assertEquals("https://shop.example/exit", s.exitUrl(), "exit page by event time, not arrival");
    }

    @Test
    void shouldAttachAnEventLateBeyondGraceWithoutMergingSessions() {
        send(call("track", null, "d1", T0));
        send(call("track", null, "d1", T0 + 40 * MIN));
        // When an event 20 min behind the device's latest (beyond the 5 min grace) arrives
        send(call("track", null, "d1", T0 + 20 * MIN));
        // and one 3 h behind, near no session
        send(call("track", null, "d1", T0 - 3 * 60 * MIN));

        List<Event> out = events();
        assertEquals(out.get(0).sessionId(), out.get(2).sessionId(), "attached to the nearest session (a tie: the earlier)");
        assertTrue(out.get(2).warnings().contains(Sessionizer.LATE_EVENT));
        assertTrue(out.get(3).warnings().contains(Sessionizer.LATE_EVENT));
        assertEquals(3, out.stream().map(Event::sessionId).distinct().count(), "no merge; the very old event has its own session");
        List<KeyValue<String, SessionSummary>> records = sessionRecords();
        assertTrue(records.stream().noneMatch(kv -> kv.value == null), "no tombstone");
        Map<String, SessionSummary> current = latest(records);
        assertEquals(3, current.size());
        assertEquals(2, current.get("p1:" + out.get(0).sessionId()).eventCount());
    }

    @Test
    void shouldKeepAValidClientSessionIdAndReplaceAnInvalidOne() {
        ObjectNode withId = call("track", null, "d1", T0);
        withId.putObject("context").put("sessionId", "client-session-1");
        ObjectNode sameIdMuchLater = call("track", null, "d1", T0 + 3 * 60 * MIN);
        sameIdMuchLater.putObject("context").put("sessionId", "client-session-1");
        ObjectNode invalid = call("track", null, "d2", T0);
        invalid.putObject("context").put("sessionId", "undefined");
        send(withId);
        send(sameIdMuchLater);
        send(invalid);

        List<Event> out = events();
        assertEquals("client-session-1", out.get(0).sessionId());
        assertEquals("client-session-1", out.get(1).sessionId(), "the client's boundaries are kept");
        assertNotEquals("undefined", out.get(2).sessionId());
        assertTrue(out.get(2).warnings().contains(Sessionizer.INVALID_SESSION_ID));
        SessionSummary client = latest(sessionRecords()).get("p1:client-session-1");
        assertTrue(client.clientDefined());
        assertEquals(2, client.eventCount());
        assertEquals(3 * 60 * MIN, client.durationMillis());
    }

    @Test
    void shouldKeepOneSessionWhenTheDeviceIdentifiesMidVisit() {
        send(call("track", null, "d1", T0));
        send(call("identify", "alice", "d1", T0 + 5 * MIN));
        send(call("track", "alice", "d1", T0 + 10 * MIN));

        List<Event> out = events();
        assertEquals(1, out.stream().map(Event::sessionId).distinct().count());
        assertEquals(List.of("d1", "alice", "alice"), out.stream().map(Event::personId).toList());
        assertEquals("alice", latest(sessionRecords()).values().iterator().next().personId());
    }

    // ---- identity ----

    @Test
    void shouldLinkAnAnonymousIdOnIdentifyAndResolveItsLaterAnonymousEvents() {
        send(call("track", null, "d1", T0));
        send(call("identify", "alice", "d1", T0 + MIN));
        send(call("track", null, "d1", T0 + 2 * MIN));

        List<KeyValue<String, Event>> out = valid.readKeyValuesToList().stream()
                .map(kv -> KeyValue.pair(kv.key, EventCodec.decodeEvent(kv.value))).toList();
        assertEquals("p1:d1", out.get(0).key, "before the link the anonymous id is its own person");
        assertEquals("p1:alice", out.get(1).key);
        assertEquals("alice", out.get(2).value.personId(), "resolved through the identity store");
        assertEquals("p1:alice", out.get(2).key);
        List<PersonDistinctId> made = links.readValuesToList().stream().map(v -> EventCodec.decode(v, PersonDistinctId.class)).toList();
        assertTrue(made.stream().anyMatch(l -> l.distinctId().equals("d1") && l.personId().equals("alice")), made.toString());
        KeyValueStore<String, IdentityLink> store = driver.getKeyValueStore(Identity.STORE_NAME);
        assertEquals("alice", store.get("p1:d1").personId());
        assertTrue(store.get("p1:alice").identified(), "the identify's claim records the user id itself");
    }

    @Test
    void shouldNeverMergeGuardRailIds() {
        for (String illegal : List.of("undefined", "null", "0", "anonymous", "NaN", "  ")) {
            send(call("identify", "u-" + illegal.trim().length() + illegal.trim(), illegal, T0));
        }
        send(call("track", null, "undefined", T0 + MIN));

        List<Event> out = events();
        assertEquals(7, out.size());
        for (Event e : out.subList(0, 6)) {
            assertEquals(e.userId(), e.personId());
            assertTrue(e.warnings().contains(Identity.MERGE_REFUSED_WARNING) || e.anonymousId() == null, e.toString());
        }
        assertEquals("undefined", out.get(6).personId(), "an anonymous 'undefined' belongs to no user");
        List<PersonDistinctId> made = links.readValuesToList().stream().map(v -> EventCodec.decode(v, PersonDistinctId.class)).toList();
        assertTrue(made.stream().allMatch(l -> l.distinctId().equals(l.personId())), "only self claims, no links: " + made);
        assertEquals(5.0, metric(Identity.REFUSED_ILLEGAL_METRIC), "the blank id is no id at all");
    }

    @Test
    void shouldRefuseToMergeTwoIdentifiedUsers() {
        send(call("identify", "alice", "d1", T0));
        send(call("identify", "bob", "d1", T0 + MIN)); // the same device identifies as another user
        ObjectNode alias = call("alias", "carol", null, T0 + 2 * MIN);
        alias.put("previousId", "alice"); // alias of an identified user to another
        send(alias);

        List<Event> out = events();
        assertEquals(List.of("alice", "bob", "carol"), out.stream().map(Event::personId).toList());
        assertTrue(out.get(1).warnings().contains(Identity.MERGE_REFUSED_WARNING));
        assertTrue(out.get(2).warnings().contains(Identity.MERGE_REFUSED_WARNING));
        KeyValueStore<String, IdentityLink> store = driver.getKeyValueStore(Identity.STORE_NAME);
        assertEquals("alice", store.get("p1:d1").personId(), "the first link stays");
        assertEquals("alice", store.get("p1:alice").personId());
        assertEquals(2.0, metric(Identity.REFUSED_IDENTIFIED_METRIC));
    }

    @Test
    void shouldPublishPersonPropertiesWithSetOnceVersions() {
        ObjectNode identify = call("identify", "alice", "d1", T0);
        identify.putObject("traits").put("plan", "pro").putObject("$set_once").put("first_seen_plan", "free");
        send(identify);

        List<PersonProperty> props = persons.readValuesToList().stream().map(v -> EventCodec.decode(v, PersonProperty.class)).toList();
        assertEquals(2, props.size());
        PersonProperty plan = props.stream().filter(p -> p.key().equals("plan")).findFirst().orElseThrow();
        PersonProperty once = props.stream().filter(p -> p.key().equals("first_seen_plan")).findFirst().orElseThrow();
        assertEquals("alice", plan.personId());
        assertFalse(plan.setOnce());
        assertTrue(once.setOnce());
        assertTrue(plan.version() > once.version(), "a $set value always beats a $set_once value");
    }

    @Test
    void shouldKeepDeviceStateInTheSessionStore() {
        send(call("track", null, "d1", T0));
        KeyValueStore<String, DeviceState> store = driver.getKeyValueStore(Sessions.DEVICE_STORE);
        DeviceState state = store.get("p1:d1");
        assertEquals(T0, state.watermark());
        assertEquals(1, state.sessions().size());
        assertNull(store.get("p1:d2"));
    }

    private double metric(String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name + "-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
