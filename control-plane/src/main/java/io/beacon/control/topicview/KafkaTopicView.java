package io.beacon.control.topicview;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current state of a compacted topic, held in memory by every process that reads it (the pattern of
 * Kafka Connect's config topic and Confluent Schema Registry's store).
 *
 * <p>A dedicated thread owns a consumer {@code assign}ed to every partition (no group, no committed
 * offsets) that reads from the beginning; {@link #start()} completes once the view reached the end offsets
 * seen at start, so a restarted process holds the whole state before it is ready, and the view then
 * follows the topic. Each record is folded into its key's state by a {@link TopicReducer} (by default the
 * last record wins); a tombstone removes the key. Reads are map reads and never block. Listeners see every
 * change, in topic order, on the view's thread.
 *
 * <p>{@link #write} is read-your-writes: it completes once this view has applied the record, with what it
 * did to the key (so a writer learns whether its record won under the reducer's rule). {@link #send}
 * completes on Kafka's acknowledgement. {@link #applyLocally} changes the view without writing (an
 * optimistic local update, or the only input of a {@link #detached} view).
 *
 * @param <K> the key type
 * @param <V> a record's value as on the topic
 * @param <S> what the view holds per key
 */
public final class KafkaTopicView<K, V, S> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopicView.class);
    /** Marks a record whose writer waits to read it back; the value is the writer's id. */
    private static final String WRITER_HEADER = "beacon.writer";
    private static final Duration POLL = Duration.ofMillis(100);

    private final TopicViewSettings settings;
    private final String name;
    private final String topic;
    private final TopicCodec<K, V> codec;
    private final TopicReducer<K, V, S> reducer;
    private final String writerId = UUID.randomUUID().toString();
    private final byte[] writerIdBytes = writerId.getBytes(StandardCharsets.UTF_8);
    private final Map<K, S> state = new ConcurrentHashMap<>();
    /** Held while a record is applied and its listeners called, and while a listener is registered with replay. */
    private final Object lock = new Object();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final OwnWrites<TopicUpdate<K, S>> own = new OwnWrites<>();
    private final Object producerLock = new Object();

    private volatile boolean started;
    private volatile boolean closed;
    /** Set when the view's thread stopped on an error: the view follows the topic no more. */
    private volatile TopicViewUnavailableException stopped;
    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    private final class Subscription {
        private final Consumer<TopicUpdate<K, S>> listener;

        private Subscription(Consumer<TopicUpdate<K, S>> listener) {
            this.listener = listener;
        }

        private void call(TopicUpdate<K, S> update) {
            try {
                listener.accept(update);
            } catch (RuntimeException e) {
                // A broken listener must not stop the view; the update is applied regardless.
                LOG.error("{} view listener failed on {}", name, update.key(), e);
            }
        }
    }

    public KafkaTopicView(TopicViewSettings settings, TopicCodec<K, V> codec, TopicReducer<K, V, S> reducer) {
        this.settings = settings;
        this.name = settings.name();
        this.topic = settings.topic();
        this.codec = codec;
        this.reducer = reducer;
    }

    private KafkaTopicView(String name, TopicReducer<K, V, S> reducer) {
        this.settings = null;
        this.name = name;
        this.topic = null;
        this.codec = null;
        this.reducer = reducer;
        this.started = true;
        this.ready.complete(null);
    }

    /**
     * A view of no topic (processes without a broker, tests): ready at once, changed only by
     * {@link #applyLocally}; writes fail.
     */
    public static <K, V, S> KafkaTopicView<K, V, S> detached(String name, TopicReducer<K, V, S> reducer) {
        return new KafkaTopicView<>(name, reducer);
    }

    /** The topic read; empty for a detached view. */
    public Optional<String> topic() {
        return Optional.ofNullable(topic);
    }

    /**
     * Creates the topic when missing (see {@link TopicViewSettings.MissingTopic}) and starts the view's
     * thread; returns at once. The stage completes when the view caught up with the end offsets seen at
     * start, and fails if the view stops or is closed first.
     *
     * @throws TopicViewUnavailableException when the topic cannot be created under {@code MissingTopic.FAIL}
     */
    public synchronized CompletionStage<Void> start() {
        if (started) {
            return ready;
        }
        if (closed) {
            throw new TopicViewUnavailableException(name + " view of " + topic + " is closed");
        }
        TopicClients.ensureTopic(settings);
        consumer = TopicClients.consumer(settings, writerId.substring(0, 8));
        thread = new Thread(this::run, "beacon-" + name + "-view-" + topic);
        thread.setDaemon(true);
        thread.start();
        started = true;
        return ready;
    }

    /**
     * Waits until the view caught up (see {@link #start()}).
     *
     * @throws TopicViewUnavailableException when it did not within {@code timeout}, stopped, was closed, or
     *                                       the waiting thread was interrupted
     */
    public void awaitReady(Duration timeout) {
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TopicViewUnavailableException(name + " view of " + topic + " did not catch up within " + timeout);
        } catch (ExecutionException e) {
            throw new TopicViewUnavailableException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicViewUnavailableException("interrupted while waiting for the " + name + " view of " + topic, e);
        }
    }

    /** Whether the view caught up with the topic as it was at {@link #start()} and is not closed. */
    public boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally() && !closed;
    }

    public Optional<S> get(K key) {
        return Optional.ofNullable(state.get(key));
    }

    /** What the view holds, live and read-only; iteration is weakly consistent while the view follows the topic. */
    public Map<K, S> asMap() {
        return Collections.unmodifiableMap(state);
    }

    /**
     * Calls {@code listener} with every change applied from now on (a tombstone's: {@code current} empty),
     * on the view's thread, in topic order; a record that changes nothing is not reported. With
     * {@code replayCurrent} it is first called once per held key ({@code previous} empty), atomically with
     * the registration, so no change is missed or seen twice. Listeners must be quick and must not wait for
     * this view's writes.
     *
     * @return a handle that removes the listener when closed
     */
    public AutoCloseable subscribe(Consumer<TopicUpdate<K, S>> listener, boolean replayCurrent) {
        Subscription subscription = new Subscription(listener);
        synchronized (lock) {
            if (replayCurrent) {
                state.forEach((key, held) -> subscription.call(new TopicUpdate<>(key, Optional.empty(), Optional.of(held))));
            }
            subscriptions.add(subscription);
        }
        return () -> subscriptions.remove(subscription);
    }

    /**
     * Writes a record ({@code value == null}: a tombstone) and completes once this view has applied it, with
     * what it did to the key: read-your-writes. Fails when Kafka does not acknowledge the record or the view
     * stops or closes first; a caller that needs a bound adds its own timeout.
     */
    public CompletionStage<TopicUpdate<K, S>> write(K key, V value) {
        if (!started) {
            return CompletableFuture.failedFuture(new TopicViewUnavailableException(name + " view of " + topic + " is not started"));
        }
        return produce(key, value, true).thenCompose(metadata -> {
            CompletableFuture<TopicUpdate<K, S>> read = own.take(new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset());
            // close() and a stopping thread fail what is pending after setting the flag: whichever came
            // second sees the other
            TopicViewUnavailableException gone = closed ? closedException() : stopped;
            if (gone != null) {
                read.completeExceptionally(gone);
            }
            return read;
        });
    }

    /** Writes a record ({@code value == null}: a tombstone) and completes on Kafka's acknowledgement. */
    public CompletionStage<Void> send(K key, V value) {
        return produce(key, value, false).thenApply(metadata -> null);
    }

    /** Applies {@code value} ({@code null}: a tombstone) to the view as if read from the topic, without writing it. */
    public TopicUpdate<K, S> applyLocally(K key, V value) {
        return apply(key, value);
    }

    /** Stops the view's thread and the producer (sending what it holds, for a few seconds); pending writes fail. */
    @Override
    public void close() {
        Thread viewThread;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            viewThread = thread;
            if (consumer != null) {
                consumer.wakeup();
            }
        }
        if (viewThread != null) {
            try {
                viewThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        KafkaProducer<String, byte[]> p;
        synchronized (producerLock) {
            p = producer;
            producer = null;
        }
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
        TopicViewUnavailableException e = closedException();
        ready.completeExceptionally(e);
        own.failAll(e);
    }

    private TopicViewUnavailableException closedException() {
        return new TopicViewUnavailableException(name + " view of " + topic + " closed");
    }

    // ---- applying records ------------------------------------------------------------------------

    private TopicUpdate<K, S> apply(K key, V value) {
        synchronized (lock) {
            S held = state.get(key);
            S next = value == null ? null : reducer.reduce(key, held, value);
            if (next == null) {
                state.remove(key);
            } else if (next != held) {
                state.put(key, next);
            }
            TopicUpdate<K, S> update = new TopicUpdate<>(key, Optional.ofNullable(held), Optional.ofNullable(next));
            if (update.changed()) {
                for (Subscription s : subscriptions) {
                    s.call(update);
                }
            }
            return update;
        }
    }

    private void read(ConsumerRecord<String, byte[]> r) {
        K key;
        V value;
        try {
            if (r.key() == null) {
                throw new IllegalArgumentException("the record has no key");
            }
            key = codec.decodeKey(r.key());
            value = r.value() == null ? null : codec.decodeValue(key, r.value());
        } catch (RuntimeException e) {
            LOG.warn("ignoring {} record at {}-{}@{}: {}", name, r.topic(), r.partition(), r.offset(), e.getMessage());
            if (isOurs(r)) {
                own.take(new TopicPartition(r.topic(), r.partition()), r.offset())
                        .completeExceptionally(new TopicViewUnavailableException("own record unreadable: " + e.getMessage(), e));
            }
            return;
        }
        TopicUpdate<K, S> update = apply(key, value);
        if (isOurs(r)) {
            own.take(new TopicPartition(r.topic(), r.partition()), r.offset()).complete(update);
        }
    }

    private boolean isOurs(ConsumerRecord<String, byte[]> r) {
        Header header = r.headers().lastHeader(WRITER_HEADER);
        return header != null && Arrays.equals(header.value(), writerIdBytes);
    }

    // ---- the view's thread -----------------------------------------------------------------------

    private void run() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            checkCaughtUp(end);
            while (!closed) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    read(r);
                }
                if (!ready.isDone()) {
                    checkCaughtUp(end);
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                LOG.error("{} view of {} woken up unexpectedly", name, topic, e);
            }
        } catch (RuntimeException e) {
            LOG.error("{} view of {} stopped", name, topic, e);
            TopicViewUnavailableException failure = new TopicViewUnavailableException(
                    name + " view of " + topic + " stopped: " + e.getMessage(), e);
            stopped = failure;
            ready.completeExceptionally(failure);
            own.failAll(failure);
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private List<TopicPartition> partitions() {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (!closed) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                }
            } catch (RetriableException e) {
                // the topic does not exist yet or Kafka is slow: ask again
            }
            if (settings.missingTopic() == TopicViewSettings.MissingTopic.FAIL && System.nanoTime() > deadline) {
                throw new TopicViewUnavailableException("topic " + topic + " has no partitions");
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        throw new WakeupException();
    }

    private void checkCaughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        LOG.info("{} view of {} ready: {} keys", name, topic, state.size());
        ready.complete(null);
    }

    // ---- writing ---------------------------------------------------------------------------------

    private CompletableFuture<RecordMetadata> produce(K key, V value, boolean awaited) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topicToWrite(), codec.encodeKey(key),
                    value == null ? null : codec.encodeValue(value));
            if (awaited) {
                record.headers().add(WRITER_HEADER, writerIdBytes);
            }
            producer().send(record, (metadata, error) -> {
                if (error != null) {
                    acked.completeExceptionally(new TopicViewUnavailableException(
                            name + " write to " + topic + " not acknowledged: " + error.getMessage(), error));
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (TopicViewUnavailableException e) {
            acked.completeExceptionally(e);
        } catch (RuntimeException e) {
            acked.completeExceptionally(new TopicViewUnavailableException(name + " write to " + topic + " failed: " + e.getMessage(), e));
        }
        return acked;
    }

    private String topicToWrite() {
        if (settings == null) {
            throw new TopicViewUnavailableException("the detached " + name + " view writes to no topic");
        }
        return topic;
    }

    /** The producer, created on the first write: a view that only reads has none. */
    private KafkaProducer<String, byte[]> producer() {
        synchronized (producerLock) {
            if (closed) {
                throw closedException();
            }
            if (producer == null) {
                producer = TopicClients.producer(settings, writerId.substring(0, 8));
            }
            return producer;
        }
    }
}
