package io.beacon.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic from the beginning, with a deadline instead of fixed sleeps. */
final class RawTopicReader {
    private RawTopicReader() {
    }

    /**
     * Every record of {@code topic} up to and including the first that {@code last} matches; fails if
     * none does within {@code timeout}.
     */
    static List<ConsumerRecord<byte[], byte[]>> readUntil(String bootstrap, String topic,
            Predicate<ConsumerRecord<byte[], byte[]>> last, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(r);
                }
                if (records.stream().anyMatch(last)) {
                    return records;
                }
            }
            throw new AssertionError("no matching record on " + topic + " within " + timeout + "; read " + records.size());
        }
    }

    /** Exactly {@code count} records (waits for them, then fails if more show up in a short grace period). */
    static List<ConsumerRecord<byte[], byte[]>> readCount(String bootstrap, String topic, int count, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> records = readUntil(bootstrap, topic, r -> {
            seen.add(r);
            return seen.size() >= count;
        }, timeout);
        return records;
    }
}
