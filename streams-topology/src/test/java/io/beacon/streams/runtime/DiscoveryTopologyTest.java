package io.beacon.streams.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.control.discovery.DiscoveryCodec;
import io.beacon.control.discovery.DiscoveryKind;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.registry.EventStatus;
import io.beacon.control.registry.PropertyDefinition;
import io.beacon.control.registry.PropertyType;
import io.beacon.event.RawEnvelope;
import io.beacon.event.TopicNames;
import io.beacon.streams.discovery.Discovery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/** Discovery in the topology: counts per unregistered item, published per interval to the discovery topic. */
class DiscoveryTopologyTest {
    private static final TopicNames TOPICS = TopicNames.withPrefix("test.");
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final String STRICT = "shop";
    private static final String PERMISSIVE = "blog";

    @TempDir
    Path stateDir;

    private RegistryFixture fixture;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;
    private TestOutputTopic<String, byte[]> discovery;
    private TopologySettings settings;
    private int nextId;

    @BeforeEach
    void start() {
        // Given projects that registered only "Order Completed" with order_id
        fixture = new RegistryFixture();
        fixture.project(STRICT, EnforcementMode.STRICT);
        fixture.project(PERMISSIVE, EnforcementMode.PERMISSIVE);
        for (String p : List.of(STRICT, PERMISSIVE)) {
            fixture.property(p, PropertyDefinition.of("order_id", PropertyType.STRING))
                    .event(p, "Order Completed", EventStatus.LIVE, List.of("order_id"), List.of());
        }
        settings = TopologySettings.fromConfig(ConfigFactory.load())
                .withApplicationId("discovery-test").withTopics(TOPICS).withStateDir(stateDir).withDiscoveryInterval(INTERVAL);
        driver = new TopologyTestDriver(EventTopology.buildTopology(settings, fixture.rules), EventPipeline.streamsConfig(settings));
        raw = driver.createInputTopic(TOPICS.raw(), new StringSerializer(), new ByteArraySerializer());
        discovery = driver.createOutputTopic(settings.discoveryTopic(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(String project, String eventName, long receivedAt, Map<String, ?> properties) {
        RawEnvelope e = Envelopes.track(project, "evt-" + (++nextId), "user-" + nextId, eventName, properties);
        e = new RawEnvelope(e.projectId(), e.eventId(), receivedAt, e.ip(), e.userAgent(), e.format(), e.payload());
        raw.pipeInput(Envelopes.key(e), Envelopes.bytes(e));
    }

    /** Two intervals: one for the per-partition deltas, one for the totals. */
    private Map<String, DiscoveredItem> publish() {
        driver.advanceWallClockTime(INTERVAL);
        driver.advanceWallClockTime(INTERVAL);
        Map<String, DiscoveredItem> out = new LinkedHashMap<>();
        for (KeyValue<String, byte[]> kv : discovery.readKeyValuesToList()) {
            DiscoveredItem item = DiscoveryCodec.decode(kv.value);
            assertEquals(item.key(), kv.key, "keyed project/kind/name");
            assertTrue(out.put(kv.key, item) == null, "each key at most once per interval: " + kv.key);
        }
        return out;
    }

    @Test
    void shouldPublishUnregisteredEventsAndPropertiesWithCountsTimesAndInferredTypes() {
        long t = Envelopes.RECEIVED_AT;
        send(PERMISSIVE, "Signup Started", t, Map.of("plan", "pro", "seats", 3, "trial_ends", "2026-01-01T00:00:00Z"));
        send(PERMISSIVE, "Signup Started", t + 1_000, Map.of("plan", "free", "seats", "4", "tags", List.of("a")));
        send(PERMISSIVE, "Signup Started", t + 2_000, Map.of("seats", 5));
        send(PERMISSIVE, "Order Completed", t + 3_000, Map.of("order_id", "o-1", "coupon_used", true));

        Map<String, DiscoveredItem> out = publish();

        DiscoveredItem signup = out.get("blog/event/Signup Started");
        assertEquals(3, signup.volume());
        assertEquals(t, signup.firstSeen());
        assertEquals(t + 2_000, signup.lastSeen());
        assertEquals(Optional.empty(), signup.inferredType());
        DiscoveredItem seats = out.get("blog/property/seats");
        assertEquals(3, seats.volume());
        assertEquals(Map.of("number", 2L, "string", 1L), seats.typeCounts());
        assertEquals(Optional.of(PropertyType.STRING), seats.inferredType(), "\"4\" was sent as a string: string fits all");
        assertEquals(Optional.of(PropertyType.STRING), out.get("blog/property/plan").inferredType());
        assertEquals(2, out.get("blog/property/plan").volume());
        assertEquals(Optional.of(PropertyType.DATETIME), out.get("blog/property/trial_ends").inferredType());
        assertEquals(Optional.of(PropertyType.LIST), out.get("blog/property/tags").inferredType());
        assertEquals(Optional.of(PropertyType.BOOLEAN), out.get("blog/property/coupon_used").inferredType());
        assertEquals(6, out.size(), "registered names are not discovered: " + out.keySet());
    }

    @Test
    void shouldDiscoverEventsThatStrictModeRejects() {
        send(STRICT, "Signup Started", Envelopes.RECEIVED_AT, Map.of("plan", "pro"));

        Map<String, DiscoveredItem> out = publish();

        assertEquals(List.of("shop/event/Signup Started", "shop/property/plan"), List.copyOf(out.keySet()));
        assertTrue(driver.createOutputTopic(TOPICS.dlq(), new StringDeserializer(), new ByteArrayDeserializer())
                .readValuesToList().size() == 1, "and the event itself is dead-lettered");
    }

    @Test
    void shouldAccumulateAcrossIntervalsAndRepublishOnlyChangedItems() {
        send(PERMISSIVE, "Signup Started", Envelopes.RECEIVED_AT, Map.of("plan", "pro"));
        send(PERMISSIVE, "Feed Opened", Envelopes.RECEIVED_AT, Map.of());
        assertEquals(3, publish().size());

        // When only "Signup Started" is seen again
        send(PERMISSIVE, "Signup Started", Envelopes.RECEIVED_AT + 60_000, Map.of());
        send(PERMISSIVE, "Signup Started", Envelopes.RECEIVED_AT + 120_000, Map.of());
        Map<String, DiscoveredItem> second = publish();

        // Then only its running total is published again
        assertEquals(List.of("blog/event/Signup Started"), List.copyOf(second.keySet()));
        DiscoveredItem total = second.get("blog/event/Signup Started");
        assertEquals(3, total.volume());
        assertEquals(Envelopes.RECEIVED_AT, total.firstSeen());
        assertEquals(Envelopes.RECEIVED_AT + 120_000, total.lastSeen());
        KeyValueStore<String, DiscoveredItem> totals = driver.getKeyValueStore(Discovery.TOTALS_STORE);
        assertEquals(3, totals.get("blog/event/Signup Started").volume(), "the totals store holds the same");
        assertEquals(1, totals.get("blog/event/Feed Opened").volume());
        assertTrue(publish().isEmpty(), "nothing new, nothing published");
    }

    @Test
    void shouldStopCountingANameOnceItIsRegistered() {
        send(PERMISSIVE, "Signup Started", Envelopes.RECEIVED_AT, Map.of());
        publish();

        fixture.event(PERMISSIVE, "Signup Started", EventStatus.DRAFT, List.of(), List.of());
        send(PERMISSIVE, "Signup Started", Envelopes.RECEIVED_AT + 1, Map.of());

        assertTrue(publish().isEmpty());
    }

    @Test
    void shouldNotDiscoverProtocolCallsOrKeepAnyValues() {
        RawEnvelope identify = Envelopes.identify(PERMISSIVE, "evt-i", "user-1", Map.of("email", "jane@example.com"));
        raw.pipeInput(Envelopes.key(identify), Envelopes.bytes(identify));
        send(PERMISSIVE, "Signup Started", Envelopes.RECEIVED_AT, Map.of("email", "jane@example.com"));

        Map<String, DiscoveredItem> out = publish();
        assertEquals(List.of("blog/event/Signup Started", "blog/property/email"), List.copyOf(out.keySet()));
        for (DiscoveredItem item : out.values()) {
            assertTrue(!new String(DiscoveryCodec.encode(item)).contains("jane@example.com"), "no values in discovery");
        }
        assertEquals(DiscoveryKind.PROPERTY, out.get("blog/property/email").kind());
    }
}
