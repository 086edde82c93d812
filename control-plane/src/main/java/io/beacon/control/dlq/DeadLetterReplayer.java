package io.beacon.control.dlq;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-submits dead letters through the topology: the selected letters' <em>original bytes</em> are produced
 * unchanged to {@code beacon.events.raw} (idempotent producer, {@code acks=all}), keyed as the gateway
 * keys them ({@link ReplayPlan}). The topology then parses, maps and validates them again, against the
 * registry as it is now, and deduplicates by event id as for any record: replaying a letter twice, or
 * a letter whose event got in some other way, stores it once. A record that is still refused comes back
 * to the DLQ as a new letter.
 *
 * <p>Each replayed record carries the header {@value #REPLAYED_FROM} ({@code <dlq topic>/<partition>/<offset>})
 * for tracing; the topology ignores headers. Blocking; thread-safe (a producer per call).
 */
public final class DeadLetterReplayer {

    /** Header naming the DLQ record a replayed raw record came from. */
    public static final String REPLAYED_FROM = "beacon.replayed-from";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplayer.class);

    private final DeadLetterBrowser browser;

    public DeadLetterReplayer(DeadLetterSettings settings) {
        this(new DeadLetterBrowser(settings));
    }

    public DeadLetterReplayer(DeadLetterBrowser browser) {
        this.browser = Objects.requireNonNull(browser, "browser");
    }

    /**
     * Replays the letters {@code selection} picks from the DLQ as it is now.
     *
     * @return the positions replayed (every one acknowledged by Kafka) and the skipped ones with reasons
     * @throws DeadLetterUnavailableException when the DLQ cannot be read or the raw topic does not
     *                                        acknowledge in time (some records may have been produced:
     *                                        calling again is safe, dedup drops repeats)
     */
    public ReplayResult replay(ReplaySelection selection) {
        Objects.requireNonNull(selection, "selection");
        DeadLetterSettings settings = browser.settings();
        List<DeadLetterRecord> selected = new ArrayList<>();
        browser.scan(record -> {
            if (selection.matches(record)) {
                selected.add(record);
            }
        });
        ReplayPlan plan = ReplayPlan.of(selection, selected, settings.topics().raw());
        if (plan.replays().isEmpty()) {
            return new ReplayResult(List.of(), plan.skipped());
        }
        String raw = settings.topics().raw();
        String dlq = settings.topics().dlq();
        List<DeadLetterPosition> replayed = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(settings),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sends = new ArrayList<>(plan.replays().size());
            for (ReplayPlan.Replay replay : plan.replays()) {
                DeadLetterPosition from = replay.source().position();
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(raw, null,
                        replay.key() == null ? null : replay.key().getBytes(StandardCharsets.UTF_8), replay.value());
                record.headers().add(new RecordHeader(REPLAYED_FROM,
                        (dlq + "/" + from.partition() + "/" + from.offset()).getBytes(StandardCharsets.UTF_8)));
                sends.add(producer.send(record));
            }
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            for (int i = 0; i < sends.size(); i++) {
                sends.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                replayed.add(plan.replays().get(i).source().position());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterUnavailableException("interrupted while replaying to " + raw, e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new DeadLetterUnavailableException("replaying to " + raw + " failed after " + replayed.size()
                    + " acknowledged records: " + e.getMessage(), e);
        }
        LOG.info("Replayed {} dead letters to {} ({} skipped)", replayed.size(), raw, plan.skipped().size());
        return new ReplayResult(replayed, plan.skipped());
    }

    private static Properties producerProperties(DeadLetterSettings settings) {
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(settings.timeout().toMillis(), 1_000)));
        // delivery.timeout.ms must be at least linger.ms + request.timeout.ms.
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1, Math.min(settings.timeout().toMillis() / 2, 30_000))));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(settings.timeout().toMillis()));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "beacon-dlq-replayer");
        return p;
    }
}
