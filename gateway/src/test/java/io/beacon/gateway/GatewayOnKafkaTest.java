package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.DqFact;
import io.beacon.event.DqFactCodec;
import io.beacon.event.EventCodec;
import io.beacon.event.EventMapper;
import io.beacon.event.MappingResult;
import io.beacon.event.RawEnvelope;
import io.beacon.event.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway on a real broker: what a call puts on the raw and data-quality facts topics. Each test has its own topics. */
@ExtendWith(BeaconStackExtension.class)
class GatewayOnKafkaTest {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private TestStack stack;
    private TopicNames topics;
    private KafkaEventLog eventLog;
    private GatewayHarness gateway;

    @BeforeEach
    void start(TestStack testStack) throws Exception {
        stack = testStack;
        topics = TopicNames.withPrefix(stack.uniqueName("gateway") + ".");
        stack.createTopics(Map.of(topics.raw(), 3, topics.dqFacts(), 3));
        GatewaySettings settings = GatewayHarness.defaultSettings();
        settings = settings.withKafka(settings.kafka().withBootstrapServers(stack.bootstrapServers()));
        eventLog = new KafkaEventLog(settings.kafka(), topics);
        gateway = GatewayHarness.serve(settings, eventLog);
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        eventLog.close();
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteATrackCallToTheRawTopicKeyedByProjectAndUserAsADecodableEnvelope() {
        GatewayHarness.Reply reply = gateway.post("/v1/track", Payloads.track());

        assertEquals(200, reply.status(), reply.json().toString());
        List<ConsumerRecord<byte[], byte[]>> records = RawTopicReader.readCount(stack.bootstrapServers(), topics.raw(), 1, READ_TIMEOUT);
        assertEquals(1, records.size());
        assertEquals(GatewayHarness.PROJECT + ":user-42", key(records.get(0)));
        RawEnvelope envelope = EventCodec.decodeEnvelope(records.get(0).value());
        assertEquals("msg-track-1", envelope.eventId());
        assertEquals(GatewayHarness.NOW.toEpochMilli(), envelope.receivedAt());
        MappingResult.Mapped mapped = (MappingResult.Mapped) EventMapper.map(envelope);
        assertEquals("Order Completed", mapped.event().eventName());
        assertEquals(29.5, mapped.event().properties().get("revenue"));
    }

    @Test
    void shouldLeaveTheTopicEmptyForBadInput() {
        // Given a rejected call
        ObjectNode bad = Payloads.track();
        bad.remove("event");
        assertEquals(400, gateway.post("/v1/track", bad).status());

        // When a valid marker call follows
        ObjectNode marker = Payloads.track().put("messageId", "marker");
        assertEquals(200, gateway.post("/v1/track", marker).status());

        // Then the marker is all the topic holds
        List<ConsumerRecord<byte[], byte[]>> records = RawTopicReader.readUntil(stack.bootstrapServers(), topics.raw(),
                r -> EventCodec.decodeEnvelope(r.value()).eventId().equals("marker"), READ_TIMEOUT);
        assertEquals(List.of("marker"), records.stream().map(r -> EventCodec.decodeEnvelope(r.value()).eventId()).toList());
    }

    @Test
    void shouldWriteOneFactPerRefusedItemToTheDqFactsTopicKeyedByProject() {
        // Given requests refused before their project is known: they are not attributed
        assertEquals(401, gateway.post("/v1/track", EventCodec.encode(Payloads.track()), "Authorization",
                GatewayHarness.basicAuth("wk_unknown")).status());
        assertEquals(400, gateway.post("/v1/track", "{\"event\":".getBytes(StandardCharsets.UTF_8), "Authorization",
                GatewayHarness.basicAuth(GatewayHarness.WRITE_KEY)).status());
        // When a single call and two items of a batch are refused, beside an accepted item
        ObjectNode noName = Payloads.track();
        noName.remove("event");
        assertEquals(400, gateway.post("/v1/track", noName).status());
        ObjectNode noUser = Payloads.item("track", "m-2");
        noUser.remove("userId");
        GatewayHarness.Reply batch = gateway.post("/v1/batch", Payloads.batch(Payloads.item("track", "m-1"), noUser,
                Payloads.item("track", "m-3").put("type", "bogus")));
        assertEquals(200, batch.status(), batch.json().toString());

        // Then the facts topic holds exactly those three, keyed by the project, stamped with the receive time
        List<ConsumerRecord<byte[], byte[]>> records = RawTopicReader.readCount(stack.bootstrapServers(), topics.dqFacts(), 3, READ_TIMEOUT);
        long now = GatewayHarness.NOW.toEpochMilli();
        List<DqFact> expected = List.of(
                new DqFact(GatewayHarness.PROJECT, DqFact.Stage.GATEWAY_REJECTED, "MISSING_USER_ID", "Item Viewed", "m-2", now),
                new DqFact(GatewayHarness.PROJECT, DqFact.Stage.GATEWAY_REJECTED, "INVALID_TYPE", "Item Viewed", "m-3", now),
                new DqFact(GatewayHarness.PROJECT, DqFact.Stage.GATEWAY_REJECTED, "MISSING_EVENT_NAME", "", "msg-track-1", now));
        assertEquals(expected, records.stream().map(r -> DqFactCodec.decode(r.value()))
                .sorted(Comparator.comparing(DqFact::eventId)).toList());
        assertEquals(List.of(GatewayHarness.PROJECT), records.stream().map(GatewayOnKafkaTest::key).distinct().toList());
        assertEquals(0, eventLog.factsNotWritten());
    }

    @Test
    void shouldAcceptASegmentBatchAndWriteAllSixItems() {
        GatewayHarness.Reply reply = gateway.post("/v1/batch", Payloads.resource("segment/analytics-node-batch.json"));

        assertEquals(200, reply.status(), reply.json().toString());
        assertEquals(6, reply.json().get("accepted").asInt());
        List<ConsumerRecord<byte[], byte[]>> records = RawTopicReader.readCount(stack.bootstrapServers(), topics.raw(), 6, READ_TIMEOUT);
        assertEquals(6, records.size());
        List<String> ids = records.stream().map(r -> EventCodec.decodeEnvelope(r.value()).eventId()).sorted().toList();
        assertEquals(List.of("ajs-next-0c4b1f5e-1a33-4d1f-9a7e-2f8e0a6c9b11", "ajs-next-d2b3f1b9c5a7e1d0f4c3b2a1",
                "ajs-next-page-0001", "alias-0001", "group-0001", "ios-screen-0001"), ids);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            RawEnvelope envelope = EventCodec.decodeEnvelope(record.value());
            MappingResult.Mapped mapped = (MappingResult.Mapped) EventMapper.map(envelope);
            assertEquals(mapped.event().partitionKey(), key(record));
            assertEquals("Europe/Amsterdam", envelope.payload().path("context").path("timezone").asText(), "batch context merged");
        }
    }
}
