package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.KafkaBroker;
import io.beacon.devstack.TestStack;
import io.beacon.event.EventCodec;
import io.beacon.event.TopicNames;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With the broker down the gateway answers 503 + Retry-After within a bounded time (a guarantee of
 * ARCHITECTURE.md, not a benchmark), and the same gateway and producer work again once it is back.
 */
@ExtendWith(BeaconStackExtension.class)
class GatewayKafkaOutageTest {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayKafkaOutageTest.class);
    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void shouldAnswer503WithinTenSecondsWhileKafkaIsDownAndRecoverWithoutRestart(TestStack stack) throws Exception {
        TopicNames topics = TopicNames.withPrefix(stack.uniqueName("outage") + ".");
        stack.createTopics(Map.of(topics.raw(), 1));
        GatewaySettings settings = GatewayHarness.defaultSettings();
        settings = settings.withKafka(settings.kafka().withBootstrapServers(stack.bootstrapServers()));
        try (KafkaEventLog eventLog = new KafkaEventLog(settings.kafka(), topics);
             GatewayHarness gateway = GatewayHarness.serve(settings, eventLog)) {
            // Given a gateway that has written to Kafka
            assertEquals(200, gateway.post("/v1/track", Payloads.track().put("messageId", "before")).status());

            KafkaBroker kafka = stack.kafka();
            try {
                // When the broker is down
                kafka.stop();
                for (String id : new String[] {"during-1", "during-2"}) {
                    long start = System.nanoTime();
                    GatewayHarness.Reply reply = gateway.post("/v1/track", Payloads.track().put("messageId", id));
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    LOG.warn("503 while Kafka is down answered in {} ms", took.toMillis());

                    // Then the call is refused, retryably, in bounded time
                    assertEquals(503, reply.status(), reply.json().toString());
                    assertEquals("SERVICE_UNAVAILABLE", reply.errorCode());
                    assertTrue(reply.headers().firstValue("Retry-After").isPresent());
                    assertTrue(took.compareTo(BOUND) < 0, "took " + took);
                }
            } finally {
                kafka.restart(); // the broker is shared by every test in this JVM
            }

            // And once it is back, the same gateway accepts events again
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int status = 0;
            while (System.nanoTime() < deadline && status != 200) {
                status = gateway.post("/v1/track", Payloads.track().put("messageId", "after")).status();
                if (status != 200) {
                    Thread.sleep(200);
                }
            }
            assertEquals(200, status);
            var records = RawTopicReader.readUntil(stack.bootstrapServers(), topics.raw(),
                    r -> EventCodec.decodeEnvelope(r.value()).eventId().equals("after"), Duration.ofSeconds(30));
            assertEquals("before", EventCodec.decodeEnvelope(records.get(0).value()).eventId());
        }
    }
}
