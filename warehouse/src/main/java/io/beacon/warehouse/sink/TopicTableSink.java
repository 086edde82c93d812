package io.beacon.warehouse.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.beacon.event.DeadLetter;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.PersonDistinctId;
import io.beacon.event.PersonProperty;
import io.beacon.event.SessionSummary;
import io.beacon.event.TopicNames;
import io.beacon.warehouse.SinkSettings;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.MigrationCatalog;
import io.beacon.warehouse.sink.internal.Backoff;
import io.beacon.warehouse.sink.internal.DeadLetters;
import io.beacon.warehouse.sink.internal.PendingBatch;
import io.beacon.warehouse.widening.PromotedColumns;
import io.beacon.warehouse.widening.PromotionSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the records of one Kafka topic into one ClickHouse table in batches, at least once, through a row
 * mapping: canonical events from {@code beacon.events.valid} into {@code events}, and with other mappings
 * session summaries, person properties and person links ({@link #sessionAndIdentitySinks}) and segment changes
 * ({@link SegmentChangeSink}); every table is a ReplacingMergeTree on a version or id carried in the record, so
 * replayed copies collapse.
 *
 * <p>One dedicated thread owns a {@link KafkaConsumer} ({@code read_committed}, because the topology
 * writes transactionally; no auto-commit). It decodes each record into a row and buffers it; when the
 * buffer holds {@link SinkSettings#batchSize()} records or its oldest record has waited
 * {@link SinkSettings#flushInterval()}, the buffer becomes <em>one</em> JSONEachRow insert. Only after
 * ClickHouse accepted it are exactly the offsets of that batch committed ({@code commitSync}), so a crash
 * at any moment loses nothing: what was not committed is read again, and the copies a replay inserts are
 * collapsed by {@code ReplacingMergeTree}/{@code FINAL} (see {@code io.beacon.warehouse.schema}).
 *
 * <ul>
 *   <li><b>Insert failures</b> are retried with exponential backoff capped at
 *       {@link SinkSettings#retryBackoffMax()}; meanwhile the consumer keeps polling with every partition
 *       paused, so it stays in its group and sees rebalances. No record is skipped and nothing is
 *       committed past the unflushed batch. With {@link SinkSettings#maxAttempts()} &gt; 0 the sink stops
 *       after that many attempts (uncommitted, so a restart resumes with the same batch).</li>
 *   <li><b>Rebalances:</b> before partitions are revoked the batch is flushed and committed once; if
 *       that fails, the records of the revoked partitions are dropped uncommitted (their next owner
 *       re-reads them). Records of lost partitions are dropped without a commit.</li>
 *   <li><b>Promoted columns</b> (widening): each record's row is built with the
 *       {@link PromotedColumns#snapshot()} current when it is read. A snapshot names only columns whose
 *       {@code ADD COLUMN} has succeeded, so a batch never references a column the table lacks; a
 *       promotion takes effect from the next record read after it completed.</li>
 *   <li><b>Undecodable records</b> become {@link DeadLetter}s (stage {@code "sink"}, original bytes)
 *       on the DLQ topic; they are acknowledged by Kafka before their offsets are committed.</li>
 * </ul>
 */
public final class TopicTableSink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicTableSink.class);
    private static final Duration MAX_POLL_WAIT = Duration.ofMillis(500);
    private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final long DLQ_SEND_TIMEOUT_MS = 30_000;

    private enum State { NEW, RUNNING, STOPPED, FAILED }

    private final SinkSettings settings;
    private final TopicNames topics;
    private final ClickHouse clickhouse;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Clock clock;
    private final Backoff backoff;
    private final String table;
    private final String topic;
    private final RowEncoder encoder;

    private final PendingBatch batch = new PendingBatch();
    private final Set<TopicPartition> owned = new HashSet<>();
    private final Thread thread;
    /** Encodes half of each large poll (see {@link #encodeAll}); daemon, shut down with the clients. */
    private final ExecutorService encodeThread;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile boolean stopRequested;
    private volatile boolean abortRequested;
    private boolean retrying;
    private volatile boolean closing;

    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong batchesWritten = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong insertFailures = new AtomicLong();
    private final AtomicLong commitFailures = new AtomicLong();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong lastFlushAt = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    /** Test hook: halt like a crash right after this many successful inserts, before committing (0 = never). */
    private volatile int crashAfterInserts;

    /**
     * A sink for the settings' topics and consumer group, writing through {@code clickhouse} (whose
     * schema must be migrated). Nothing happens until {@link #start()}.
     */
    public TopicTableSink(WarehouseSettings settings, ClickHouse clickhouse) {
        this(settings, clickhouse, () -> PromotionSnapshot.EMPTY, Clock.systemUTC());
    }

    /**
     * A sink that also fills the promoted columns of {@code promotions}; call {@link PromotedColumns#load()}
     * before {@link #start()} so that a restarted sink fills them from its first record.
     */
    public TopicTableSink(WarehouseSettings settings, ClickHouse clickhouse, PromotedColumns promotions) {
        this(settings, clickhouse, promotions, SinkFaultInjection.none());
    }

    /** {@link #TopicTableSink(WarehouseSettings, ClickHouse, PromotedColumns)} with injected faults (data-quality tests). */
    public TopicTableSink(WarehouseSettings settings, ClickHouse clickhouse, PromotedColumns promotions, SinkFaultInjection faults) {
        this(settings, clickhouse, Objects.requireNonNull(promotions, "promotions")::snapshot, Clock.systemUTC(), faults);
    }

    TopicTableSink(WarehouseSettings settings, ClickHouse clickhouse, Supplier<PromotionSnapshot> promotions, Clock clock) {
        this(settings, clickhouse, promotions, clock, SinkFaultInjection.none());
    }

    private TopicTableSink(WarehouseSettings settings, ClickHouse clickhouse, Supplier<PromotionSnapshot> promotions, Clock clock,
                           SinkFaultInjection faults) {
        this(settings, clickhouse, settings.topics().valid(), MigrationCatalog.EVENTS, faults.isActive()
                ? (value, now) -> {
                    Event e = EventCodec.decodeEvent(value);
                    return faults.drop(e.eventId()) ? List.of() : List.of(EventRows.toJson(e, now, promotions.get()));
                }
                : (value, now) -> List.of(EventRows.toJson(EventCodec.decodeEvent(value), now, promotions.get())), clock);
        if (faults.isActive()) {
            LOG.warn("FAULT INJECTION in the events sink (tests only): {}", faults);
        }
    }

    /**
     * A sink of another topic into another table, with the same batching, commit and DLQ behaviour; see
     * {@link #sessions}, {@link #persons}, {@link #personDistinctIds}. {@code settings.sink().groupId()}
     * must be the group of this sink alone.
     */
    TopicTableSink(WarehouseSettings settings, ClickHouse clickhouse, String topic, String table, RowEncoder encoder, Clock clock) {
        this.settings = settings.sink();
        this.topics = settings.topics();
        this.topic = Objects.requireNonNull(topic, "topic");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.clickhouse = Objects.requireNonNull(clickhouse, "clickhouse");
        this.clock = clock;
        this.backoff = new Backoff(this.settings.retryBackoffInitial(), this.settings.retryBackoffMax());
        this.table = Objects.requireNonNull(table, "table");
        this.consumer = new KafkaConsumer<>(consumerProperties(settings), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerProperties(settings), new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "beacon-sink-" + table + "-" + this.settings.groupId());
        String encodeName = "beacon-sink-encode-" + table + "-" + this.settings.groupId();
        this.encodeThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, encodeName);
            t.setDaemon(true);
            return t;
        });
        this.thread.setDaemon(false);
    }

    /**
     * Turns one record value into JSONEachRow lines of the sink's table: none to skip the record (a
     * tombstone), throws for an undecodable one (it becomes a dead letter).
     */
    @FunctionalInterface
    interface RowEncoder {
        List<String> rows(byte[] value, long nowMillis);
    }

    /**
     * {@code beacon.sessions} → {@code sessions} (consumer group {@code <group-id>-sessions}). Tombstones of
     * merged sessions are skipped: the survivor's summary, in the same transaction, carries the merged ids
     * and becomes their {@code is_deleted} rows.
     */
    public static TopicTableSink sessions(WarehouseSettings settings, ClickHouse clickhouse) {
        return new TopicTableSink(settings.withSink(settings.sink().withGroupId(settings.sink().groupId() + "-sessions")), clickhouse,
                settings.topics().sessions(), MigrationCatalog.SESSIONS,
                (value, now) -> value == null ? List.of() : IdentityRows.sessionRows(
                        EventCodec.decode(value, SessionSummary.class), now).stream().map(TopicTableSink::json).toList(),
                Clock.systemUTC());
    }

    /** {@code beacon.persons} → {@code persons} (consumer group {@code <group-id>-persons}). */
    public static TopicTableSink persons(WarehouseSettings settings, ClickHouse clickhouse) {
        return new TopicTableSink(settings.withSink(settings.sink().withGroupId(settings.sink().groupId() + "-persons")), clickhouse,
                settings.topics().persons(), MigrationCatalog.PERSONS,
                (value, now) -> List.of(json(IdentityRows.personRow(EventCodec.decode(required(value), PersonProperty.class), now))),
                Clock.systemUTC());
    }

    /** {@code beacon.person-distinct-ids} → {@code person_distinct_ids} (consumer group {@code <group-id>-person-distinct-ids}). */
    public static TopicTableSink personDistinctIds(WarehouseSettings settings, ClickHouse clickhouse) {
        return new TopicTableSink(settings.withSink(settings.sink().withGroupId(settings.sink().groupId() + "-person-distinct-ids")),
                clickhouse, settings.topics().personDistinctIds(), MigrationCatalog.PERSON_DISTINCT_IDS,
                (value, now) -> List.of(json(IdentityRows.distinctIdRow(EventCodec.decode(required(value), PersonDistinctId.class), now))),
                Clock.systemUTC());
    }

    /** The three sinks of sessions and identity, unstarted. */
    public static List<TopicTableSink> sessionAndIdentitySinks(WarehouseSettings settings, ClickHouse clickhouse) {
        return List.of(sessions(settings, clickhouse), persons(settings, clickhouse), personDistinctIds(settings, clickhouse));
    }

    private static byte[] required(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("record has no value");
        }
        return value;
    }

    private static String json(Map<String, Object> row) {
        try {
            return EventCodec.mapper().writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write row", e); // rows hold only strings and numbers
        }
    }

    static Properties consumerProperties(WarehouseSettings settings) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.sink().groupId());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(Math.min(settings.sink().batchSize(), 10_000)));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "beacon-sink-" + settings.sink().groupId());
        return p;
    }

    static Properties producerProperties(WarehouseSettings settings) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "beacon-sink-dlq-" + settings.sink().groupId());
        return p;
    }

    /** Starts consuming on the sink's own thread. */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("sink already started");
        }
        thread.start();
    }

    /** Whether the sink thread is consuming (false before start, after close, and after it gave up). */
    public boolean isRunning() {
        return state.get() == State.RUNNING && thread.isAlive();
    }

    /** The counters right now. */
    public SinkStats stats() {
        return new SinkStats(isRunning(), rowsWritten.get(), batchesWritten.get(), deadLettered.get(),
                insertFailures.get(), commitFailures.get(), consecutiveFailures.get(), lastFlushAt.get(), lastError.get());
    }

    /**
     * Stops gracefully: the buffered batch is inserted and committed, then the consumer leaves its group.
     * If ClickHouse refuses the final insert, the sink stops retrying and leaves the batch uncommitted (it is
     * re-read on the next start). Waits up to 30 s for the thread.
     */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    /** {@link #close()} with a bound on the wait. */
    public void close(Duration timeout) {
        stopRequested = true;
        if (state.get() == State.NEW) {
            state.set(State.STOPPED);
            closeClients();
            return;
        }
        consumer.wakeup();
        join(timeout);
    }

    /**
     * Stops at once without inserting or committing the buffered batch: its records are read again by the
     * group's next consumer. For emergency shutdown and crash tests.
     */
    public void abort() {
        abortRequested = true;
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    /** Test hook: after {@code inserts} accepted inserts, halt before committing, as a crash would. */
    void crashAfterInserts(int inserts) {
        this.crashAfterInserts = inserts;
    }

    private void join(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Event sink thread did not stop within {}", timeout);
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new RebalanceListener());
            while (!stopRequested) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(pollTimeout());
                } catch (WakeupException e) {
                    continue;
                }
                List<ConsumerRecord<byte[], byte[]>> polled = new ArrayList<>(records.count());
                records.forEach(polled::add);
                Encoded[] encoded = encodeAll(polled);
                for (int i = 0; i < polled.size(); i++) {
                    add(polled.get(i), encoded[i]);
                    if (batch.size() >= settings.batchSize()) {
                        flush();
                    }
                }
                if (!batch.isEmpty() && batch.ageMillis(clock.millis()) >= settings.flushInterval().toMillis()) {
                    flush();
                }
            }
            if (!abortRequested && !batch.isEmpty()) {
                flush();
            }
            state.set(State.STOPPED);
        } catch (SinkHalted e) {
            state.set(e.failed ? State.FAILED : State.STOPPED);
            if (e.failed) {
                LOG.error("Event sink stopped: {}", e.getMessage());
            }
        } catch (RuntimeException e) {
            state.set(State.FAILED);
            lastError.set(e.toString());
            LOG.error("Event sink failed; uncommitted records will be re-read on restart", e);
        } finally {
            closeClients();
        }
    }

    private void closeClients() {
        encodeThread.shutdownNow();
        // Closing the consumer runs onPartitionsRevoked; after a stop, that must not store or commit anything.
        closing = true;
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("Closing the sink consumer failed: {}", e.toString());
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("Closing the sink DLQ producer failed: {}", e.toString());
        }
    }

    private Duration pollTimeout() {
        if (batch.isEmpty()) {
            return MAX_POLL_WAIT;
        }
        long left = settings.flushInterval().toMillis() - batch.ageMillis(clock.millis());
        return Duration.ofMillis(Math.max(1, Math.min(left, MAX_POLL_WAIT.toMillis())));
    }

    /** A record's rows, or why it could not be decoded (then it becomes a dead letter). */
    private record Encoded(List<String> rows, String error, long nowMillis) {
    }

    /** Below this many records a poll is encoded on the sink thread alone. */
    private static final int PARALLEL_ENCODE_MIN = 256;

    /**
     * Encodes a poll's records into rows, the second half on {@link #encodeThread} while the sink thread
     * does the first: decoding and JSON writing were most of the sink thread's time (profiled), and the
     * insert that follows leaves the other core to ClickHouse. Pure work: nothing is added or committed here.
     */
    private Encoded[] encodeAll(List<ConsumerRecord<byte[], byte[]>> records) {
        Encoded[] out = new Encoded[records.size()];
        long now = clock.millis();
        int split = records.size() < PARALLEL_ENCODE_MIN ? records.size() : records.size() / 2;
        Future<?> second = split < records.size()
                ? encodeThread.submit(() -> encodeRange(records, out, split, records.size(), now)) : null;
        encodeRange(records, out, 0, split, now);
        if (second != null) {
            try {
                second.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while encoding rows", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("encoding rows failed", e.getCause());
            }
        }
        return out;
    }

    private void encodeRange(List<ConsumerRecord<byte[], byte[]>> records, Encoded[] out, int from, int to, long now) {
        for (int i = from; i < to; i++) {
            out[i] = encode(records.get(i), now);
        }
    }

    private Encoded encode(ConsumerRecord<byte[], byte[]> record, long now) {
        try {
            if (record.value() == null && topic.equals(topics.valid())) {
                throw new IllegalArgumentException("record has no value");
            }
            return new Encoded(encoder.rows(record.value(), now), null, now);
        } catch (RuntimeException e) {
            return new Encoded(null, e.getMessage(), now);
        }
    }

    private void add(ConsumerRecord<byte[], byte[]> record) {
        add(record, encode(record, clock.millis()));
    }

    private void add(ConsumerRecord<byte[], byte[]> record, Encoded encoded) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (!owned.contains(partition)) {
            // Revoked while this poll's records were being handled: the next owner reads it.
            return;
        }
        long now = encoded.nowMillis();
        if (encoded.rows() == null) {
            DeadLetter letter = DeadLetters.undecodable(record.value(), encoded.error(), record.topic(),
                    record.partition(), record.offset(), now);
            batch.addDeadLetter(partition, record.offset(), letter, now);
            return;
        }
        List<String> rows = encoded.rows();
        if (rows.isEmpty()) {
            batch.addSkipped(partition, record.offset(), now);
        }
        for (String row : rows) {
            batch.addRow(partition, record.offset(), row, now);
        }
    }

    /** Stores the batch (retrying until it is stored, the sink is stopping, or attempts run out), then commits. */
    private void flush() {
        int attempt = 0;
        retrying = true;
        try {
            while (!batch.isEmpty()) {
                try {
                    store();
                    consecutiveFailures.set(0);
                    break;
                } catch (SinkHalted e) {
                    throw e;
                } catch (RuntimeException e) {
                    attempt++;
                    insertFailures.incrementAndGet();
                    consecutiveFailures.set(attempt);
                    lastError.set(e.getMessage());
                    if (settings.maxAttempts() > 0 && attempt >= settings.maxAttempts()) {
                        throw new SinkHalted("gave up after " + attempt + " attempts to store a batch of "
                                + batch.size() + " records (not committed): " + e.getMessage(), true);
                    }
                    if (stopRequested) {
                        LOG.warn("Event sink stopping with an unstored batch of {} records (not committed, will be re-read): {}",
                                batch.size(), e.getMessage());
                        throw new SinkHalted("stopped during retries", false);
                    }
                    Duration delay = backoff.delayAfter(attempt);
                    LOG.warn("Storing a batch of {} records failed (attempt {}), retrying in {} ms: {}",
                            batch.size(), attempt, delay.toMillis(), e.getMessage());
                    waitPolling(delay);
                }
            }
        } finally {
            retrying = false;
            Set<TopicPartition> paused = consumer.paused();
            if (!paused.isEmpty()) {
                consumer.resume(paused);
            }
        }
        commit();
    }

    /** One attempt: publish dead letters, insert rows. Throws on failure. */
    private void store() {
        List<DeadLetter> letters = batch.deadLetters();
        if (!letters.isEmpty()) {
            publish(letters);
            // Published: a retry of the insert must not publish them again.
            batch.settleDeadLetters();
            deadLettered.addAndGet(letters.size());
        }
        int rows = batch.rowCount();
        if (rows > 0) {
            clickhouse.insertJsonEachRow(table, batch.body());
            rowsWritten.addAndGet(rows);
            batchesWritten.incrementAndGet();
        }
        lastFlushAt.set(clock.millis());
        int crashAfter = crashAfterInserts;
        if (crashAfter > 0 && batchesWritten.get() >= crashAfter) {
            abortRequested = true;
            stopRequested = true;
            throw new SinkHalted("test crash after " + crashAfter + " inserts, before the commit", false);
        }
    }

    private void publish(List<DeadLetter> letters) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            sends.add(producer.send(new ProducerRecord<>(topics.dlq(),
                    DeadLetters.key(letter).getBytes(StandardCharsets.UTF_8), EventCodec.encode(letter))));
        }
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get(DLQ_SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while publishing dead letters", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new KafkaException("publishing dead letters to " + topics.dlq() + " failed: " + e, e);
            }
        }
        LOG.warn("Sent {} undecodable records from {} to {}", letters.size(), topic, topics.dlq());
    }

    /**
     * Waits {@code delay} inside {@code poll} with every partition paused: no records arrive, but the
     * consumer stays in its group and rebalance callbacks run (they may shrink the batch).
     */
    private void waitPolling(Duration delay) {
        consumer.pause(consumer.assignment());
        long deadline = clock.millis() + delay.toMillis();
        long left;
        while (!stopRequested && (left = deadline - clock.millis()) > 0) {
            try {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(left));
                // Nothing should arrive with everything paused; never drop what does.
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    add(record);
                }
            } catch (WakeupException e) {
                // close() was called: the retry loop sees stopRequested.
            }
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = batch.offsetsToCommit();
        batch.clear();
        if (offsets.isEmpty()) {
            return;
        }
        for (int tries = 0; ; tries++) {
            try {
                consumer.commitSync(offsets);
                return;
            } catch (WakeupException e) {
                // close() woke the consumer up while committing: commit anyway, the wakeup is consumed.
                if (tries > 0) {
                    throw e;
                }
            } catch (KafkaException e) {
                // Typically the group rebalanced while inserting. The rows are stored; whoever reads these
                // partitions next re-inserts them and FINAL collapses the copies.
                commitFailures.incrementAndGet();
                lastError.set("commit failed: " + e.getMessage());
                LOG.warn("Committing offsets after a stored batch failed (the rows will be re-read and deduplicated): {}",
                        e.toString());
                return;
            }
        }
    }

    /** Keeps {@link #owned} current and settles the batch before partitions change hands. */
    private final class RebalanceListener implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            owned.addAll(partitions);
            if (retrying) {
                consumer.pause(partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!batch.isEmpty() && !retrying && !abortRequested && !closing) {
                try {
                    retrying = true;
                    store();
                    commit();
                } catch (SinkHalted e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warn("Could not store the batch before a rebalance; dropping the revoked partitions' records "
                            + "(uncommitted, they will be re-read): {}", e.getMessage());
                } finally {
                    retrying = false;
                }
            }
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        private void drop(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
            int dropped = batch.removePartitions(partitions);
            if (dropped > 0) {
                LOG.info("Dropped {} uncommitted records of partitions {} (their next owner re-reads them)", dropped, partitions);
            }
        }
    }

    /** Ends the sink thread without committing. */
    private static final class SinkHalted extends RuntimeException {
        private final boolean failed;

        SinkHalted(String message, boolean failed) {
            super(message, null, false, false);
            this.failed = failed;
        }
    }
}
