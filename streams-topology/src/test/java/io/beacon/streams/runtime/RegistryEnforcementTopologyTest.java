package io.beacon.streams.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.registry.EventStatus;
import io.beacon.control.registry.PiiClass;
import io.beacon.control.registry.PiiTransformer;
import io.beacon.control.registry.PropertyDefinition;
import io.beacon.control.registry.PropertyType;
import io.beacon.event.DeadLetter;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.RawEnvelope;
import io.beacon.event.RejectionCode;
import io.beacon.event.TopicNames;
import io.beacon.streams.validate.EventValidation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The validate stage in the topology: registry modes, statuses, reason codes, coercion and PII, with the
 * registry held in an {@code InMemoryConfigStore} and edited while the driver runs.
 */
class RegistryEnforcementTopologyTest {
    private static final TopicNames TOPICS = TopicNames.withPrefix("test.");
    private static final String STRICT = "shop";
    private static final String PERMISSIVE = "blog";
    private static final String ORDER = "Order Completed";

    @TempDir
    Path stateDir;

    private RegistryFixture fixture;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;
    private TestOutputTopic<String, byte[]> valid;
    private TestOutputTopic<String, byte[]> dlq;
    private int nextId;

    @BeforeEach
    void start() {
        // Given a strict and a permissive project sharing one tracking plan:
        // "Order Completed" (live) requires order_id, revenue; optional plan, email, card, ssn
        fixture = new RegistryFixture();
        for (String project : List.of(STRICT, PERMISSIVE)) {
            fixture.project(project, project.equals(STRICT) ? EnforcementMode.STRICT : EnforcementMode.PERMISSIVE);
            fixture.property(project, PropertyDefinition.of("order_id", PropertyType.STRING))
                    .property(project, PropertyDefinition.of("revenue", PropertyType.NUMBER))
                    .property(project, PropertyDefinition.of("plan", PropertyType.STRING).withEnumValues(List.of("free", "pro")))
                    .property(project, PropertyDefinition.of("email", PropertyType.STRING).withPii(PiiClass.HASH))
                    .property(project, PropertyDefinition.of("card", PropertyType.STRING).withPii(PiiClass.MASK))
                    .property(project, PropertyDefinition.of("ssn", PropertyType.STRING).withPii(PiiClass.DROP))
                    .event(project, ORDER, EventStatus.LIVE, List.of("order_id", "revenue"), List.of("plan", "email", "card", "ssn"))
                    .event(project, "Page Pinged", EventStatus.DEPRECATED, List.of(), List.of())
                    .event(project, "Legacy Ping", EventStatus.BLOCKED, List.of(), List.of());
        }
        TopologySettings settings = TopologySettings.fromConfig(ConfigFactory.load())
                .withApplicationId("enforcement-test").withTopics(TOPICS).withStateDir(stateDir);
        driver = new TopologyTestDriver(EventTopology.buildTopology(settings, fixture.rules), EventPipeline.streamsConfig(settings));
        raw = driver.createInputTopic(TOPICS.raw(), new StringSerializer(), new ByteArraySerializer());
        valid = driver.createOutputTopic(TOPICS.valid(), new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(TOPICS.dlq(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    // ---- fixtures ------------------------------------------------------------------------------

    private static Map<String, Object> order() {
        return Map.of("order_id", "o-1", "revenue", 12.5, "plan", "pro");
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(base);
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        return m;
    }

    private RawEnvelope send(String project, String eventName, Map<String, ?> properties) {
        RawEnvelope envelope = Envelopes.track(project, "evt-" + (++nextId), "user-1", eventName, properties);
        raw.pipeInput(Envelopes.key(envelope), Envelopes.bytes(envelope));
        return envelope;
    }

    private Event onlyValid() {
        List<byte[]> out = valid.readValuesToList();
        assertEquals(1, out.size(), "one event on valid");
        assertTrue(dlq.isEmpty(), "nothing on the DLQ");
        return EventCodec.decodeEvent(out.get(0));
    }

    /** Asserts the one DLQ record: code, field, stage, original bytes, ids; and that valid is empty. */
    private DeadLetter assertDeadLettered(RawEnvelope sent, RejectionCode code, String field) {
        List<org.apache.kafka.streams.KeyValue<String, byte[]>> out = dlq.readKeyValuesToList();
        assertEquals(1, out.size(), "one record on the DLQ");
        assertEquals(sent.eventId(), out.get(0).key);
        DeadLetter letter = EventCodec.decodeDeadLetter(out.get(0).value);
        assertEquals(code, letter.code(), letter.message());
        assertEquals(field, letter.field());
        assertEquals(EventValidation.STAGE, letter.stage());
        assertArrayEquals(Envelopes.bytes(sent), letter.original());
        assertEquals(sent.projectId(), letter.projectId());
        assertEquals(sent.eventId(), letter.eventId());
        assertEquals(TOPICS.raw(), letter.sourceTopic());
        assertTrue(valid.isEmpty(), "nothing on valid");
        return letter;
    }

    // ---- modes ---------------------------------------------------------------------------------

    @Test
    void shouldRouteUnknownEventToDeadLetterTopicInStrictMode() {
        RawEnvelope sent = send(STRICT, "Signup Started", Map.of("plan", "pro"));

        assertDeadLettered(sent, RejectionCode.UNKNOWN_EVENT, "event");
    }

    @Test
    void shouldPassUnknownEventFlaggedInPermissiveMode() {
        send(PERMISSIVE, "Signup Started", Map.of("plan", "pro", "referrer_code", "x"));

        Event event = onlyValid();
        assertEquals("Signup Started", event.eventName());
        assertEquals(List.of("UNKNOWN_EVENT:event", "UNKNOWN_PROPERTY:properties.referrer_code"), event.warnings());
        assertEquals(Map.of("plan", "pro", "referrer_code", "x"), event.properties());
    }

    @Test
    void shouldRouteUnknownPropertyToDeadLetterTopicInStrictMode() {
        RawEnvelope sent = send(STRICT, ORDER, with(order(), "coupon", "SPRING"));

        assertDeadLettered(sent, RejectionCode.UNKNOWN_PROPERTY, "properties.coupon");
    }

    @Test
    void shouldPassUnknownPropertyFlaggedInPermissiveMode() {
        send(PERMISSIVE, ORDER, with(order(), "coupon", "SPRING"));

        Event event = onlyValid();
        assertEquals(List.of("UNKNOWN_PROPERTY:properties.coupon"), event.warnings());
        assertEquals("SPRING", event.properties().get("coupon"), "kept unchanged");
    }

    @ParameterizedTest
    @EnumSource(EnforcementMode.class)
    void shouldRouteBlockedEventToDeadLetterTopicInEveryMode(EnforcementMode mode) {
        RawEnvelope sent = send(mode == EnforcementMode.STRICT ? STRICT : PERMISSIVE, "Legacy Ping", Map.of());

        assertDeadLettered(sent, RejectionCode.BLOCKED_EVENT, "event");
    }

    @ParameterizedTest
    @EnumSource(EnforcementMode.class)
    void shouldPassDeprecatedEventFlaggedInEveryMode(EnforcementMode mode) {
        send(mode == EnforcementMode.STRICT ? STRICT : PERMISSIVE, "Page Pinged", Map.of());

        assertEquals(List.of("DEPRECATED_EVENT:event"), onlyValid().warnings());
    }

    @Test
    void shouldPassRegisteredEventWithoutWarnings() {
        send(STRICT, ORDER, order());

        Event event = onlyValid();
        assertEquals(List.of(), event.warnings());
        assertEquals(order(), event.properties());
    }

    // ---- reason codes of definitions (every mode) ----------------------------------------------

    @Test
    void shouldRouteValueThatCannotBeCoercedToDeadLetterTopicAsTypeMismatch() {
        RawEnvelope sent = send(PERMISSIVE, ORDER, with(order(), "revenue", "abc"));

        assertDeadLettered(sent, RejectionCode.TYPE_MISMATCH, "properties.revenue");
    }

    @Test
    void shouldRouteEventWithoutRequiredPropertyToDeadLetterTopic() {
        RawEnvelope sent = send(PERMISSIVE, ORDER, with(order(), "order_id", null));

        assertDeadLettered(sent, RejectionCode.MISSING_REQUIRED, "properties.order_id");
    }

    @Test
    void shouldRouteValueOutsideEnumToDeadLetterTopic() {
        RawEnvelope sent = send(STRICT, ORDER, with(order(), "plan", "enterprise"));

        assertDeadLettered(sent, RejectionCode.ENUM_VIOLATION, "properties.plan");
    }

    @Test
    void shouldAcceptNumericStringForNumberPropertyAsNumber() {
        send(STRICT, ORDER, with(order(), "revenue", "12"));

        Event event = onlyValid();
        assertEquals(12L, ((Number) event.properties().get("revenue")).longValue());
        assertTrue(event.properties().get("revenue") instanceof Number, "stored as a number, not the string \"12\"");
        assertEquals(List.of(), event.warnings());
    }

    // ---- PII -----------------------------------------------------------------------------------

    @Test
    void shouldNeverWriteRawPiiToValidTopic() {
        String email = "jane.secret@example.com";
        String card = "4111111111111111";
        String ssn = "078-05-1120";
        Project shop = fixture.byId(STRICT).orElseThrow();

        send(STRICT, ORDER, with(with(with(order(), "email", email), "card", card), "ssn", ssn));
        // and an identify with the same email as a trait, and a permissive unknown event carrying it as a property
        RawEnvelope identify = Envelopes.identify(STRICT, "evt-identify", "user-1", Map.of("email", email, "name", "Jane"));
        raw.pipeInput(Envelopes.key(identify), Envelopes.bytes(identify));
        send(PERMISSIVE, "Newsletter Joined", Map.of("email", email));

        List<byte[]> out = valid.readValuesToList();
        assertEquals(3, out.size());
        for (byte[] bytes : out) {
            String json = new String(bytes, StandardCharsets.UTF_8);
            for (String secret : List.of(email, card, ssn, "jane.secret")) {
                assertFalse(json.contains(secret), "raw PII '" + secret + "' in " + json);
            }
        }
        Event order = EventCodec.decodeEvent(out.get(0));
        assertEquals(PiiTransformer.hash(shop.piiSecret(), email), order.properties().get("email"), "hashed: joinable");
        assertEquals("************1111", order.properties().get("card"), "masked");
        assertFalse(order.properties().containsKey("ssn"), "dropped");
        Event identified = EventCodec.decodeEvent(out.get(1));
        assertEquals(PiiTransformer.hash(shop.piiSecret(), email), identified.traits().get("email"), "traits too");
        assertEquals("Jane", identified.traits().get("name"));
        assertTrue(dlq.isEmpty());
    }

    @Test
    void shouldHashAPageUrlColumnWhenUrlIsClassedAsPii() {
        // Given a project that hashes "url", and a page call (the mapper copies properties.url into page_url)
        fixture.property(PERMISSIVE, PropertyDefinition.of("url", PropertyType.STRING).withPii(PiiClass.HASH));
        String url = "https://example.com/reset?token=topsecret123";
        RawEnvelope page = new RawEnvelope(PERMISSIVE, "evt-page", Envelopes.RECEIVED_AT, null, null,
                io.beacon.event.WireFormat.SEGMENT, EventCodec.mapper().valueToTree(Map.of(
                        "type", "page", "userId", "user-1", "messageId", "evt-page", "properties", Map.of("url", url))));
        raw.pipeInput(Envelopes.key(page), Envelopes.bytes(page));

        byte[] bytes = valid.readValue();
        assertFalse(new String(bytes, StandardCharsets.UTF_8).contains("topsecret123"));
        Event event = EventCodec.decodeEvent(bytes);
        assertEquals(PiiTransformer.hash(fixture.byId(PERMISSIVE).orElseThrow().piiSecret(), url), event.pageUrl());
    }

    // ---- protocol calls ------------------------------------------------------------------------

    @Test
    void shouldNotCheckIdentifyAgainstTheTrackingPlanInStrictMode() {
        RawEnvelope identify = Envelopes.identify(STRICT, "evt-identify", "user-1", Map.of("plan", "enterprise"));
        raw.pipeInput(Envelopes.key(identify), Envelopes.bytes(identify));

        Event event = onlyValid();
        assertEquals("$identify", event.eventName());
        assertEquals(List.of(), event.warnings());
    }

    // ---- live registry and dedup ---------------------------------------------------------------

    @Test
    void shouldApplyARegistryEditToTheRunningTopology() {
        RawEnvelope before = send(STRICT, "Signup Started", Map.of());
        assertDeadLettered(before, RejectionCode.UNKNOWN_EVENT, "event");

        // When the event is registered while the topology runs
        fixture.event(STRICT, "Signup Started", EventStatus.LIVE, List.of(), List.of());
        send(STRICT, "Signup Started", Map.of());
        assertEquals("Signup Started", onlyValid().eventName());

        // and blocked again
        fixture.event(STRICT, "Signup Started", EventStatus.BLOCKED, List.of(), List.of());
        RawEnvelope after = send(STRICT, "Signup Started", Map.of());
        assertDeadLettered(after, RejectionCode.BLOCKED_EVENT, "event");
    }

    @Test
    void shouldStillDropDuplicatesOfValidatedEvents() {
        RawEnvelope first = Envelopes.track(STRICT, "evt-dup", "user-1", ORDER, order());
        raw.pipeInput(Envelopes.key(first), Envelopes.bytes(first));
        raw.pipeInput(Envelopes.key(first), Envelopes.bytes(first));

        assertEquals(1, valid.readValuesToList().size());
        assertTrue(dlq.isEmpty());
    }

    @Test
    void shouldPassAReplayOfARejectedEventOnceItsDefinitionIsFixedButDropAReplayOfAPassedOne() {
        // Given an event rejected for a missing definition (validate runs before dedup: it never entered the dedup store)
        RawEnvelope rejected = Envelopes.track(STRICT, "evt-replay", "user-1", "Signup Started", Map.of());
        raw.pipeInput(Envelopes.key(rejected), Envelopes.bytes(rejected));
        DeadLetter letter = assertDeadLettered(rejected, RejectionCode.UNKNOWN_EVENT, "event");

        // When the definition is fixed and the DLQ record's original bytes are re-submitted
        fixture.event(STRICT, "Signup Started", EventStatus.LIVE, List.of(), List.of());
        raw.pipeInput(Envelopes.key(rejected), letter.original());
        raw.pipeInput(Envelopes.key(rejected), letter.original()); // replayed twice by mistake

        // Then it lands exactly once
        List<byte[]> out = valid.readValuesToList();
        assertEquals(1, out.size());
        assertEquals("evt-replay", EventCodec.decodeEvent(out.get(0)).eventId());
        assertTrue(dlq.isEmpty());
    }
}
