package io.beacon.cdp.outbox;

import io.beacon.cdp.CdpSettings;
import io.beacon.cdp.delivery.RetrySchedule;
import io.beacon.cdp.delivery.Verdict;
import io.beacon.cdp.send.SendResult;
import io.beacon.cdp.send.Sender;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.event.TopicNames;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.CdpDeadLetter;
import io.beacon.event.cdp.DeliveryAttempt;
import io.beacon.event.cdp.ErrorClass;
import io.beacon.event.cdp.OutboxMessage;
import io.beacon.event.cdp.RetryEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An outbox worker: one member of the connectors' consumer group on {@code beacon.cdp.outbox} and
 * {@code beacon.cdp.retry}. The range assignor gives it the same partition numbers of both topics (same key, same
 * partition count), so the retry schedule of an outbox partition always lives with it. On an assignment it first
 * folds the retry partition to its end, then reads the outbox; each partition's {@link PartitionLedger} decides
 * what goes next. Attempts are asynchronous: a slow destination holds only its own concurrency slots.
 *
 * <p>Delivery guarantee: at least once, with the message id as idempotency key ({@code webhook-id}). A message is
 * finished only after its success or its dead letter is durable; offsets are committed only up to what is finished
 * or parked in the retry topic, after the producer flushed. A crash (SIGKILL) replays from the last commit: the
 * receiver may see an attempt again, with the same {@code webhook-id}; nothing is lost.
 */
public final class OutboxWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxWorker.class);
    private static final int REMEMBER_FINISHED = 50_000;
    private static final long COMMIT_EVERY_MS = 500;

    private final CdpSettings settings;
    private final TopicNames topics;
    private final DestinationDirectory destinations;
    private final Sender sender;
    private final Lanes lanes;
    private final RetrySchedule schedule;
    private final LongSupplier clock;
    private final String groupId;
    private final ConcurrentLinkedQueue<Runnable> completions = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger outstandingWrites = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<Integer, PartitionLedger> ledgers = new HashMap<>();
    /** Outbox partitions whose retry partition is still being folded, with the retry end offset to reach. */
    private final Map<Integer, Long> catchingUp = new HashMap<>();
    private final Set<Integer> pausedForSize = new HashSet<>();
    private final Thread thread;
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private volatile boolean assignedOnce;
    private volatile Throwable failure;

    public OutboxWorker(CdpSettings settings, TopicNames topics, String groupId, DestinationDirectory destinations,
                        Sender sender, Lanes lanes, LongSupplier clock) {
        this.settings = settings;
        this.topics = topics;
        this.groupId = groupId;
        this.destinations = destinations;
        this.sender = sender;
        this.lanes = lanes;
        this.schedule = new RetrySchedule(settings);
        this.clock = clock;
        this.thread = new Thread(this::run, "cdp-outbox-worker");
        this.thread.setDaemon(true);
    }

    public void start() {
        consumer = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new ByteArrayDeserializer());
        producer = new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer());
        thread.start();
    }

    /** "ok", or why the worker is not ready. */
    public String readiness() {
        if (failure != null) {
            return "outbox worker failed: " + failure.getMessage();
        }
        return assignedOnce ? "ok" : "waiting for an outbox partition assignment";
    }

    /** Messages held in memory now, over all partitions (a gauge). */
    public int pending() {
        return pendingCount;
    }

    private volatile int pendingCount;

    // ---- the poll loop ---------------------------------------------------------------------------

    private void run() {
        try {
            consumer.subscribe(List.of(topics.cdpOutbox(), topics.cdpRetry()), new Rebalance());
            long lastCommit = clock.getAsLong();
            while (running.get()) {
                long now = clock.getAsLong();
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(pollTimeoutMs(now)));
                } catch (WakeupException e) {
                    records = ConsumerRecords.empty();
                }
                for (ConsumerRecord<String, byte[]> r : records) {
                    onRecord(r);
                }
                finishCatchUps();
                Runnable c;
                while ((c = completions.poll()) != null) {
                    c.run();
                }
                dispatch(clock.getAsLong());
                applyBackpressure();
                if (clock.getAsLong() - lastCommit >= COMMIT_EVERY_MS) {
                    commit(false);
                    lastCommit = clock.getAsLong();
                }
            }
            commit(true);
        } catch (WakeupException e) {
            // close() woke us during shutdown
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("outbox worker stopped", e);
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

    // results arrive on other threads (HTTP, producer callbacks) into a queue; the loop polls briefly while any is
    // outstanding instead of waking the consumer, whose wakeup would also interrupt a commit or a rebalance callback
    private long pollTimeoutMs(long now) {
        if (!completions.isEmpty()) {
            return 0;
        }
        long timeout = lanes.inFlight() > 0 || outstandingWrites.get() > 0 ? 5 : 100;
        for (PartitionLedger l : ledgers.values()) {
            OptionalLong next = l.nextDueAtMs();
            if (next.isPresent()) {
                timeout = Math.min(timeout, Math.max(0, next.getAsLong() - now));
            }
        }
        return timeout;
    }

    private void onRecord(ConsumerRecord<String, byte[]> r) {
        PartitionLedger ledger = ledgers.get(r.partition());
        if (ledger == null) {
            return; // revoked meanwhile
        }
        if (r.topic().equals(topics.cdpRetry())) {
            if (catchingUp.containsKey(r.partition())) {
                try {
                    ledger.foldRetry(r.offset(), CdpCodec.decodeRetry(r.value()));
                } catch (IllegalArgumentException e) {
                    LOG.error("unreadable retry record at {}-{}@{} skipped: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                }
            }
            return;
        }
        OutboxMessage m;
        try {
            m = CdpCodec.decodeMessage(r.value());
        } catch (IllegalArgumentException e) {
            LOG.error("unreadable outbox record at {}-{}@{} skipped: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return;
        }
        PartitionLedger.Admission a = ledger.onOutbox(r.offset(), m, clock.getAsLong());
        if (a == PartitionLedger.Admission.PARK) {
            Pending p = ledger.findHeld(m.messageId());
            park(r.partition(), ledger, p);
        }
    }

    private void finishCatchUps() {
        if (catchingUp.isEmpty()) {
            return;
        }
        List<Integer> done = new ArrayList<>();
        for (Map.Entry<Integer, Long> e : catchingUp.entrySet()) {
            TopicPartition retry = new TopicPartition(topics.cdpRetry(), e.getKey());
            if (consumer.position(retry) >= e.getValue()) {
                done.add(e.getKey());
            }
        }
        for (int p : done) {
            catchingUp.remove(p);
            // the retry partition is folded: from now on only this worker writes it, and it knows what it wrote
            consumer.pause(List.of(new TopicPartition(topics.cdpRetry(), p)));
            consumer.resume(List.of(new TopicPartition(topics.cdpOutbox(), p)));
            LOG.info("outbox partition {} caught up: {} messages waiting from the retry topic", p, ledgers.get(p).size());
        }
    }

    private void dispatch(long now) {
        for (Map.Entry<Integer, PartitionLedger> e : ledgers.entrySet()) {
            if (catchingUp.containsKey(e.getKey())) {
                continue;
            }
            int partition = e.getKey();
            PartitionLedger ledger = e.getValue();
            for (Pending p : ledger.takeDue(now, x -> lanes.accept(x.message, now))) {
                attempt(partition, ledger, p);
            }
        }
        int n = 0;
        for (PartitionLedger l : ledgers.values()) {
            n += l.size();
        }
        pendingCount = n;
    }

    private void attempt(int partition, PartitionLedger ledger, Pending p) {
        OutboxMessage m = p.message;
        Optional<DestinationDefinition> d = destinations.destination(m.projectId(), m.destinationId());
        if (d.isEmpty() || lanes.disabled(m, d.get())) {
            lanes.release(m);
            String why = d.isEmpty() ? "the destination was deleted" : "the destination is disabled";
            p.lastError = why;
            deadLetter(partition, ledger, p, ErrorClass.DESTINATION_DISABLED);
            return;
        }
        int attempt = p.attempt;
        long started = clock.getAsLong();
        sender.send(d.get(), m, attempt).whenComplete((result, error) -> {
            SendResult r = error == null ? result
                    : SendResult.failed(SendResult.Failure.CONNECT_FAILED, String.valueOf(error.getMessage()), clock.getAsLong() - started);
            completions.add(() -> onResult(partition, ledger, p, attempt, started, r));
        });
    }

    private void onResult(int partition, PartitionLedger ledger, Pending p, int attempt, long startedAtMs, SendResult r) {
        OutboxMessage m = p.message;
        long now = clock.getAsLong();
        Verdict v = lanes.completed(m, r, now);
        if (ledgers.get(partition) != ledger) {
            return; // the partition moved while the attempt was in the air: its new owner delivers it again
        }
        p.lastStatus = r.status();
        p.lastError = r.error() != null ? r.error() : r.status() >= 300 || r.status() < 200 ? "HTTP " + r.status() : null;
        if (v instanceof Verdict.Delivered) {
            log(m, attempt, startedAtMs, r, DeliveryAttempt.Outcome.DELIVERED);
            if (!ledger.delivered(p)) {
                writeDone(partition, ledger, p);
            }
        } else if (v instanceof Verdict.Gone) {
            log(m, attempt, startedAtMs, r, DeliveryAttempt.Outcome.DEAD_LETTERED);
            deadLetter(partition, ledger, p, ErrorClass.DESTINATION_DISABLED);
        } else if (v instanceof Verdict.Permanent perm) {
            log(m, attempt, startedAtMs, r, DeliveryAttempt.Outcome.DEAD_LETTERED);
            deadLetter(partition, ledger, p, perm.errorClass());
        } else if (v instanceof Verdict.Throttle throttle) {
            retryOrGiveUp(partition, ledger, p, attempt, startedAtMs, r, throttle.retryAfter(), DeliveryAttempt.Outcome.THROTTLED);
        } else {
            retryOrGiveUp(partition, ledger, p, attempt, startedAtMs, r, Optional.empty(), DeliveryAttempt.Outcome.RETRY);
        }
    }

    private void retryOrGiveUp(int partition, PartitionLedger ledger, Pending p, int attempt, long startedAtMs, SendResult r,
                               Optional<Duration> retryAfter, DeliveryAttempt.Outcome outcome) {
        Optional<Duration> delay = schedule.delayBefore(attempt + 1, p.messageId());
        if (delay.isEmpty()) {
            log(p.message, attempt, startedAtMs, r, DeliveryAttempt.Outcome.DEAD_LETTERED);
            deadLetter(partition, ledger, p, ErrorClass.EXHAUSTED);
            return;
        }
        log(p.message, attempt, startedAtMs, r, outcome);
        long wait = Math.max(delay.get().toMillis(), retryAfter.map(Duration::toMillis).orElse(0L));
        List<Pending> park = ledger.retryLater(p, attempt + 1, clock.getAsLong() + wait, p.lastError, r.status());
        for (Pending q : park) {
            park(partition, ledger, q);
        }
    }

    // ---- writes ----------------------------------------------------------------------------------

    private void park(int partition, PartitionLedger ledger, Pending p) {
        RetryEntry e = new RetryEntry(p.message, p.attempt, p.dueAtMs, p.sequence, false, p.lastError);
        outstandingWrites.incrementAndGet();
        producer.send(new ProducerRecord<>(topics.cdpRetry(), partition, p.key(), CdpCodec.encode(e)), (md, err) -> {
            outstandingWrites.decrementAndGet();
            if (err != null) {
                fail("parking " + p.messageId() + " in the retry topic failed", err);
                return;
            }
            completions.add(() -> {
                if (ledgers.get(partition) == ledger) {
                    ledger.parked(p, md.offset());
                }
            });
        });
    }

    private void writeDone(int partition, PartitionLedger ledger, Pending p) {
        outstandingWrites.incrementAndGet();
        producer.send(new ProducerRecord<>(topics.cdpRetry(), partition, p.key(), CdpCodec.encode(RetryEntry.done(p.message, p.sequence))),
                (md, err) -> {
                    outstandingWrites.decrementAndGet();
                    if (err != null) {
                        fail("writing the done marker of " + p.messageId() + " failed", err);
                        return;
                    }
                    completions.add(() -> {
                        if (ledgers.get(partition) == ledger) {
                            ledger.retryWritten(md.offset());
                            ledger.finished(p);
                        }
                    });
                });
    }

    private void deadLetter(int partition, PartitionLedger ledger, Pending p, ErrorClass cls) {
        p.state = Pending.State.FINISHING;
        CdpDeadLetter d = new CdpDeadLetter(p.message, Math.max(0, p.attempt), cls, p.lastError, p.lastStatus, clock.getAsLong());
        LOG.warn("message {} to destination {} dead-lettered after {} attempts: {} ({})", p.messageId(),
                p.message.destinationId(), p.attempt, cls.wireName(), p.lastError);
        outstandingWrites.incrementAndGet();
        producer.send(new ProducerRecord<>(topics.cdpDlq(), p.key(), CdpCodec.encode(d)), (md, err) -> {
            outstandingWrites.decrementAndGet();
            if (err != null) {
                fail("dead-lettering " + p.messageId() + " failed", err);
                return;
            }
            completions.add(() -> {
                if (ledgers.get(partition) == ledger && !ledger.deadLettered(p)) {
                    writeDone(partition, ledger, p);
                }
            });
        });
    }

    private void log(OutboxMessage m, int attempt, long startedAtMs, SendResult r, DeliveryAttempt.Outcome outcome) {
        DeliveryAttempt a = new DeliveryAttempt(m.projectId(), m.destinationId(), m.personId(), m.messageId(), m.type(), attempt,
                startedAtMs, r.status(), outcome, r.latencyMs(), r.error() != null ? r.error()
                : outcome == DeliveryAttempt.Outcome.DELIVERED ? null : "HTTP " + r.status(), r.body());
        producer.send(new ProducerRecord<>(topics.cdpDeliveries(), m.key(), CdpCodec.encode(a)), (md, err) -> {
            if (err != null) {
                LOG.warn("delivery log record of {} not written: {}", m.messageId(), err.getMessage());
            }
        });
    }

    private void fail(String what, Exception err) {
        // a write the guarantee rests on failed: stop without committing past it; a restart replays from the last commit
        failure = new IllegalStateException(what + ": " + err.getMessage(), err);
        LOG.error("{}; the worker stops and replays from its last commit when restarted", what, err);
        running.set(false);
    }

    /**
     * Commits what is finished or parked. The ledgers advance only in the callbacks of acknowledged writes (a park,
     * a dead letter, a done marker), so their commit points never pass a write that could still be lost; only on a
     * revocation or at the end ({@code last}) does it flush the producer first and wait for the commit, so the next
     * owner starts as far on as possible. In the poll loop it commits asynchronously: a flush there held up dispatch
     * for as long as the delivery log's records took.
     */
    private void commit(boolean last) {
        if (failure != null || ledgers.isEmpty()) {
            return;
        }
        if (last) {
            producer.flush();
        }
        Runnable c;
        while ((c = completions.poll()) != null) {
            c.run();
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Map.Entry<Integer, PartitionLedger> e : ledgers.entrySet()) {
            if (catchingUp.containsKey(e.getKey())) {
                continue;
            }
            e.getValue().outboxCommit().ifPresent(o ->
                    offsets.put(new TopicPartition(topics.cdpOutbox(), e.getKey()), new OffsetAndMetadata(o)));
            e.getValue().retryCommit().ifPresent(o ->
                    offsets.put(new TopicPartition(topics.cdpRetry(), e.getKey()), new OffsetAndMetadata(o)));
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (last) {
            consumer.commitSync(offsets);
        } else {
            consumer.commitAsync(offsets, (o, err) -> {
                if (err != null) {
                    LOG.warn("outbox commit failed (the next one covers it): {}", err.getMessage());
                }
            });
        }
    }

    private void applyBackpressure() {
        int max = settings.maxPendingPerPartition();
        for (Map.Entry<Integer, PartitionLedger> e : ledgers.entrySet()) {
            int p = e.getKey();
            if (catchingUp.containsKey(p)) {
                continue;
            }
            TopicPartition tp = new TopicPartition(topics.cdpOutbox(), p);
            int size = e.getValue().size();
            if (size >= max && pausedForSize.add(p)) {
                consumer.pause(List.of(tp));
            } else if (size < max / 2 && pausedForSize.remove(p)) {
                consumer.resume(List.of(tp));
            }
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commit(true);
            } catch (RuntimeException e) {
                LOG.warn("commit on revocation failed; the next owner replays from the previous commit", e);
            }
            for (TopicPartition tp : partitions) {
                if (tp.topic().equals(topics.cdpOutbox())) {
                    ledgers.remove(tp.partition());
                    catchingUp.remove(tp.partition());
                    pausedForSize.remove(tp.partition());
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            List<TopicPartition> retry = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                if (tp.topic().equals(topics.cdpOutbox())) {
                    ledgers.put(tp.partition(), new PartitionLedger(REMEMBER_FINISHED));
                    retry.add(new TopicPartition(topics.cdpRetry(), tp.partition()));
                    consumer.pause(List.of(tp));
                }
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(retry);
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                catchingUp.put(e.getKey().partition(), e.getValue());
            }
            assignedOnce = true;
            LOG.info("outbox partitions assigned: {}", ledgers.keySet());
        }
    }

    // ---- Kafka clients ---------------------------------------------------------------------------

    private Properties consumerProps() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // classic protocol + range: partition n of the outbox and of the retry topic go to the same member
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a SIGKILLed member's partitions move after 10 s instead of the default 45 s
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        // a fetch waits up to 20 ms for 32 KB instead of answering each new record at once: at 1,000 messages/s the
        // fetches (and the broker's work) were one per handful of records
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 32_768);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-worker");
        return p;
    }

    private Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, groupId + "-worker-producer");
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
                LOG.warn("outbox worker did not stop within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
