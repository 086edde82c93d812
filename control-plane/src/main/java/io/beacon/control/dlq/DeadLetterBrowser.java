package io.beacon.control.dlq;

import io.beacon.event.DeadLetter;
import io.beacon.event.EventCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the DLQ topic ({@code <prefix>beacon.events.dlq}) for listings and replays.
 *
 * <p>Each call uses a fresh consumer without a group: it assigns every partition, takes the end offsets
 * at that moment and reads from the beginning up to them ({@code read_committed}, since the topology
 * writes its dead letters in transactions), so a call sees a consistent cut and always terminates, even
 * while new letters arrive. Reading is bounded by {@link DeadLetterSettings#maxScanned()} records and
 * {@link DeadLetterSettings#timeout()}. Blocking: call it off request-handling threads. Thread-safe
 * (no shared client).
 */
public final class DeadLetterBrowser {

    private static final Duration POLL = Duration.ofMillis(200);

    private final DeadLetterSettings settings;

    public DeadLetterBrowser(DeadLetterSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Where this browser reads. */
    public DeadLetterSettings settings() {
        return settings;
    }

    /**
     * The letters matching {@code filter}: all counted (total and per code), the first {@code limit}
     * returned.
     *
     * @throws DeadLetterUnavailableException when Kafka cannot be read to the end in time
     */
    public DeadLetterPage list(DeadLetterFilter filter, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        List<DeadLetterRecord> records = new ArrayList<>();
        Map<String, Long> byCode = new HashMap<>();
        long[] total = {0};
        Scan scan = scan(record -> {
            if (filter.matches(record)) {
                total[0]++;
                byCode.merge(record.letter().code().name(), 1L, Long::sum);
                if (records.size() < limit) {
                    records.add(record);
                }
            }
        });
        return new DeadLetterPage(total[0], byCode, records, scan.scanned(), scan.unreadable(), scan.truncated());
    }

    /** What a scan read. */
    record Scan(long scanned, long unreadable, boolean truncated) {
    }

    /**
     * Hands every dead letter from the beginning of the DLQ to the end offsets of now to {@code sink}, in
     * partition then offset order.
     */
    Scan scan(Consumer<DeadLetterRecord> sink) {
        String topic = settings.topics().dlq();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            List<PartitionInfo> infos = consumer.partitionsFor(topic, settings.timeout());
            if (infos == null || infos.isEmpty()) {
                return new Scan(0, 0, false);
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition))
                    .toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, settings.timeout());
            long scanned = 0;
            long unreadable = 0;
            // One partition after the other, so the order is partition then offset.
            for (TopicPartition tp : partitions) {
                long endOffset = end.getOrDefault(tp, 0L);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                while (consumer.position(tp, remaining(deadline)) < endOffset) {
                    if (scanned >= settings.maxScanned()) {
                        return new Scan(scanned, unreadable, true);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new DeadLetterUnavailableException("reading " + topic + " took longer than "
                                + settings.timeout(), null);
                    }
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        if (record.offset() >= endOffset) {
                            break;
                        }
                        if (scanned >= settings.maxScanned()) {
                            return new Scan(scanned, unreadable, true);
                        }
                        scanned++;
                        DeadLetter letter = decode(record.value());
                        if (letter == null) {
                            unreadable++;
                            continue;
                        }
                        sink.accept(new DeadLetterRecord(new DeadLetterPosition(record.partition(), record.offset()), letter));
                    }
                }
            }
            return new Scan(scanned, unreadable, false);
        } catch (KafkaException e) {
            throw new DeadLetterUnavailableException("cannot read " + topic + ": " + e.getMessage(), e);
        }
    }

    private static DeadLetter decode(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return EventCodec.decodeDeadLetter(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "beacon-dlq-browser");
        return p;
    }
}
