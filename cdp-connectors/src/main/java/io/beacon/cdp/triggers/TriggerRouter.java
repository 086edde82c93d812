package io.beacon.cdp.triggers;

import io.beacon.cdp.CdpSettings;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.SegmentChangeCodec;
import io.beacon.event.TopicNames;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.OutboxMessage;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns triggers into outbox messages: reads {@code beacon.segment.changes} and {@code beacon.events.valid}, asks
 * {@link TriggerMessages} which destinations want each, and writes the messages to {@code beacon.cdp.outbox} in the
 * same Kafka transaction as the consumed offsets. Exactly once into the outbox: a crash aborts the open
 * transaction and the next owner starts from the last committed offsets, so no trigger is lost and none yields a
 * message twice (and a replayed one yields the same message id anyway).
 *
 * <p>Events of a project with no event subscription are skipped by their key ({@code project:person}) without
 * being decoded, so the event stream costs the router little until someone forwards events.
 */
public final class TriggerRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerRouter.class);

    private final CdpSettings settings;
    private final TopicNames topics;
    private final String groupId;
    private final String transactionalId;
    private final TriggerMessages messages;
    private final Predicate<String> projectForwardsEvents;
    /**
     * A transaction stays open this long (or up to {@link #MAX_RECORDS_PER_TRANSACTION} records) to take what the
     * next polls bring: a transaction per poll cost the broker more than the routing (commit markers on every outbox
     * partition, hundreds of times a second at 1,000 triggers/s).
     */
    static final long TRANSACTION_SPAN_NANOS = 25_000_000L;
    static final int MAX_RECORDS_PER_TRANSACTION = 10_000;

    private final AtomicBoolean running = new AtomicBoolean(true);
    /** The open transaction: when it began ({@link System#nanoTime}, −1 when none), its offsets and record count. */
    private long openSinceNanos = -1;
    private final Map<TopicPartition, OffsetAndMetadata> openOffsets = new HashMap<>();
    private int openRecords;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private volatile Throwable failure;
    private volatile boolean assignedOnce;

    /**
     * @param transactionalId unique per running router (e.g. group id + node id): a restarted router with the same
     *                        id fences its predecessor's open transaction
     * @param projectForwardsEvents whether a project has any event subscription (read on the router's thread)
     */
    public TriggerRouter(CdpSettings settings, TopicNames topics, String groupId, String transactionalId,
                         TriggerMessages messages, Predicate<String> projectForwardsEvents) {
        this.settings = settings;
        this.topics = topics;
        this.groupId = groupId;
        this.transactionalId = transactionalId;
        this.messages = messages;
        this.projectForwardsEvents = projectForwardsEvents;
        this.thread = new Thread(this::run, "cdp-trigger-router");
        this.thread.setDaemon(true);
    }

    public void start() {
        consumer = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new ByteArrayDeserializer());
        producer = new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        thread.start();
    }

    /** "ok", or why the router is not ready. */
    public String readiness() {
        if (failure != null) {
            return "trigger router failed: " + failure.getMessage();
        }
        return assignedOnce ? "ok" : "waiting for a trigger partition assignment";
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topics.segmentChanges(), topics.valid()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // the open transaction holds records of these partitions: finish it while they are still ours
                    try {
                        commitOpen();
                    } catch (ProducerFencedException e) {
                        throw e;
                    } catch (KafkaException e) {
                        LOG.warn("trigger transaction aborted at a revocation; the next owner re-reads: {}", e.getMessage());
                        abortOpen();
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    commitStartingPositions(partitions);
                }
            });
            while (running.get()) {
                long now = System.nanoTime();
                long wait = openSinceNanos < 0 ? 100 : Math.max(0, (openSinceNanos + TRANSACTION_SPAN_NANOS - now) / 1_000_000);
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(wait));
                } catch (WakeupException e) {
                    continue;
                }
                try {
                    if (!records.isEmpty()) {
                        if (openSinceNanos < 0) {
                            producer.beginTransaction();
                            openSinceNanos = System.nanoTime();
                        }
                        for (ConsumerRecord<String, byte[]> r : records) {
                            for (OutboxMessage m : route(r)) {
                                producer.send(new ProducerRecord<>(topics.cdpOutbox(), m.key(), CdpCodec.encode(m)));
                            }
                            openOffsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                            openRecords++;
                        }
                    }
                    if (openSinceNanos >= 0 && (System.nanoTime() - openSinceNanos >= TRANSACTION_SPAN_NANOS
                            || openRecords >= MAX_RECORDS_PER_TRANSACTION)) {
                        commitOpen();
                    }
                } catch (ProducerFencedException e) {
                    throw e;
                } catch (KafkaException e) {
                    LOG.warn("trigger transaction aborted; re-reading from the last commit: {}", e.getMessage());
                    abortOpen();
                    rewind();
                }
            }
            commitOpen();
        } catch (WakeupException e) {
            // close() during shutdown
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("trigger router stopped", e);
        } finally {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("producer close failed", e);
            }
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("consumer close failed", e);
            }
            stopped.countDown();
        }
    }

    // the records of the open transaction and their offsets go out together, or neither does
    private void commitOpen() {
        if (openSinceNanos < 0) {
            return;
        }
        producer.sendOffsetsToTransaction(Map.copyOf(openOffsets), consumer.groupMetadata());
        producer.commitTransaction();
        clearOpen();
    }

    private void abortOpen() {
        if (openSinceNanos < 0) {
            return;
        }
        try {
            producer.abortTransaction();
        } finally {
            clearOpen();
        }
    }

    private void clearOpen() {
        openSinceNanos = -1;
        openOffsets.clear();
        openRecords = 0;
    }

    private List<OutboxMessage> route(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(topics.segmentChanges())) {
                return messages.ofSegmentChange(SegmentChangeCodec.decode(r.value()));
            }
            String key = r.key();
            int colon = key == null ? -1 : key.indexOf(':');
            if (colon <= 0 || !projectForwardsEvents.test(key.substring(0, colon))) {
                return List.of();
            }
            Event e = EventCodec.decodeEvent(r.value());
            return messages.ofEvent(e);
        } catch (IllegalArgumentException e) {
            // the topics' own sinks dead-letter what they cannot read; the router only skips it
            LOG.warn("unreadable trigger at {}-{}@{} skipped: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return List.of();
        }
    }

    // A partition the group never committed starts at its end; commit that position at once, so a trigger written
    // after this moment is not skipped by a restart before the first transaction.
    private void commitStartingPositions(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
        for (TopicPartition tp : partitions) {
            if (committed.get(tp) == null) {
                start.put(tp, new OffsetAndMetadata(consumer.position(tp)));
            }
        }
        if (!start.isEmpty()) {
            consumer.commitSync(start);
        }
        assignedOnce = true;
    }

    // after an aborted transaction, read again from the committed offsets
    private void rewind() {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata o = committed.get(tp);
            if (o != null) {
                consumer.seek(tp, o.offset());
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
    }

    private Properties consumerProps() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a SIGKILLed member's partitions move after 10 s instead of the default 45 s
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        // triggers from before the connectors first ran are history, not news: start at the end
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // a fetch waits up to 20 ms for 32 KB instead of answering each new record at once: at 1,000 messages/s the
        // fetches (and the broker's work) were one per handful of records
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 32_768);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-router");
        return p;
    }

    private Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // a router that died mid-transaction (and never comes back to fence it) holds read_committed readers of the
        // outbox back until the broker aborts it: keep that short
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // one request in flight: with transactions v2 the first batch of each transaction must reach a partition
        // before the next one, else the broker answers a retriable OUT_OF_ORDER_SEQUENCE_NUMBER (KAFKA-18202) and the
        // retry backoff stalled whole transactions for seconds in the cdp bench
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, groupId + "-router-producer");
        return p;
    }

    @Override
    public void close() {
        running.set(false);
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            if (!stopped.await(15, TimeUnit.SECONDS)) {
                LOG.warn("trigger router did not stop within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
