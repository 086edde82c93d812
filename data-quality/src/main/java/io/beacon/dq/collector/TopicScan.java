package io.beacon.dq.collector;

import io.beacon.dq.DqAlert;
import io.beacon.event.DeadLetter;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventMapper;
import io.beacon.event.MappingResult;
import io.beacon.event.RawEnvelope;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one window of the raw topic and the DLQ back for a reconciliation: an independent recount of what the
 * gateway accepted (the raw records received in the window) and which of those ids the topology dead-lettered.
 * Records are found by timestamp (the producer's create time, a moment after {@code received_at}) with a margin on
 * both sides, then filtered by {@code received_at}; {@code read_committed}.
 */
public final class TopicScan {
    private static final long MARGIN_MS = 60_000L;
    private static final Duration POLL = Duration.ofMillis(200);
    private final String bootstrapServers;

    /** What the raw topic holds for a window: id → copies, id → distinct id. */
    public record RawWindow(Map<String, Integer> copies, Map<String, String> distinctIds) {
    }

    public TopicScan(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * @param maxRecords refuse (IllegalStateException) beyond this many records read
     */
    public RawWindow raw(String topic, String project, long fromMs, long toMs, long maxRecords) {
        Map<String, Integer> copies = new HashMap<>();
        Map<String, String> users = new HashMap<>();
        scan(topic, fromMs - MARGIN_MS, toMs + MARGIN_MS, maxRecords, r -> {
            RawEnvelope e;
            try {
                e = EventCodec.decodeEnvelope(r.value());
            } catch (RuntimeException bad) {
                return;
            }
            if (!e.projectId().equals(project) || e.receivedAt() < fromMs || e.receivedAt() >= toMs) {
                return;
            }
            MappingResult mapped = EventMapper.map(e);
            if (mapped instanceof MappingResult.Mapped m && DqAlert.EVENT_NAME.equals(m.event().eventName())) {
                return; // the module's own alerts are not part of what it reconciles
            }
            copies.merge(e.eventId(), 1, Integer::sum);
            if (mapped instanceof MappingResult.Mapped m) {
                Event ev = m.event();
                String distinct = ev.userId() != null && !ev.userId().isEmpty() ? ev.userId() : ev.anonymousId();
                if (distinct != null) {
                    users.putIfAbsent(e.eventId(), distinct);
                }
            }
        });
        return new RawWindow(copies, users);
    }

    /** The event ids of the project dead-lettered since {@code fromMs} (to the topic's end). */
    public Set<String> deadLettered(String topic, String project, long fromMs, long maxRecords) {
        Set<String> ids = new HashSet<>();
        scan(topic, fromMs - MARGIN_MS, Long.MAX_VALUE, maxRecords, r -> {
            DeadLetter d;
            try {
                d = EventCodec.decodeDeadLetter(r.value());
            } catch (RuntimeException bad) {
                return;
            }
            if (project.equals(d.projectId()) && d.eventId() != null) {
                ids.add(d.eventId());
            }
        });
        return ids;
    }

    private void scan(String topic, long fromTs, long toTs, long maxRecords, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(tps);
            Map<TopicPartition, Long> times = new HashMap<>();
            tps.forEach(tp -> times.put(tp, Math.max(0, fromTs)));
            Map<TopicPartition, OffsetAndTimestamp> starts = c.offsetsForTimes(times, Duration.ofSeconds(10));
            Map<TopicPartition, Long> ends = c.endOffsets(tps, Duration.ofSeconds(10));
            Set<TopicPartition> open = new HashSet<>();
            for (TopicPartition tp : tps) {
                OffsetAndTimestamp s = starts.get(tp);
                long start = s == null ? ends.get(tp) : s.offset();
                c.seek(tp, start);
                if (start < ends.get(tp)) {
                    open.add(tp);
                }
            }
            long read = 0;
            while (!open.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (!open.contains(tp)) {
                        continue;
                    }
                    if (r.timestamp() > toTs) {
                        open.remove(tp);
                        c.pause(List.of(tp));
                        continue;
                    }
                    if (++read > maxRecords) {
                        throw new IllegalStateException("more than " + maxRecords + " records of " + topic + " in the window");
                    }
                    each.accept(r);
                }
                open.removeIf(tp -> c.position(tp) >= ends.get(tp));
            }
        }
    }
}
