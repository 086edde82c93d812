package io.beacon.cdp.dlq;

import io.beacon.control.dlq.DeadLetterPosition;
import io.beacon.control.dlq.DeadLetterSettings;
import io.beacon.control.dlq.DeadLetterUnavailableException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One bounded read of a topic, as {@code DeadLetterBrowser} reads the events DLQ: a fresh consumer without a
 * group assigns every partition, takes the end offsets at call time and reads up to them ({@code read_committed}),
 * partition after partition, so a call sees a consistent cut and always ends. It can start at a cursor and, per
 * partition, at the first record stamped at or after a time ({@code offsetsForTimes}). Bounded by
 * {@link DeadLetterSettings#maxScanned()} records and {@link DeadLetterSettings#timeout()}. Blocking.
 */
final class TopicScan {

    private static final Duration POLL = Duration.ofMillis(200);

    /** Takes one record; {@code false} stops the scan before it (its position becomes {@link Result#stoppedAt()}). */
    @FunctionalInterface
    interface Sink {
        boolean accept(ConsumerRecord<byte[], byte[]> record);
    }

    /**
     * @param scanned   records read (handed to the sink)
     * @param truncated reading stopped at {@code maxScanned} before the end
     * @param stoppedAt the record the sink refused, when it did
     */
    record Result(long scanned, boolean truncated, Optional<DeadLetterPosition> stoppedAt) {
    }

    private TopicScan() {
    }

    /**
     * Reads {@code topic} to its end offsets of now, from {@code cursor} (partitions below it skipped, its partition
     * from its offset; {@code null}: from the beginning) and, when {@code fromTimestampMs >= 0}, from each
     * partition's first record stamped at or after it. A missing topic reads as empty.
     *
     * @throws DeadLetterUnavailableException when Kafka cannot be read to the end in time
     */
    static Result scan(DeadLetterSettings settings, String topic, CdpDlqCursor cursor, long fromTimestampMs, Sink sink) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(settings),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            List<PartitionInfo> infos = consumer.partitionsFor(topic, settings.timeout());
            if (infos == null || infos.isEmpty()) {
                return new Result(0, false, Optional.empty());
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .filter(tp -> cursor == null || tp.partition() >= cursor.partition())
                    .sorted(Comparator.comparingInt(TopicPartition::partition))
                    .toList();
            if (partitions.isEmpty()) {
                return new Result(0, false, Optional.empty());
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, settings.timeout());
            Map<TopicPartition, Long> start = starts(consumer, partitions, cursor, fromTimestampMs, end, settings.timeout());
            long scanned = 0;
            for (TopicPartition tp : partitions) {
                long endOffset = end.getOrDefault(tp, 0L);
                long first = start.getOrDefault(tp, 0L);
                if (first >= endOffset) {
                    continue;
                }
                consumer.assign(List.of(tp));
                consumer.seek(tp, first);
                while (consumer.position(tp, remaining(deadline)) < endOffset) {
                    if (System.nanoTime() > deadline) {
                        throw new DeadLetterUnavailableException("reading " + topic + " took longer than "
                                + settings.timeout(), null);
                    }
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        if (record.offset() >= endOffset) {
                            break;
                        }
                        if (scanned >= settings.maxScanned()) {
                            return new Result(scanned, true, Optional.empty());
                        }
                        if (!sink.accept(record)) {
                            return new Result(scanned, false,
                                    Optional.of(new DeadLetterPosition(record.partition(), record.offset())));
                        }
                        scanned++;
                    }
                }
            }
            return new Result(scanned, false, Optional.empty());
        } catch (KafkaException e) {
            throw new DeadLetterUnavailableException("cannot read " + topic + ": " + e.getMessage(), e);
        }
    }

    private static Map<TopicPartition, Long> starts(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                                                    CdpDlqCursor cursor, long fromTimestampMs, Map<TopicPartition, Long> end,
                                                    Duration timeout) {
        Map<TopicPartition, Long> start = new HashMap<>(consumer.beginningOffsets(partitions, timeout));
        if (fromTimestampMs >= 0) {
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(tp -> times.put(tp, fromTimestampMs));
            for (Map.Entry<TopicPartition, OffsetAndTimestamp> e : consumer.offsetsForTimes(times, timeout).entrySet()) {
                // no record stamped at or after the time: nothing to read in that partition
                long at = e.getValue() == null ? end.getOrDefault(e.getKey(), 0L) : e.getValue().offset();
                start.merge(e.getKey(), at, Math::max);
            }
        }
        if (cursor != null) {
            start.merge(new TopicPartition(partitions.get(0).topic(), cursor.partition()), cursor.offset(), Math::max);
        }
        return start;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    private static Properties consumerProperties(DeadLetterSettings settings) {
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "beacon-cdp-dlq-reader");
        return p;
    }
}
