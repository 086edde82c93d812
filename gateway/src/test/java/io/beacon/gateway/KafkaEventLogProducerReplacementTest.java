package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.event.DqFact;
import io.beacon.event.DqFactCodec;
import io.beacon.event.EventCodec;
import io.beacon.event.RawEnvelope;
import io.beacon.event.TopicNames;
import io.beacon.event.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * How {@link KafkaEventLog} handles producer failures. Uses Kafka's own in-memory
 * {@link MockProducer} as the producer, to make a producer fail in ways a real broker cannot be
 * made to on demand; the broker-level behaviour is covered by {@link GatewayKafkaOutageTest}.
 */
class KafkaEventLogProducerReplacementTest {
    private static final TopicNames TOPICS = TopicNames.withPrefix("unit.");

    private final List<MockProducer<byte[], byte[]>> created = new ArrayList<>();

    private MockProducer<byte[], byte[]> newProducer(boolean autoComplete) {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
        created.add(producer);
        return producer;
    }

    private static List<EventLog.Entry> oneEntry(String id) {
        RawEnvelope envelope = new RawEnvelope("p1", id, 1L, "127.0.0.1", null, WireFormat.SEGMENT,
                EventCodec.mapper().createObjectNode().put("type", "track").put("event", "x").put("userId", "u1"));
        return List.of(new EventLog.Entry("p1:u1", envelope));
    }

    private static void awaitSends(MockProducer<byte[], byte[]> producer, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (producer.history().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(count, producer.history().size());
    }

    @Test
    void shouldWriteTheEncodedEnvelopeToTheRawTopicWithThePartitionKey() throws Exception {
        try (KafkaEventLog log = new KafkaEventLog(GatewayHarness.defaultSettings().kafka(), TOPICS, () -> newProducer(true))) {
            log.append(oneEntry("e1")).toCompletableFuture().get(10, TimeUnit.SECONDS);

            var record = created.get(0).history().get(0);
            assertEquals("unit.beacon.events.raw", record.topic());
            assertEquals("p1:u1", new String(record.key(), StandardCharsets.UTF_8));
            assertEquals("e1", EventCodec.decodeEnvelope(record.value()).eventId());
        }
    }

    @Test
    void shouldWriteAReportedFactToTheDqFactsTopicKeyedByProject() throws Exception {
        DqFact fact = new DqFact("p1", DqFact.Stage.GATEWAY_REJECTED, "MISSING_USER_ID", "x", "e1", 1L);
        try (KafkaEventLog log = new KafkaEventLog(GatewayHarness.defaultSettings().kafka(), TOPICS, () -> newProducer(true))) {
            log.report(List.of(fact));
            awaitSends(created.get(0), 1);

            var record = created.get(0).history().get(0);
            assertEquals("unit.beacon.dq.facts", record.topic());
            assertEquals("p1", new String(record.key(), StandardCharsets.UTF_8));
            assertEquals(fact, DqFactCodec.decode(record.value()));
            assertEquals(0, log.factsNotWritten());
        }
    }

    @Test
    void shouldCountAFactKafkaDidNotTakeAndKeepWritingEvents() throws Exception {
        try (KafkaEventLog log = new KafkaEventLog(GatewayHarness.defaultSettings().kafka(), TOPICS, () -> newProducer(false))) {
            // Given a fact whose send fails
            log.report(List.of(new DqFact("p1", DqFact.Stage.GATEWAY_REJECTED, "NOT_AN_OBJECT", "", "", 1L)));
            awaitSends(created.get(0), 1);
            created.get(0).errorNext(new TimeoutException("broker down"));

            // Then it is counted, and events are still written through the same producer
            assertEquals(1, log.factsNotWritten());
            CompletableFuture<Void> append = log.append(oneEntry("e1")).toCompletableFuture();
            awaitSends(created.get(0), 2);
            created.get(0).completeNext();
            append.get(10, TimeUnit.SECONDS);
            assertEquals(1, created.size());
        }
    }

    @Test
    void shouldKeepTheProducerAfterARetriableFailure() throws Exception {
        try (KafkaEventLog log = new KafkaEventLog(GatewayHarness.defaultSettings().kafka(), TOPICS, () -> newProducer(false))) {
            CompletableFuture<Void> first = log.append(oneEntry("e1")).toCompletableFuture();
            awaitSends(created.get(0), 1);
            created.get(0).errorNext(new TimeoutException("broker down"));

            ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
            assertInstanceOf(EventLogUnavailableException.class, failure.getCause());
            assertEquals(1, created.size(), "a timeout is not fatal: the producer reconnects by itself");
        }
    }

    @Test
    void shouldReplaceAProducerThatFailedFatallyAndSendThroughTheNewOne() throws Exception {
        try (KafkaEventLog log = new KafkaEventLog(GatewayHarness.defaultSettings().kafka(), TOPICS,
                () -> newProducer(!created.isEmpty()))) {
            // Given the first producer fails the way a producer in a fatal state does
            CompletableFuture<Void> first = log.append(oneEntry("e1")).toCompletableFuture();
            awaitSends(created.get(0), 1);
            created.get(0).errorNext(new KafkaException("Cannot perform send because at least one previous idempotent request has failed"));
            ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
            assertInstanceOf(EventLogUnavailableException.class, failure.getCause());

            // When the next events come
            log.append(oneEntry("e2")).toCompletableFuture().get(10, TimeUnit.SECONDS);

            // Then a new producer took them and the failed one is closed
            assertEquals(2, created.size());
            assertEquals("e2", EventCodec.decodeEnvelope(created.get(1).history().get(0).value()).eventId());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!created.get(0).closed() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(created.get(0).closed());
        }
    }

    @Test
    void shouldNotSendQueuedEventsWhoseCallerAlreadyGaveUp() throws Exception {
        // Given a producer whose send() blocks for the first record, as it does while metadata is missing
        CountDownLatch release = new CountDownLatch(1);
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
                    org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> record, org.apache.kafka.clients.producer.Callback callback) {
                if (EventCodec.decodeEnvelope(record.value()).eventId().equals("blocker")) {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.send(record, callback);
            }
        };
        try (KafkaEventLog log = new KafkaEventLog(GatewayHarness.defaultSettings().kafka(), TOPICS, () -> producer)) {
            CompletableFuture<Void> blocker = log.append(oneEntry("blocker")).toCompletableFuture();
            // When a request queued behind it times out before its turn
            CompletableFuture<Void> late = log.append(oneEntry("late")).toCompletableFuture();
            late.completeExceptionally(new java.util.concurrent.TimeoutException("the caller gave up"));
            release.countDown();
            blocker.get(10, TimeUnit.SECONDS);
            log.append(oneEntry("next")).toCompletableFuture().get(10, TimeUnit.SECONDS);

            // Then its events are never written (its client was told 503 and will retry)
            assertEquals(List.of("blocker", "next"),
                    producer.history().stream().map(r -> EventCodec.decodeEnvelope(r.value()).eventId()).toList());
        }
    }
}
