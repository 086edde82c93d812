package io.beacon.cdp.dlq;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.dlq.DeadLetterPosition;
import io.beacon.control.dlq.DeadLetterSettings;
import io.beacon.control.dlq.DeadLetterUnavailableException;
import io.beacon.event.EventCodec;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.OutboxMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts dead-lettered connector messages back on {@code beacon.cdp.outbox}: each selected letter's message,
 * unchanged (same {@code message_id}, so the receiver sees the same {@code webhook-id}), keyed by
 * {@link OutboxMessage#key()} so it joins that person's queue for that destination (idempotent producer,
 * {@code acks=all}).
 *
 * <p>Unlike the events DLQ (whose replays the topology deduplicates by event id), outbox workers deliver whatever
 * arrives, so replays are remembered: once the outbox acknowledged them, a marker per letter
 * ({@link CdpDlqEntry#replayKey()}) goes to the compacted topic {@code <prefix>}{@value #REPLAYS_TOPIC} (created on
 * first use), and letters with a marker are skipped unless {@code force}. A failure between the two writes leaves
 * the letters unmarked: a second call replays them again (at least once, same {@code webhook-id}). Each replayed
 * record carries the header {@value #REPLAYED_FROM} ({@code <dlq topic>/<partition>/<offset>}). Blocking;
 * thread-safe (a producer per call).
 */
public final class CdpDlqReplayer {

    /** The compacted topic of replay markers (key {@code message_id@failed_at_ms}), under the topic prefix. */
    public static final String REPLAYS_TOPIC = "beacon.cdp.dlq-replays";
    /** Header naming the DLQ record a replayed outbox record came from. */
    public static final String REPLAYED_FROM = "beacon.replayed-from";

    private static final Logger LOG = LoggerFactory.getLogger(CdpDlqReplayer.class);

    private final CdpDlqBrowser browser;

    public CdpDlqReplayer(DeadLetterSettings settings) {
        this(new CdpDlqBrowser(settings));
    }

    public CdpDlqReplayer(CdpDlqBrowser browser) {
        this.browser = Objects.requireNonNull(browser, "browser");
    }

    /** The marker topic's full name. */
    public String replaysTopic() {
        return browser.settings().topics().prefix() + REPLAYS_TOPIC;
    }

    /**
     * Replays the letters {@code filter} picks from the DLQ as it is now ({@code dryRun}: only counts).
     *
     * @throws DeadLetterUnavailableException when Kafka cannot be read, or does not acknowledge in time (some
     *                                        messages may have been produced: calling again replays them again)
     */
    public CdpReplayResult replay(CdpDlqFilter filter, boolean dryRun, boolean force) {
        Objects.requireNonNull(filter, "filter");
        List<CdpDlqEntry> selected = new ArrayList<>();
        boolean truncated = browser.scan(filter, selected::add);
        Set<String> replayed = selected.isEmpty() || force ? Set.of() : replayedAt().keySet();
        CdpReplayPlan plan = CdpReplayPlan.of(selected, replayed, force);
        int toReplay = plan.replays().size();
        if (dryRun || toReplay == 0) {
            return new CdpReplayResult(dryRun, plan.selected(), plan.alreadyReplayed(), plan.duplicates(), toReplay, 0,
                    truncated);
        }
        DeadLetterSettings settings = browser.settings();
        String outbox = settings.topics().cdpOutbox();
        ensureReplaysTopic(settings);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(settings),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            List<Future<RecordMetadata>> sends = new ArrayList<>(toReplay);
            for (CdpDlqEntry entry : plan.replays()) {
                OutboxMessage m = entry.letter().message();
                DeadLetterPosition from = entry.position();
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(outbox, null,
                        bytes(m.key()), CdpCodec.encode(m));
                record.headers().add(new RecordHeader(REPLAYED_FROM,
                        bytes(browser.topic() + "/" + from.partition() + "/" + from.offset())));
                sends.add(producer.send(record));
            }
            awaitAll(sends, deadline);
            long now = System.currentTimeMillis();
            List<Future<RecordMetadata>> marks = new ArrayList<>(plan.markers().size());
            for (String key : plan.markers()) {
                ObjectNode value = JsonNodeFactory.instance.objectNode().put("replayed_at_ms", now);
                marks.add(producer.send(new ProducerRecord<>(replaysTopic(), bytes(key), bytes(value.toString()))));
            }
            awaitAll(marks, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterUnavailableException("interrupted while replaying to " + outbox, e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new DeadLetterUnavailableException("replaying to " + outbox + " failed: " + e.getMessage(), e);
        }
        LOG.info("Replayed {} connector dead letters to {} ({} selected, {} already replayed, {} duplicates)",
                toReplay, outbox, plan.selected(), plan.alreadyReplayed(), plan.duplicates());
        return new CdpReplayResult(false, plan.selected(), plan.alreadyReplayed(), plan.duplicates(), toReplay, toReplay,
                truncated);
    }

    /**
     * When each letter marked so far was replayed: replay key ({@link CdpDlqEntry#replayKey()}) → epoch ms of the
     * latest replay (0 when the marker's value is unreadable). A missing marker topic: none.
     *
     * @throws DeadLetterUnavailableException when Kafka cannot be read in time
     */
    public Map<String, Long> replayedAt() {
        Map<String, Long> at = new HashMap<>();
        TopicScan.scan(browser.settings(), replaysTopic(), null, -1, record -> {
            if (record.key() != null) {
                String key = new String(record.key(), StandardCharsets.UTF_8);
                if (record.value() == null) {
                    at.remove(key);
                } else {
                    at.put(key, replayedAtMs(record.value()));
                }
            }
            return true;
        });
        return at;
    }

    private static long replayedAtMs(byte[] value) {
        try {
            return EventCodec.mapper().readTree(value).path("replayed_at_ms").asLong(0);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void awaitAll(List<Future<RecordMetadata>> sends, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        for (Future<RecordMetadata> send : sends) {
            send.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private void ensureReplaysTopic(DeadLetterSettings settings) {
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        NewTopic topic = new NewTopic(replaysTopic(), Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(topic)).all().get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("created the replay-marker topic {}", replaysTopic());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new DeadLetterUnavailableException("cannot create " + replaysTopic() + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException | KafkaException e) {
            throw new DeadLetterUnavailableException("cannot reach Kafka to create " + replaysTopic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterUnavailableException("interrupted while creating " + replaysTopic(), e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
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
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "beacon-cdp-dlq-replayer");
        return p;
    }
}
