package io.beacon.streams.runtime;

import io.beacon.event.TopicNames;
import io.beacon.streams.identity.Identity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for integration tests: produce raw records, read the pipeline's committed output. */
final class KafkaTestIo {
    private KafkaTestIo() {
    }

    /** Produces with acks=all and an idempotent producer, and waits until all are acknowledged. */
    static void produce(String bootstrap, String topic, List<Map.Entry<String, byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (Map.Entry<String, byte[]> r : records) {
                acks.add(producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue())));
            }
            for (var ack : acks) {
                ack.get();
            }
        }
    }

    /** What the pipeline has committed to valid, dlq and the data-quality facts. */
    record Output(List<ConsumerRecord<String, byte[]>> valid, List<ConsumerRecord<String, byte[]>> dlq,
                  List<ConsumerRecord<String, byte[]>> dqFacts) {
    }

    /**
     * Waits until the application's committed offsets on the raw topic reach its end, and then its
     * committed offsets on the identity repartition topic reach that topic's last stable offset (under
     * exactly-once the records of a raw record's repartition commit with its input offset, and the valid
     * events of a repartition record with its offset, so then every output is committed), then reads
     * valid, dlq and dq facts from the beginning to their last stable offsets with a {@code read_committed} consumer.
     */
    static Output awaitAllInputCommitted(String bootstrap, String applicationId, TopicNames topics, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaConsumer<String, byte[]> consumer = readCommittedConsumer(bootstrap)) {
            List<TopicPartition> outputs = partitions(consumer, topics.valid(), topics.dlq(), topics.dqFacts());
            consumer.assign(outputs);
            consumer.seekToBeginning(outputs);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            Map<TopicPartition, Long> rawEnd = endOffsets(admin, partitions(consumer, topics.raw()));
            boolean inputCommitted = false;
            Map<TopicPartition, Long> repartitionEnd = null;
            while (System.nanoTime() < deadline) {
                // the poll is the wait between checks
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (!inputCommitted) {
                    inputCommitted = committed(admin, applicationId).entrySet().containsAll(rawEnd.entrySet());
                    continue;
                }
                if (repartitionEnd == null) {
                    // final once the raw input is committed: nothing else writes the repartition topic
                    String repartition = applicationId + "-" + Identity.REPARTITION + "-repartition";
                    repartitionEnd = stableEndOffsets(admin, partitions(consumer, repartition));
                }
                if (!reached(committed(admin, applicationId), repartitionEnd)) {
                    continue;
                }
                Map<TopicPartition, Long> stableEnd = consumer.endOffsets(outputs);
                if (outputs.stream().allMatch(tp -> consumer.position(tp) >= stableEnd.get(tp))) {
                    return split(records, topics);
                }
            }
            throw new AssertionError("the pipeline did not commit all of " + rawEnd + " within " + timeout
                    + "; committed " + committed(admin, applicationId) + ", read " + records.size() + " output records");
        }
    }

    /** Reads valid (read_committed) until {@code until} holds for what was read so far, or fails at the deadline. */
    static List<ConsumerRecord<String, byte[]>> readValidUntil(String bootstrap, TopicNames topics, Duration timeout,
                                                               java.util.function.Predicate<List<ConsumerRecord<String, byte[]>>> until) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = readCommittedConsumer(bootstrap)) {
            List<TopicPartition> valid = partitions(consumer, topics.valid());
            consumer.assign(valid);
            consumer.seekToBeginning(valid);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (until.test(records)) {
                    return records;
                }
            }
            throw new AssertionError("condition not met within " + timeout + " after reading " + records.size() + " records");
        }
    }

    private static Output split(List<ConsumerRecord<String, byte[]>> records, TopicNames topics) {
        Map<String, List<ConsumerRecord<String, byte[]>>> byTopic = records.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::topic));
        return new Output(byTopic.getOrDefault(topics.valid(), List.of()), byTopic.getOrDefault(topics.dlq(), List.of()),
                byTopic.getOrDefault(topics.dqFacts(), List.of()));
    }

    private static KafkaConsumer<String, byte[]> readCommittedConsumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String... topics) {
        List<TopicPartition> out = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                out.add(new TopicPartition(topic, info.partition()));
            }
        }
        return out;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<TopicPartition> partitions)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static Map<TopicPartition, Long> stableEndOffsets(Admin admin, List<TopicPartition> partitions)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** Whether every partition's committed offset is at least {@code end} (an empty partition needs no commit). */
    private static boolean reached(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> e.getValue() == 0 || committed.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String groupId)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> out = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get();
        offsets.forEach((tp, om) -> {
            if (om != null) {
                out.put(tp, om.offset());
            }
        });
        return out;
    }
}
