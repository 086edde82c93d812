package io.beacon.loadtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.IncomingRequest;
import io.beacon.loadtest.load.SegmentBatches;
import io.beacon.loadtest.sim.BehaviourSimulator;
import io.beacon.loadtest.sim.SimEvent;
import io.beacon.loadtest.sim.SimulatorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The data every benchmark shares: simulator items, and the exact records the gateway would write to
 * the raw topic and the topology to the valid topic for them, so each stage is measured on what it
 * really receives.
 */
final class BenchData {
    /** A Kafka record as bytes. */
    record KeyedBytes(byte[] key, byte[] value) {
    }

    private BenchData() {
    }

    /** At least {@code count} simulator items (Segment JSON), from {@code seed}. */
    static List<String> items(long seed, int count) {
        int users = Math.max(10, count / 15);
        List<String> out = new ArrayList<>(count);
        new BehaviourSimulator(SimulatorSettings.of(seed, users * 2)).events().limit(count).map(SimEvent::json).forEach(out::add);
        if (out.size() < count) {
            throw new IllegalStateException("simulator gave " + out.size() + " items, wanted " + count);
        }
        return out;
    }

    /**
     * Raw-topic records (key {@code project:distinct_id}, value the encoded envelope) exactly as the gateway
     * writes them for {@code items} posted in batches of 100.
     */
    static List<KeyedBytes> rawRecords(List<String> items, String projectId) {
        return convert(items, projectId,
                p -> new KeyedBytes(key(p.event()), EventCodec.encode(p.envelope())));
    }

    /** Valid-topic records (key {@code project:person}, value the encoded canonical event) as the topology writes them. */
    static List<KeyedBytes> validRecords(List<String> items, String projectId) {
        return convert(items, projectId, p -> new KeyedBytes(key(p.event()), EventCodec.encode(p.event())));
    }

    private static byte[] key(Event e) {
        return e.partitionKey().getBytes(StandardCharsets.UTF_8);
    }

    /** Prepares batch by batch, keeping only the converted bytes (prepared trees of 300 K events would not fit the heap). */
    private static List<KeyedBytes> convert(List<String> items, String projectId, Function<IncomingRequest.Prepared, KeyedBytes> f) {
        List<KeyedBytes> out = new ArrayList<>(items.size());
        long receivedAt = System.currentTimeMillis();
        for (int i = 0; i < items.size(); i += 100) {
            byte[] body = SegmentBatches.body(items.subList(i, Math.min(items.size(), i + 100)));
            JsonNode tree;
            try {
                tree = EventCodec.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            IncomingRequest.Split split = IncomingRequest.split(tree, null);
            if (!(split instanceof IncomingRequest.Split.Items parts)) {
                throw new IllegalStateException("batch refused: " + split);
            }
            int index = 0;
            for (JsonNode item : parts.items()) {
                IncomingRequest.Prepared p = IncomingRequest.prepare(index++, item, projectId, receivedAt, "127.0.0.1", "beacon-bench");
                if (!p.accepted()) {
                    throw new IllegalStateException("simulator item refused: " + p.rejection());
                }
                out.add(f.apply(p));
            }
        }
        return out;
    }

    /** Writes {@code records} to {@code topic} (acks=all, idempotent) and waits until all are acknowledged. */
    static void produce(String bootstrapServers, String topic, List<KeyedBytes> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            Future<?> last = null;
            for (KeyedBytes r : records) {
                last = producer.send(new ProducerRecord<>(topic, r.key(), r.value()));
            }
            producer.flush();
            if (last != null) {
                last.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("prefilling " + topic + " failed", e.getCause());
        }
    }

    static double average(List<KeyedBytes> records) {
        return records.stream().mapToInt(r -> r.value().length).average().orElse(0);
    }
}
