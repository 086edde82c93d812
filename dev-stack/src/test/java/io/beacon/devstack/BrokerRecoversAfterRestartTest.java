package io.beacon.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeaconStackExtension.class)
class BrokerRecoversAfterRestartTest {

    @Test
    void producerWritesAgainOnceTheBrokerIsBackOnTheSamePort(TestStack stack) throws Exception {
        String topic = stack.uniqueName("outage");
        stack.createTopics(1, topic);
        String bootstrap = stack.bootstrapServers();

        Properties props = TransactionalRoundTripThroughBrokerTest.producerProps(stack, null);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, "k", "before")).get(30, TimeUnit.SECONDS);

            KafkaBroker kafka = stack.kafka();
            try {
                kafka.stop();
                assertFalse(kafka.isRunning());
                assertThrows(ExecutionException.class,
                        () -> producer.send(new ProducerRecord<>(topic, "k", "during outage")).get(30, TimeUnit.SECONDS));
            } finally {
                kafka.restart(); // other tests in this JVM share the broker
            }
            assertTrue(kafka.isRunning());
            assertEquals(bootstrap, stack.bootstrapServers());

            // The same producer, never reconfigured, reconnects to the restarted broker.
            producer.send(new ProducerRecord<>(topic, "k", "after")).get(30, TimeUnit.SECONDS);
        }

        List<String> values = TransactionalRoundTripThroughBrokerTest.consume(stack, topic, 2, Duration.ofSeconds(30));
        assertEquals(List.of("before", "after"), values);
    }
}
