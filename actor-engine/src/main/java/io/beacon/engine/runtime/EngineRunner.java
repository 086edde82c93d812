package io.beacon.engine.runtime;

import io.beacon.engine.state.UserState;
import io.beacon.engine.state.UserStateCodec;
import io.beacon.engine.store.PartitionStore;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.OutboxMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
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
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's one consumer thread on a node: consumes {@code beacon.events.valid} in the consumer group,
 * hands each user's records to the user's entity and commits the outcome exactly once.
 *
 * <p><b>Per poll</b>: records are grouped by partition and user; each user's entity gets one {@code Apply}
 * (at most {@code max-in-flight} asks outstanding, each bounded by {@code ask-timeout}). Then ONE Kafka
 * transaction writes a changelog snapshot per changed user, the segment changes, and the consumed offsets
 * ({@code sendOffsetsToTransaction} with the consumer's group metadata), and commits. Only then is each
 * partition's RocksDB store committed with the same next offset. If anything fails the transaction is
 * aborted, the partitions' epochs move on (entities drop their uncommitted memory) and the consumer seeks
 * back to the committed offsets.
 *
 * <p><b>Deferred snapshots</b> ({@code snapshot-interval}): an entity whose events changed no segment, index or
 * earlier timer answers "deferred from offset o" instead of a snapshot; {@link DeferredSnapshots} holds the
 * partition's committed offset (Kafka and store) back to the oldest such o, and the user is asked for its snapshot
 * after the interval — with its next batch, or in a timer round. A crash or takeover re-reads those events, which
 * re-apply idempotently ({@code UserState.appliedOffset}); segment changes always commit with their snapshot.
 *
 * <p><b>Pipelined</b>: the Kafka transaction and the store commit of batch N run on a second thread (the
 * committer) while this thread already polls batch N+1 and asks its entities. Commits stay strictly in order
 * (at most one is in flight: N+1 is handed over only after N finished). Entities answer N+1 on top of their
 * not yet committed N state, so when N fails, N+1 is given up too: the epochs of both batches' partitions
 * move on and the consumer seeks back to the committed offsets (those before N). Timers, rebalances and
 * closing first wait for the commit in flight.
 *
 * <p><b>Between polls</b> (every {@code timer-interval}) due durable timers are read from the stores and the
 * users get a {@code Tick}; their results are committed the same way (cause TIME).
 *
 * <p><b>Rebalance</b>: on assignment each partition's store is opened; when its stored offset differs from the
 * group's committed offset (or it is new) it is wiped and restored from the changelog partition (readiness is
 * false meanwhile), the consumer seeks to the committed offset, and the partitions' shards are claimed for
 * this node. On revocation (which happens inside {@code poll}, so never during a batch) the stores close.
 *
 * <p><b>Fencing</b>: one transactional producer per node, {@code transactional.id = <group-id>-<node-id>}, with
 * consumer-group-generation fencing (KIP-447): a node that lost its partitions cannot commit offsets — its
 * transaction fails and is aborted — and a restarted node fences its own predecessor through the stable id.
 */
public final class EngineRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineRunner.class);
    private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(10);

    private final EngineRuntimeSettings settings;
    private final EngineSharding sharding;
    private final PartitionStores stores;
    private final LongSupplier clock;
    private final EngineMetrics metrics;
    private final Runnable onAssigned;
    private final Semaphore inFlight;
    private final AtomicInteger restoring = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean abrupt;
    private volatile boolean assignedOnce;
    private volatile Throwable failure;
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private ChangelogReader changelog;
    private long lastTimerRunNanos;
    private long rounds;
    /** The one thread that runs a batch's transaction and store commit while the next batch is asked. */
    private final ExecutorService committer;
    /** Users whose snapshots wait (consumer thread only): they hold their partitions' committed offsets back. */
    private final DeferredSnapshots deferred = new DeferredSnapshots();
    /**
     * The id of the next transaction, committed as the offsets' metadata and written into the stores with them, so
     * that a store is known to hold a commit even when that commit did not move the offset (timer rounds, offsets
     * held back by deferred snapshots). Seeded from the clock: ids of a restarted node do not repeat earlier ones.
     */
    private final AtomicLong nextCommitId = new AtomicLong(System.currentTimeMillis() * 1_000);
    /** Per partition, the next offset of the last batch handed to the committer (consumer thread only). */
    private final Map<Integer, Long> lastNext = new HashMap<>();
    /** The batch whose commit runs on the committer (consumer thread only), or null. */
    private Pending pending;

    /** A batch handed to the committer: its outcome and the partitions to give up if it fails. */
    private record Pending(Future<Boolean> outcome, Set<Integer> partitions) {
    }

    /**
     * @param clock      "now" for segment evaluation and timers (injectable so tests can advance time)
     * @param onAssigned called on the consumer thread after partitions were assigned and claimed
     */
    public EngineRunner(EngineRuntimeSettings settings, EngineSharding sharding, PartitionStores stores,
                        LongSupplier clock, EngineMetrics metrics, Runnable onAssigned) {
        this.settings = settings;
        this.sharding = sharding;
        this.stores = stores;
        this.clock = clock;
        this.metrics = metrics;
        this.onAssigned = onAssigned;
        this.inFlight = new Semaphore(settings.maxInFlight());
        this.thread = new Thread(this::run, "beacon-engine-consumer-" + settings.nodeId());
        this.committer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "beacon-engine-committer-" + settings.nodeId());
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        thread.start();
    }

    /** "ok" when consuming; otherwise why not (starting, restoring, failed). */
    public String readiness() {
        Throwable f = failure;
        if (f != null) {
            return "failed: " + f;
        }
        if (!thread.isAlive()) {
            return "stopped";
        }
        int r = restoring.get();
        if (r > 0) {
            return "restoring " + r + " partition(s) from the changelog";
        }
        return assignedOnce ? "ok" : "waiting for a partition assignment";
    }

    public boolean isRunning() {
        return thread.isAlive() && failure == null;
    }

    /** The partitions this node owns (open stores). */
    public Set<Integer> ownedPartitions() {
        return stores.owned();
    }

    private void run() {
        try {
            consumer = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new ByteArrayDeserializer());
            producer = new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer());
            changelog = new ChangelogReader(settings.bootstrapServers(), settings.changelogTopic());
            producer.initTransactions();
            consumer.subscribe(List.of(settings.eventsTopic()), new Listener());
            lastTimerRunNanos = System.nanoTime();
            while (running) {
                long polled = System.nanoTime();
                ConsumerRecords<String, byte[]> records = consumer.poll(settings.pollTimeout());
                metrics.pollNanos.add(System.nanoTime() - polled);
                if (!running) {
                    break; // closing: the polled records are not processed, their offsets not committed
                }
                if (!records.isEmpty()) {
                    processBatch(records);
                }
                long sinceTimers = System.nanoTime() - lastTimerRunNanos;
                // timers wait for the commit in flight (they read the stores); so as not to stall the pipeline on
                // every round they run when it is done, or at the latest after 4 intervals
                if (sinceTimers >= settings.timerInterval().toNanos()
                        && (pending == null || pending.outcome().isDone() || sinceTimers >= 4 * settings.timerInterval().toNanos())) {
                    lastTimerRunNanos = System.nanoTime();
                    processTimers();
                }
                measureLag();
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (Throwable t) {
            failure = t;
            LOG.error("engine consumer {} stopped", settings.nodeId(), t);
        } finally {
            closeClients();
        }
    }

    // ---- event batches ----

    private void processBatch(ConsumerRecords<String, byte[]> records) {
        Map<Integer, LinkedHashMap<String, List<UserEntity.Rec>>> byPartition = new HashMap<>();
        Map<Integer, Long> nextOffsets = new HashMap<>();
        int count = 0;
        for (TopicPartition tp : records.partitions()) {
            LinkedHashMap<String, List<UserEntity.Rec>> users = byPartition.computeIfAbsent(tp.partition(), k -> new LinkedHashMap<>());
            for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                nextOffsets.put(tp.partition(), r.offset() + 1);
                if (r.key() == null || r.value() == null) {
                    EngineMetrics.UNDECODABLE.increment(); // valid-topic records are always keyed: count and skip
                    continue;
                }
                users.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new UserEntity.Rec(r.value(), r.offset()));
                count++;
            }
        }
        long now = clock.getAsLong();
        long nowNanos = System.nanoTime();
        // users whose deferred snapshot is due are flushed with this batch (an empty command if they have no records)
        Set<String> flush = dueFlushes(byPartition, nowNanos);
        boolean deferring = !settings.snapshotInterval().isZero();
        Set<Integer> involved = new HashSet<>(byPartition.keySet());
        involved.addAll(nextOffsets.keySet());
        // the previous batch may still be committing: these asks overlap its transaction and store commit
        long asked = System.nanoTime();
        List<UserEntity.Result> results = askAll(byPartition,
                (key, recs, epoch, replyTo) -> new UserEntity.Apply(recs, now, epoch, !deferring || flush.contains(key), replyTo));
        long settling = System.nanoTime();
        metrics.askNanos.add(settling - asked);
        ConsumerGroupMetadata group = consumer.groupMetadata();
        boolean settled = settlePending(involved);
        metrics.settleNanos.add(System.nanoTime() - settling);
        if (!settled) {
            return; // the previous batch failed; this one was computed on top of it and is given up with it
        }
        if (results == null) {
            giveUp(involved);
            return;
        }
        lastNext.putAll(nextOffsets);
        Map<Integer, Long> commitOffsets = commitOffsets(results, involved, nowNanos);
        int applied = count;
        pending = new Pending(committer.submit(() -> {
            boolean ok = commit(results, commitOffsets, group);
            if (ok) {
                metrics.records.add(applied);
            }
            return ok;
        }), new HashSet<>(involved));
    }

    /**
     * Adds the users whose deferred snapshot is older than {@code snapshot-interval} to {@code commands} (with no
     * records when they have none in this round) and answers their keys: their commands ask for the snapshot.
     */
    private Set<String> dueFlushes(Map<Integer, LinkedHashMap<String, List<UserEntity.Rec>>> commands, long nowNanos) {
        if (settings.snapshotInterval().isZero()) {
            return Set.of();
        }
        Set<String> flush = new HashSet<>();
        long olderThan = nowNanos - settings.snapshotInterval().toNanos();
        for (int p : deferred.partitions()) {
            for (String user : deferred.due(p, olderThan, settings.maxPollRecords())) {
                flush.add(user);
                commands.computeIfAbsent(p, k -> new LinkedHashMap<>()).putIfAbsent(user, List.of());
            }
        }
        return flush;
    }

    /**
     * Records which users now hold deferred snapshots and which are in a snapshot, then answers the offset to commit
     * for each of {@code partitions}: the next offset of the last batch, held back to the oldest deferred event.
     */
    private Map<Integer, Long> commitOffsets(List<UserEntity.Result> results, Set<Integer> partitions, long nowNanos) {
        for (UserEntity.Result r : results) {
            if (r.deferredFrom() >= 0) {
                deferred.deferred(r.partition(), r.userKey(), r.deferredFrom(), nowNanos);
            } else {
                deferred.snapshotted(r.partition(), r.userKey());
            }
        }
        Map<Integer, Long> out = new HashMap<>();
        for (int p : partitions) {
            Long next = lastNext.get(p);
            if (next == null) {
                PartitionStore store = stores.get(p).orElse(null);
                next = store == null ? -1L : store.storedNextOffset();
            }
            out.put(p, next < 0 ? next : deferred.commitOffset(p, next));
        }
        return out;
    }

    /**
     * Waits for the commit in flight. True when there was none or it succeeded. When it was aborted, gives up
     * its partitions and {@code alsoGiveUp} (their entities may have applied a later batch on top of it) —
     * new epochs, seek back to the committed offsets — and answers false. A fatal commit failure (fenced
     * producer, store not writable) is rethrown and stops the runner.
     */
    private boolean settlePending(Collection<Integer> alsoGiveUp) {
        Pending p = pending;
        if (p == null) {
            return true;
        }
        pending = null;
        boolean ok;
        try {
            ok = p.outcome().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("engine commit failed: " + cause, cause);
        }
        if (ok) {
            return true;
        }
        Set<Integer> partitions = new TreeSet<>(p.partitions());
        partitions.addAll(alsoGiveUp);
        giveUp(partitions);
        return false;
    }

    private void processTimers() {
        // due timers are read from the stores: the batch in flight must be in them first
        if (!settlePending(List.of())) {
            return;
        }
        long now = clock.getAsLong();
        long nowNanos = System.nanoTime();
        Map<Integer, LinkedHashMap<String, List<UserEntity.Rec>>> due = new HashMap<>();
        Set<String> timers = new HashSet<>();
        for (int p : stores.owned()) {
            PartitionStore store = stores.get(p).orElse(null);
            if (store == null) {
                continue;
            }
            List<String> users = store.dueUsers(now, settings.timerBatch());
            if (!users.isEmpty()) {
                LinkedHashMap<String, List<UserEntity.Rec>> m = new LinkedHashMap<>();
                users.forEach(u -> m.put(u, List.of()));
                due.put(p, m);
                timers.addAll(users);
            }
        }
        // deferred snapshots are flushed here too, so that they do not wait for the next event batch
        dueFlushes(due, nowNanos);
        if (due.isEmpty()) {
            return;
        }
        List<UserEntity.Result> results = askAll(due, (key, recs, epoch, replyTo) -> timers.contains(key)
                ? new UserEntity.Tick(now, epoch, replyTo) : new UserEntity.Apply(List.of(), now, epoch, true, replyTo));
        Set<Integer> involved = new HashSet<>(due.keySet());
        if (results == null || !commit(results, commitOffsets(results, involved, nowNanos), consumer.groupMetadata())) {
            giveUp(involved);
            return;
        }
        metrics.timerTicks.add(results.stream().filter(r -> timers.contains(r.userKey())).count());
    }

    /**
     * Sends every user's entity its command and collects the answers; {@code null} when any answer is missing,
     * late or refused (the batch must be given up). One ask per user, without a temporary actor and a timeout
     * per ask: the commands are told through the shard region with one collector actor of the round as their
     * {@code replyTo}, and the round as a whole is bounded by {@code ask-timeout}. Commands outstanding at once
     * are bounded by {@code max-in-flight} (a permit per command, returned by its answer).
     */
    private List<UserEntity.Result> askAll(Map<Integer, LinkedHashMap<String, List<UserEntity.Rec>>> byPartition,
                                           CommandFactory command) {
        long deadline = System.nanoTime() + settings.askTimeout().toNanos();
        Replies replies = new Replies(inFlight);
        ActorRef<UserEntity.Result> collector = sharding.spawnSystemActor(replies.behavior(),
                "engine-replies-" + settings.nodeId() + "-" + (++rounds));
        int sent = 0;
        List<UserEntity.Result> results;
        try {
            for (Map.Entry<Integer, LinkedHashMap<String, List<UserEntity.Rec>>> e : byPartition.entrySet()) {
                long epoch = stores.epoch(e.getKey());
                for (Map.Entry<String, List<UserEntity.Rec>> user : e.getValue().entrySet()) {
                    String key = user.getKey();
                    if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        LOG.warn("entities did not answer {} commands within {}", settings.maxInFlight(), settings.askTimeout());
                        replies.close(sent);
                        return null;
                    }
                    sharding.tellUser(key, command.make(key, user.getValue(), epoch, collector));
                    sent++;
                }
            }
            results = replies.await(sent, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } finally {
            collector.tell(Replies.DONE);
        }
        if (results == null) {
            LOG.warn("a batch's entities did not all answer within {}", settings.askTimeout());
            return null;
        }
        for (UserEntity.Result r : results) {
            if (r.status() == UserEntity.Status.STALE || r.status() == UserEntity.Status.NOT_OWNED) {
                LOG.debug("partition {} answered {} for {}: giving the batch up", r.partition(), r.status(), r.userKey());
                return null;
            }
        }
        return results;
    }

    /**
     * The answers of one round of entity commands, gathered by the round's collector actor. Each answer
     * returns its {@code max-in-flight} permit; once the round is closed (all answered, or given up) later
     * answers are ignored and the permits of missing ones are returned at once.
     */
    static final class Replies {
        /** Stops the collector. */
        static final UserEntity.Result DONE = new UserEntity.Result(null, -1, null, false, null, List.of(), List.of(),
                Long.MAX_VALUE, Set.of(), Set.of(), Long.MAX_VALUE, -1);

        private final Semaphore permits;
        private final List<UserEntity.Result> results = new ArrayList<>();
        private int expected = Integer.MAX_VALUE;
        private boolean closed;

        Replies(Semaphore permits) {
            this.permits = permits;
        }

        Behavior<UserEntity.Result> behavior() {
            return Behaviors.receive(UserEntity.Result.class)
                    .onMessage(UserEntity.Result.class, r -> {
                        if (r == DONE) {
                            return Behaviors.stopped();
                        }
                        add(r);
                        return Behaviors.same();
                    })
                    .build();
        }

        synchronized void add(UserEntity.Result r) {
            if (closed) {
                return;
            }
            results.add(r);
            permits.release();
            if (results.size() >= expected) {
                notifyAll();
            }
        }

        /** All {@code sent} answers, or {@code null} when they did not all come by {@code deadline}; closes the round. */
        synchronized List<UserEntity.Result> await(int sent, long deadline) throws InterruptedException {
            expected = sent;
            while (results.size() < sent) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    close(sent);
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            closed = true;
            return results;
        }

        /** Gives the round up after {@code sent} commands: returns the permits of the missing answers. */
        synchronized void close(int sent) {
            if (!closed) {
                closed = true;
                permits.release(Math.max(0, sent - results.size()));
            }
        }
    }

    /**
     * One Kafka transaction (snapshots, changes, offsets), then the stores. False when the transaction was
     * aborted; a fenced producer or a store that cannot be written stops the runner. Runs on the committer
     * (batches) or the consumer thread (timers, with no batch in flight); {@code group} is the consumer's group
     * metadata when the batch was polled (a rebalance since then fences the offsets: the transaction aborts).
     */
    private boolean commit(List<UserEntity.Result> results, Map<Integer, Long> nextOffsets, ConsumerGroupMetadata group) {
        Map<Integer, List<PartitionStore.UserWrite>> writes = new HashMap<>();
        int changes = 0;
        int scoreChanges = 0;
        int journeySends = 0;
        int journeyEvents = 0;
        long started = System.nanoTime();
        long commitId = nextCommitId.incrementAndGet();
        try {
            producer.beginTransaction();
            for (UserEntity.Result r : results) {
                if (!r.changed()) {
                    continue;
                }
                producer.send(new ProducerRecord<>(settings.changelogTopic(), r.partition(), r.userKey(), r.state()));
                for (String change : r.changes()) {
                    producer.send(new ProducerRecord<>(settings.changesTopic(), r.partition(), r.userKey(),
                            change.getBytes(StandardCharsets.UTF_8)));
                    changes++;
                }
                for (String change : r.scoreChanges()) {
                    producer.send(new ProducerRecord<>(settings.scoreChangesTopic(), r.partition(), r.userKey(),
                            change.getBytes(StandardCharsets.UTF_8)));
                    scoreChanges++;
                }
                // a journey's sends reach the outbox in the transaction that moved the run: a replay of the events
                // re-derives them from the snapshot committed with them, so none is sent twice or lost
                for (String send : r.journeySends()) {
                    OutboxMessage m = CdpCodec.decodeMessage(send.getBytes(StandardCharsets.UTF_8));
                    producer.send(new ProducerRecord<>(settings.outboxTopic(), m.key(), CdpCodec.encode(m)));
                    journeySends++;
                }
                for (String event : r.journeyEvents()) {
                    producer.send(new ProducerRecord<>(settings.journeyEventsTopic(), r.partition(), r.userKey(),
                            event.getBytes(StandardCharsets.UTF_8)));
                    journeyEvents++;
                }
                // the entity's bytes and index delta: the store neither re-encodes nor reads the previous state
                writes.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r.write());
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            nextOffsets.forEach((p, next) -> {
                if (next >= 0) {
                    offsets.put(new TopicPartition(settings.eventsTopic(), p), new OffsetAndMetadata(next, Long.toString(commitId)));
                }
            });
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, group);
            }
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                 | AuthorizationException | FencedInstanceIdException fatal) {
            throw new IllegalStateException("the engine's transactional producer cannot go on: " + fatal, fatal);
        } catch (KafkaException e) {
            LOG.warn("engine transaction aborted: {}", e.toString());
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                throw new IllegalStateException("cannot abort the engine transaction: " + abortFailed, abortFailed);
            }
            return false;
        }
        long stored = System.nanoTime();
        metrics.transactionNanos.add(stored - started);
        metrics.transactions.increment();
        metrics.segmentChanges.add(changes);
        metrics.scoreChanges.add(scoreChanges);
        metrics.journeySends.add(journeySends);
        metrics.journeyEvents.add(journeyEvents);
        Set<Integer> partitions = new TreeSet<>(nextOffsets.keySet());
        partitions.addAll(writes.keySet());
        for (int p : partitions) {
            PartitionStore store = stores.get(p).orElseThrow(() -> new IllegalStateException(
                    "partition " + p + " lost its store during a batch"));
            // the Kafka side is committed; a store that cannot follow is restored from the changelog on restart
            long next = nextOffsets.getOrDefault(p, store.storedNextOffset());
            // the id goes with the offset only when this transaction committed one for the partition
            store.commitWrites(writes.getOrDefault(p, List.of()), next, nextOffsets.getOrDefault(p, -1L) >= 0 ? commitId
                    : store.storedCommitId(), clock.getAsLong());
        }
        metrics.storeNanos.add(System.nanoTime() - stored);
        return true;
    }

    /** Entities drop uncommitted memory; the consumer re-reads the partitions from the committed offsets. */
    private void giveUp(Collection<Integer> partitions) {
        metrics.abortedBatches.increment();
        Set<TopicPartition> assigned = consumer.assignment();
        Set<TopicPartition> tps = new HashSet<>();
        for (int p : partitions) {
            deferred.clear(p); // the entities drop what no snapshot holds; the consumer re-reads it
            lastNext.remove(p);
            stores.invalidate(p);
            TopicPartition tp = new TopicPartition(settings.eventsTopic(), p);
            if (assigned.contains(tp)) {
                tps.add(tp);
            }
        }
        if (!tps.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(tps, Duration.ofSeconds(30));
            for (TopicPartition tp : tps) {
                OffsetAndMetadata c = committed.get(tp);
                if (c != null) {
                    consumer.seek(tp, c.offset());
                } else {
                    consumer.seekToBeginning(List.of(tp));
                }
            }
        }
        try {
            Thread.sleep(100); // back off: a shard still moving or a broker hiccup needs a moment, not a hot loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    private void measureLag() {
        for (TopicPartition tp : consumer.assignment()) {
            consumer.currentLag(tp).ifPresent(l -> metrics.lag(tp.partition(), l));
        }
    }

    // ---- rebalance ----

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            settlePending(List.of()); // no commit may run while stores close
            for (TopicPartition tp : partitions) {
                deferred.clear(tp.partition()); // the next owner re-reads from the held-back committed offset
                lastNext.remove(tp.partition());
                stores.close(tp.partition());
                metrics.forget(tp.partition());
            }
            if (!partitions.isEmpty()) {
                LOG.info("engine {} released partitions {}", settings.nodeId(), numbers(partitions));
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            settlePending(List.of());
            restoring.addAndGet(partitions.size());
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = partitions.isEmpty() ? Map.of()
                        : consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(30));
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata c = committed.get(tp);
                    long next = c == null ? -1 : c.offset();
                    long id = commitIdOf(c);
                    PartitionStore store = stores.openUnpublished(tp.partition());
                    long stored = store.storedNextOffset();
                    if (stored != next || stored < 0 || store.storedCommitId() != id) {
                        restore(tp.partition(), store, next, id, stored);
                    }
                    if (next >= 0) {
                        consumer.seek(tp, next);
                    }
                    stores.publish(tp.partition(), store);
                    restoring.decrementAndGet();
                }
                sharding.claim(numbers(partitions), Duration.ofSeconds(30));
                assignedOnce = true;
                if (!partitions.isEmpty()) {
                    LOG.info("engine {} owns partitions {} (added {})", settings.nodeId(), stores.owned(), numbers(partitions));
                }
                onAssigned.run();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("claiming partitions " + numbers(partitions) + " failed: " + e, e);
            } finally {
                restoring.set(0);
            }
        }
    }

    /** The commit id the engine committed as the offset's metadata (0 for none: offsets of older versions). */
    static long commitIdOf(OffsetAndMetadata committed) {
        if (committed == null || committed.metadata() == null || committed.metadata().isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(committed.metadata());
        } catch (NumberFormatException e) {
            return -1; // not ours: never equal to a store's id, so the partition is restored
        }
    }

    private void restore(int partition, PartitionStore store, long committedNext, long commitId, long storedNext) {
        long started = System.nanoTime();
        store.wipe();
        Map<String, byte[]> snapshots = changelog.readAll(partition, RESTORE_TIMEOUT);
        List<UserState> states = new ArrayList<>(snapshots.size());
        for (byte[] bytes : snapshots.values()) {
            states.add(UserStateCodec.decode(bytes));
        }
        store.putAllRestored(states, committedNext, commitId);
        metrics.restores.increment();
        metrics.restoredUsers.add(states.size());
        LOG.info("engine {} restored partition {} from the changelog: {} users, next offset {} (store had {}) in {} ms",
                settings.nodeId(), partition, states.size(), committedNext, storedNext,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static List<Integer> numbers(Collection<TopicPartition> tps) {
        return tps.stream().map(TopicPartition::partition).sorted().toList();
    }

    // ---- clients ----

    private Properties consumerProps() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-" + settings.nodeId());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        // fetch enough per partition for a whole batch: Kafka's default 1 MiB holds only a few thousand events,
        // and a poll returns what the fetches brought
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                Math.max(1L << 20, settings.maxPollRecords() * 512L)));
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, settings.sessionTimeout().toMillis() / 4));
        return p;
    }

    private Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) settings.transactionTimeout().toMillis());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // a batch writes one snapshot (~1 KB) per touched user: Kafka's 16 KiB default batches made the committer, which
        // the pipeline waits on, send thousands of small batches per transaction (engine bench stage times)
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.transactionalId());
        return p;
    }

    private void closeClients() {
        Duration wait = abrupt ? Duration.ZERO : Duration.ofSeconds(10);
        if (!abrupt && pending != null) {
            try {
                pending.outcome().get(60, TimeUnit.SECONDS); // finish the batch in flight
            } catch (Exception e) {
                LOG.debug("last commit: {}", e.toString());
            }
        }
        pending = null;
        committer.shutdownNow(); // abrupt: interrupts a commit in flight, which is then never completed
        try {
            committer.awaitTermination(abrupt ? 1 : 60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            try {
                producer.close(wait);
            } catch (RuntimeException e) {
                LOG.debug("producer close: {}", e.toString());
            }
        }
        if (consumer != null) {
            try {
                consumer.close(wait);
            } catch (RuntimeException e) {
                LOG.debug("consumer close: {}", e.toString());
            }
        }
        if (changelog != null) {
            changelog.close();
        }
        stores.close();
    }

    /** Finishes the batch in flight, then stops consuming and leaves the group. */
    @Override
    public void close() {
        stop(false);
    }

    /**
     * Stops at once without finishing the batch in flight: nothing more is committed and an open transaction
     * is left to be aborted (as after a crash). For failure tests and a node that must not go on.
     */
    public void closeAbruptly() {
        stop(true);
    }

    private void stop(boolean now) {
        abrupt = now;
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (now) {
            thread.interrupt();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds the command for one user of a batch. */
    @FunctionalInterface
    private interface CommandFactory {
        UserEntity.Command make(String userKey, List<UserEntity.Rec> records, long epoch, ActorRef<UserEntity.Result> replyTo);
    }
}
