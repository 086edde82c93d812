package io.beacon.streams.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.control.discovery.DiscoveryKind;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectKeys;
import io.beacon.control.registry.EventDefinition;
import io.beacon.control.registry.EventStatus;
import io.beacon.control.registry.PiiClass;
import io.beacon.control.registry.PiiTransformer;
import io.beacon.control.registry.PropertyDefinition;
import io.beacon.control.registry.PropertyType;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.DeadLetter;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.RawEnvelope;
import io.beacon.event.RejectionCode;
import io.beacon.event.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry enforced by a running {@link EventPipeline} on the real broker. Two control planes on the
 * isolated {@code <prefix>beacon.config}, as in two processes: the "admin" one edits definitions through
 * its {@code RegistryService}, the pipeline reads its own view — so an edit crosses Kafka before it applies.
 */
@ExtendWith(BeaconStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryEnforcementIT {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration EDIT_BOUND = Duration.ofSeconds(5);

    private TestStack stack;
    private TopicNames topics;
    private ControlPlane admin;
    private ControlPlane streamsSide;
    private EventPipeline pipeline;
    private KafkaConsumer<String, byte[]> outputs;
    /** Every output record read so far, by event id: valid events and dead letters. */
    private final Map<String, ConsumerRecord<String, byte[]>> seen = new HashMap<>();
    private int nextId;

    @BeforeAll
    void start(TestStack stack) throws Exception {
        this.stack = stack;
        String prefix = stack.uniqueName("enforce") + ".";
        topics = TopicNames.withPrefix(prefix);
        TopologySettings settings = TopologySettings.fromConfig(ConfigFactory.load())
                .withBootstrapServers(stack.bootstrapServers())
                .withTopics(topics)
                .withApplicationId(stack.uniqueName("enforce_app"))
                .withStateDir(Files.createTempDirectory("enforce-it"))
                .withDiscoveryInterval(Duration.ofMillis(500));
        EventTopics.createIfMissing(settings);
        ControlPlaneSettings cp = ControlPlaneSettings.fromConfig(ConfigFactory.parseMap(Map.of(
                        "beacon.kafka.bootstrap-servers", stack.bootstrapServers(),
                        "beacon.kafka.topic-prefix", prefix))
                .withFallback(ConfigFactory.defaultReference()));
        admin = ControlPlane.start(cp);
        streamsSide = ControlPlane.start(cp);
        pipeline = new EventPipeline(settings, streamsSide);
        pipeline.start();

        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        outputs = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.valid(), topics.dlq())) {
            for (PartitionInfo info : outputs.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        outputs.assign(partitions);
        outputs.seekToBeginning(partitions);
    }

    @AfterAll
    void stop() {
        if (outputs != null) {
            outputs.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (streamsSide != null) {
            streamsSide.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    // ---- fixtures ------------------------------------------------------------------------------

    /** A project created through the admin side, once the pipeline's view has it too. */
    private Project newProject(EnforcementMode mode) {
        Project p = new Project(stack.uniqueName("p").replace('_', '-'), "Shop", "UTC", mode, ProjectKeys.newWriteKey(),
                ProjectKeys.newSecretKey(), ProjectKeys.newPiiSecret());
        admin.projects().create(p).toCompletableFuture().join();
        awaitTrue(() -> streamsSide.projects().byId(p.id()).isPresent(), Duration.ofSeconds(10), "project reached the pipeline's view");
        return p;
    }

    private RawEnvelope produce(String project, String eventName, Map<String, ?> properties) throws Exception {
        RawEnvelope e = Envelopes.track(project, "probe-" + (++nextId), "user-" + nextId, eventName, properties);
        KafkaTestIo.produce(stack.bootstrapServers(), topics.raw(), List.of(Map.entry(Envelopes.key(e), Envelopes.bytes(e))));
        return e;
    }

    /** Waits (polling the committed outputs) until the event's outcome is on valid or the DLQ. */
    private ConsumerRecord<String, byte[]> outcome(RawEnvelope sent, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ConsumerRecord<String, byte[]> r = seen.get(sent.eventId());
            if (r != null) {
                return r;
            }
            for (ConsumerRecord<String, byte[]> record : outputs.poll(Duration.ofMillis(50))) {
                String id = record.topic().equals(topics.valid())
                        ? EventCodec.decodeEvent(record.value()).eventId()
                        : EventCodec.decodeDeadLetter(record.value()).eventId();
                seen.put(id, record);
            }
        }
        throw new AssertionError("no outcome for " + sent.eventId() + " within " + timeout);
    }

    private boolean accepted(ConsumerRecord<String, byte[]> r) {
        return r.topic().equals(topics.valid());
    }

    /** Sends probes one after the other until {@code wanted} holds for one; returns the time from {@code since}. */
    private Duration probeUntil(String project, String eventName, long since,
                                java.util.function.Predicate<ConsumerRecord<String, byte[]>> wanted) throws Exception {
        while (System.nanoTime() - since < Duration.ofSeconds(30).toNanos()) {
            ConsumerRecord<String, byte[]> r = outcome(produce(project, eventName, Map.of()), Duration.ofSeconds(30));
            if (wanted.test(r)) {
                return Duration.ofNanos(System.nanoTime() - since);
            }
        }
        throw new AssertionError("the edit did not take effect within 30 s");
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            Thread.onSpinWait();
        }
    }

    // ---- tests ---------------------------------------------------------------------------------

    @Test
    void shouldApplyADefinitionEditedThroughTheRegistryToTheRunningPipelineWithinFiveSeconds() throws Exception {
        // Given a strict project whose event is not registered: the running pipeline dead-letters it
        Project p = newProject(EnforcementMode.STRICT);
        ConsumerRecord<String, byte[]> before = outcome(produce(p.id(), "Signup Started", Map.of()), STARTUP);
        assertEquals(RejectionCode.UNKNOWN_EVENT, EventCodec.decodeDeadLetter(before.value()).code());

        // When the event is registered through the admin side's registry
        long t0 = System.nanoTime();
        admin.registry().putEvent(p.id(), EventDefinition.named("Signup Started"), 0).toCompletableFuture().join();
        Duration toAccept = probeUntil(p.id(), "Signup Started", t0, this::accepted);

        // and then blocked
        long t1 = System.nanoTime();
        admin.registry().putEvent(p.id(), EventDefinition.named("Signup Started").withStatus(EventStatus.BLOCKED), 1)
                .toCompletableFuture().join();
        Duration toBlock = probeUntil(p.id(), "Signup Started", t1,
                r -> !accepted(r) && EventCodec.decodeDeadLetter(r.value()).code() == RejectionCode.BLOCKED_EVENT);

        // Then each edit changed what the running topology accepts within the bound
        System.out.printf("edit->effect latency: register %d ms, block %d ms%n", toAccept.toMillis(), toBlock.toMillis());
        assertTrue(toAccept.compareTo(EDIT_BOUND) < 0, "register took " + toAccept);
        assertTrue(toBlock.compareTo(EDIT_BOUND) < 0, "block took " + toBlock);
    }

    @Test
    void shouldNeverWriteRawPiiToTheValidTopic() throws Exception {
        Project p = newProject(EnforcementMode.PERMISSIVE);
        admin.registry().putProperty(p.id(), PropertyDefinition.of("email", PropertyType.STRING).withPii(PiiClass.HASH), 0)
                .toCompletableFuture().join();
        admin.registry().putProperty(p.id(), PropertyDefinition.of("card", PropertyType.STRING).withPii(PiiClass.MASK), 0)
                .toCompletableFuture().join();
        admin.registry().putProperty(p.id(), PropertyDefinition.of("ssn", PropertyType.STRING).withPii(PiiClass.DROP), 0)
                .toCompletableFuture().join();
        awaitTrue(() -> streamsSide.registries().view(p.id()).properties().size() == 3, Duration.ofSeconds(10), "definitions");
        String email = "jane.secret@example.com";

        RawEnvelope sent = produce(p.id(), "Newsletter Joined", Map.of("email", email, "card", "4111111111111111", "ssn", "078-05-1120"));
        ConsumerRecord<String, byte[]> out = outcome(sent, STARTUP);

        assertTrue(accepted(out));
        String json = new String(out.value(), StandardCharsets.UTF_8);
        for (String secret : List.of(email, "4111111111111111", "078-05-1120")) {
            assertFalse(json.contains(secret), "raw PII on " + topics.valid() + ": " + json);
        }
        Event event = EventCodec.decodeEvent(out.value());
        assertEquals(PiiTransformer.hash(p.piiSecret(), email), event.properties().get("email"));
        assertEquals("************1111", event.properties().get("card"));
        assertFalse(event.properties().containsKey("ssn"));
    }

    @Test
    void shouldPublishDiscoveredItemsThatTheControlPlaneServes() throws Exception {
        Project p = newProject(EnforcementMode.STRICT);
        DeadLetter rejected = EventCodec.decodeDeadLetter(outcome(produce(p.id(), "Trial Extended", Map.of("days", 14)), STARTUP).value());
        assertEquals(RejectionCode.UNKNOWN_EVENT, rejected.code());
        outcome(produce(p.id(), "Trial Extended", Map.of("days", 7)), STARTUP);

        // the admin side's DiscoveryView reads beacon.discovery on its own
        awaitTrue(() -> admin.discovery().get(p.id(), DiscoveryKind.PROPERTY, "days").map(i -> i.volume() == 2).orElse(false),
                Duration.ofSeconds(20), "discovered 'days' twice");
        // the event's item is aggregated by another task (other key) and may be published one interval later
        awaitTrue(() -> admin.discovery().get(p.id(), DiscoveryKind.EVENT, "Trial Extended").map(i -> i.volume() == 2).orElse(false),
                Duration.ofSeconds(20), "discovered 'Trial Extended' twice");
        Optional<DiscoveredItem> event = admin.discovery().get(p.id(), DiscoveryKind.EVENT, "Trial Extended");
        assertEquals(2, event.orElseThrow().volume());
        assertEquals(Optional.of(PropertyType.NUMBER), admin.discovery().get(p.id(), DiscoveryKind.PROPERTY, "days").orElseThrow().inferredType());
    }
}
