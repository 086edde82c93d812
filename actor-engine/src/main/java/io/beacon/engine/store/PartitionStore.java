package io.beacon.engine.store;

import io.beacon.engine.state.UserState;
import io.beacon.engine.state.UserStateCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The node-local state of one Kafka partition of {@code beacon.events.valid}: a RocksDB database in
 * {@code <dir>/partition-<n>} holding every user state of the partition, the partition's next offset,
 * and the indexes the engine serves from.
 *
 * <p>Key layout (one column family; the first byte names the record kind, longs are big-endian so
 * they sort numerically):
 * <table>
 *   <caption>Records</caption>
 *   <tr><td>{@code S userKey}</td><td>{@link UserStateCodec} bytes</td></tr>
 *   <tr><td>{@code O}</td><td>the partition's next offset (the offset after the last applied record)</td></tr>
 *   <tr><td>{@code m userKey}</td><td>the user's segment ids as indexed (newline-separated), to diff against</td></tr>
 *   <tr><td>{@code I segmentKey 0x00 userKey}</td><td>membership index (empty value)</td></tr>
 *   <tr><td>{@code C segmentKey}</td><td>segment size in this partition</td></tr>
 *   <tr><td>{@code H segmentKey 0x00 hourStartMs}</td><td>size at the end of that hour (last write in the hour)</td></tr>
 *   <tr><td>{@code T dueAtMs userKey}</td><td>timer index (empty value)</td></tr>
 *   <tr><td>{@code t userKey}</td><td>the user's current timer, to replace it</td></tr>
 * </table>
 *
 * <p>Segment ids are unique per project only, so the index, sizes and history are keyed by the
 * {@link #segmentKey segment key} {@code projectId/segmentId} (project ids contain no {@code /}); the
 * project is the one of the member's user key ({@code project:person}).
 *
 * <p>{@link #commit} writes states, offset and every index in one {@link WriteBatch} through the
 * WAL: after a crash the store holds either all of a commit or none of it, so the stored offset
 * always matches the stored states (a replay from it never double-counts). The WAL is written to the
 * operating system before a commit returns but not fsynced ({@code sync=false}): a killed process
 * loses nothing (the kernel still writes its buffers), a power loss can lose the last commits — the
 * store then recovers to an earlier whole commit (RocksDB's point-in-time WAL recovery), its offset is
 * behind the group's committed offset, and the engine wipes it and restores it from the changelog
 * (docs/engine.md, "Durability and takeover").
 *
 * <p>Threads: one writer ({@link #commit}, {@link #putAllRestored}, {@link #wipe}) and any number of
 * readers may use a store at once (RocksDB is thread-safe; the Java-side size cache is concurrent).
 * {@link #close} waits for calls in flight and later calls fail with {@link StoreException}, so a
 * reader racing a partition revocation never touches a closed native handle.
 */
public final class PartitionStore implements AutoCloseable {
    private static final byte STATE = 'S';
    private static final byte OFFSET = 'O';
    private static final byte USER_SEGMENTS = 'm';
    private static final byte MEMBER = 'I';
    private static final byte SIZE = 'C';
    private static final byte HISTORY = 'H';
    private static final byte TIMER = 'T';
    private static final byte USER_TIMER = 't';
    private static final long HOUR_MS = 3_600_000L;

    static {
        RocksDB.loadLibrary();
    }

    private final int partition;
    private final Path path;
    private final Options options;
    private final WriteOptions writes;
    private final RocksDB db;
    private final Map<String, Long> sizes = new ConcurrentHashMap<>();
    private volatile long nextOffset;
    /**
     * The id of the Kafka transaction whose offsets this store holds (also the offset metadata the engine commits),
     * 0 when none: the next offset alone does not tell two commits apart when it did not move (timer rounds, an
     * offset held back by deferred snapshots).
     */
    private volatile long commitId;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private PartitionStore(int partition, Path path, Options options, RocksDB db) {
        this.partition = partition;
        this.path = path;
        this.options = options;
        this.db = db;
        // WAL on, no fsync per commit: see the class comment (the changelog is the durable copy)
        this.writes = new WriteOptions().setSync(false);
        this.nextOffset = readOffset();
        this.commitId = readCommitId();
        loadSizes();
    }

    /** Opens (creating if needed) the store of {@code partition} under {@code dir}. */
    public static PartitionStore open(Path dir, int partition) {
        Path path = dir.resolve("partition-" + partition);
        // states are compact varints rewritten on every change: block compression in flushes and compactions cost CPU
        // (RocksDB's background threads were ~10 % of the engine bench) for little space
        Options options = new Options().setCreateIfMissing(true).setCompressionType(CompressionType.NO_COMPRESSION);
        try {
            Files.createDirectories(path);
            return new PartitionStore(partition, path, options, RocksDB.open(options, path.toString()));
        } catch (IOException e) {
            options.close();
            throw new UncheckedIOException(e);
        } catch (RocksDBException e) {
            options.close();
            throw new StoreException("cannot open " + path, e);
        }
    }

    public int partition() {
        return partition;
    }

    public Path path() {
        return path;
    }

    /** The key the index, sizes and history use for segment {@code segmentId} of {@code projectId}. */
    public static String segmentKey(String projectId, String segmentId) {
        return projectId + "/" + segmentId;
    }

    // ---- reads ---------------------------------------------------------------------------------

    public Optional<UserState> get(String userKey) {
        return getEncoded(userKey).map(UserStateCodec::decode);
    }

    /** The stored {@link UserStateCodec} bytes of the user. */
    public Optional<byte[]> getEncoded(String userKey) {
        return guarded(() -> {
            try {
                return Optional.ofNullable(db.get(key(STATE, userKey)));
            } catch (RocksDBException e) {
                throw new StoreException("read of " + userKey, e);
            }
        });
    }

    /** The offset after the last committed record, −1 when nothing was committed. */
    public long storedNextOffset() {
        return nextOffset;
    }

    /** The commit id written with {@link #storedNextOffset()} (0 when none). */
    public long storedCommitId() {
        return commitId;
    }

    /** Users whose timer is due at or before {@code nowMs}, earliest first, at most {@code limit}. */
    public List<String> dueUsers(long nowMs, int limit) {
        return guarded(() -> {
            List<String> out = new ArrayList<>();
            try (RocksIterator it = db.newIterator()) {
                for (it.seek(new byte[] {TIMER}); it.isValid() && out.size() < limit; it.next()) {
                    byte[] k = it.key();
                    if (k[0] != TIMER) {
                        break;
                    }
                    long due = ByteBuffer.wrap(k, 1, 8).getLong();
                    if (due > nowMs) {
                        break;
                    }
                    out.add(new String(k, 9, k.length - 9, StandardCharsets.UTF_8));
                }
            }
            return out;
        });
    }

    /** {@link #members(String, String, int)} of segment {@code segmentId} of {@code projectId}. */
    public MembersPage members(String projectId, String segmentId, String afterUserKey, int limit) {
        return members(segmentKey(projectId, segmentId), afterUserKey, limit);
    }

    /**
     * The members of the segment with {@link #segmentKey segment key} {@code segmentKey}
     * ({@code projectId/segmentId}) after {@code afterUserKey} ({@code null}: from the start), by user key.
     */
    public MembersPage members(String segmentKey, String afterUserKey, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return guarded(() -> {
            byte[] prefix = memberPrefix(segmentKey);
            byte[] start = afterUserKey == null ? prefix : concat(prefix, utf8(afterUserKey));
            List<String> keys = new ArrayList<>();
            boolean more = false;
            try (RocksIterator it = db.newIterator()) {
                for (it.seek(start); it.isValid(); it.next()) {
                    byte[] k = it.key();
                    if (!startsWith(k, prefix)) {
                        break;
                    }
                    String user = new String(k, prefix.length, k.length - prefix.length, StandardCharsets.UTF_8);
                    if (user.equals(afterUserKey)) {
                        continue;
                    }
                    if (keys.size() == limit) {
                        more = true;
                        break;
                    }
                    keys.add(user);
                }
            }
            return new MembersPage(keys, more ? keys.get(keys.size() - 1) : null);
        });
    }

    /** Members of segment {@code segmentId} of {@code projectId} in this partition. */
    public long segmentSize(String projectId, String segmentId) {
        return segmentSize(segmentKey(projectId, segmentId));
    }

    /** Members of the segment with key {@code segmentKey} ({@code projectId/segmentId}) in this partition. */
    public long segmentSize(String segmentKey) {
        return sizes.getOrDefault(segmentKey, 0L);
    }

    /** {@link #sizeHistory(String, long, long)} of segment {@code segmentId} of {@code projectId}. */
    public SortedMap<Long, Long> sizeHistory(String projectId, String segmentId, long fromMs, long toMs) {
        return sizeHistory(segmentKey(projectId, segmentId), fromMs, toMs);
    }

    /**
     * Stored hourly sizes of the segment with key {@code segmentKey} ({@code projectId/segmentId}) with
     * hour start in {@code [hourStart(fromMs), toMs]}: hour start → size at the end of that hour (or now,
     * for the current hour). Sparse: an hour in which the size did not change has no entry and had the
     * size of the previous entry.
     */
    public SortedMap<Long, Long> sizeHistory(String segmentKey, long fromMs, long toMs) {
        return guarded(() -> {
            SortedMap<Long, Long> out = new TreeMap<>();
            byte[] prefix = historyPrefix(segmentKey);
            long fromHour = Math.floorDiv(Math.max(0, fromMs), HOUR_MS) * HOUR_MS;
            try (RocksIterator it = db.newIterator()) {
                for (it.seek(concat(prefix, longBytes(fromHour))); it.isValid(); it.next()) {
                    byte[] k = it.key();
                    if (!startsWith(k, prefix)) {
                        break;
                    }
                    long hour = ByteBuffer.wrap(k, prefix.length, 8).getLong();
                    if (hour > toMs) {
                        break;
                    }
                    out.put(hour, ByteBuffer.wrap(it.value()).getLong());
                }
            }
            return out;
        });
    }

    /** Calls {@code action} with every stored user state (decoded), in key order. */
    public void forEach(Consumer<UserState> action) {
        guarded(() -> {
            try (RocksIterator it = db.newIterator()) {
                for (it.seek(new byte[] {STATE}); it.isValid(); it.next()) {
                    byte[] k = it.key();
                    if (k[0] != STATE) {
                        break;
                    }
                    action.accept(UserStateCodec.decode(it.value()));
                }
            }
        });
    }

    // ---- writes (one writer thread) ------------------------------------------------------------

    /** {@link #commit(Map, Map, long, long)} at the wall clock. */
    public void commit(Map<String, UserState> states, Map<String, Long> timers, long nextOffset) {
        commit(states, timers, nextOffset, System.currentTimeMillis());
    }

    /**
     * Atomically (one batch through the WAL) stores {@code states}, the partition's {@code nextOffset},
     * the membership index and sizes derived from each state's memberships (diffed against what was
     * indexed for that user), the size history point of {@code nowMs}'s hour for every segment whose
     * size changed, and timers: {@code timers} (user key → due instant, {@link Long#MAX_VALUE} = none)
     * replace the user's previous timer; a state without an entry in {@code timers} uses its own
     * {@link UserState#nextTimerAtMs()}.
     */
    public void commit(Map<String, UserState> states, Map<String, Long> timers, long nextOffset, long nowMs) {
        guarded(() -> {
            Map<String, Long> delta = new HashMap<>();
            try (WriteBatch batch = new WriteBatch()) {
                for (Map.Entry<String, UserState> e : states.entrySet()) {
                    String user = e.getKey();
                    UserState s = e.getValue();
                    batch.put(key(STATE, user), UserStateCodec.encode(s));
                    indexMemberships(batch, user, s.memberships().keySet(), indexedSegments(user), delta);
                    Long due = timers.get(user);
                    setTimer(batch, user, due != null ? due : s.nextTimerAtMs());
                }
                for (Map.Entry<String, Long> t : timers.entrySet()) {
                    if (!states.containsKey(t.getKey())) {
                        setTimer(batch, t.getKey(), t.getValue());
                    }
                }
                batch.put(new byte[] {OFFSET}, offsetBytes(nextOffset, 0));
                Map<String, Long> newSizes = applySizes(batch, delta, nowMs);
                db.write(writes, batch);
                sizes.putAll(newSizes);
                this.nextOffset = nextOffset;
                this.commitId = 0;
            } catch (RocksDBException e) {
                throw new StoreException("commit of partition " + partition + " failed", e);
            }
        });
    }

    /**
     * One user's part of a {@link #commitWrites commit} whose encoding and index delta the caller (the
     * user's entity) already knows, so the store neither encodes nor reads anything.
     *
     * @param state          {@link UserStateCodec} bytes of the new state
     * @param segmentsBefore the user's segment ids as committed before (the stored state's memberships;
     *                       empty for a user without a stored state)
     * @param segmentsNow    the new state's segment ids
     * @param timerBefore    the stored state's timer ({@link Long#MAX_VALUE}: none, or no stored state)
     * @param timerNow       the new timer ({@link Long#MAX_VALUE}: none)
     */
    public record UserWrite(String userKey, byte[] state, Set<String> segmentsBefore, Set<String> segmentsNow,
                            long timerBefore, long timerNow) {
    }

    /**
     * Like {@link #commit(Map, Map, long, long)}, for callers that know each user's previous memberships and
     * timer: atomically (one batch through the WAL) stores the encoded states, {@code nextOffset}, the
     * membership index and sizes (the delta {@code segmentsBefore → segmentsNow}), the size history point of
     * {@code nowMs}'s hour and the timers ({@code timerBefore → timerNow}). The "before" values must be those
     * of the stored state (what the previous commit wrote); the engine's entities guarantee it because a
     * batch that was not committed moves the partition's epoch on and they reload from the store.
     */
    public void commitWrites(List<UserWrite> users, long nextOffset, long nowMs) {
        commitWrites(users, nextOffset, 0, nowMs);
    }

    /** {@link #commitWrites(List, long, long)} recording {@code commitId} (the Kafka transaction's) with the offset. */
    public void commitWrites(List<UserWrite> users, long nextOffset, long commitId, long nowMs) {
        guarded(() -> {
            Map<String, Long> delta = new HashMap<>();
            try (WriteBatch batch = new WriteBatch()) {
                for (UserWrite w : users) {
                    String user = w.userKey();
                    batch.put(key(STATE, user), w.state());
                    indexMemberships(batch, user, w.segmentsNow(), w.segmentsBefore(), delta);
                    if (w.timerBefore() != w.timerNow()) {
                        if (w.timerBefore() != Long.MAX_VALUE) {
                            batch.delete(timerKey(w.timerBefore(), user));
                            if (w.timerNow() == Long.MAX_VALUE) {
                                batch.delete(key(USER_TIMER, user));
                            }
                        }
                        setTimerFresh(batch, user, w.timerNow());
                    }
                }
                batch.put(new byte[] {OFFSET}, offsetBytes(nextOffset, commitId));
                Map<String, Long> newSizes = applySizes(batch, delta, nowMs);
                db.write(writes, batch);
                sizes.putAll(newSizes);
                this.nextOffset = nextOffset;
                this.commitId = commitId;
            } catch (RocksDBException e) {
                throw new StoreException("commit of partition " + partition + " failed", e);
            }
        });
    }

    /** Deletes everything (before restoring the partition from the changelog). */
    public void wipe() {
        guarded(() -> {
            try {
                db.deleteRange(writes, new byte[] {0}, new byte[] {(byte) 0xFF, (byte) 0xFF});
                sizes.clear();
                nextOffset = -1;
                commitId = 0;
            } catch (RocksDBException e) {
                throw new StoreException("wipe of partition " + partition + " failed", e);
            }
        });
    }

    /**
     * Replaces the content with {@code states} (a restore from the changelog): wipes, then writes the
     * states and rebuilds every index from them (memberships, sizes, timers from
     * {@link UserState#nextTimerAtMs()}); the size history restarts with one point at the current
     * hour. {@code nextOffset} is written last, so an interrupted restore leaves no offset and is
     * redone.
     */
    public void putAllRestored(Iterable<UserState> states, long nextOffset) {
        putAllRestored(states, nextOffset, 0);
    }

    /** {@link #putAllRestored(Iterable, long)} recording the committed offset's {@code commitId}. */
    public void putAllRestored(Iterable<UserState> states, long nextOffset, long commitId) {
        wipe();
        guarded(() -> {
            Map<String, Long> counts = new HashMap<>();
            int inBatch = 0;
            WriteBatch batch = new WriteBatch();
            try {
                for (UserState s : states) {
                    String user = s.userKey();
                    batch.put(key(STATE, user), UserStateCodec.encode(s));
                    indexMemberships(batch, user, s.memberships().keySet(), Set.of(), counts);
                    setTimerFresh(batch, user, s.nextTimerAtMs());
                    if (++inBatch == 1_000) {
                        db.write(writes, batch);
                        batch.close();
                        batch = new WriteBatch();
                        inBatch = 0;
                    }
                }
                batch.put(new byte[] {OFFSET}, offsetBytes(nextOffset, commitId));
                Map<String, Long> newSizes = applySizes(batch, counts, System.currentTimeMillis());
                db.write(writes, batch);
                sizes.putAll(newSizes);
                this.nextOffset = nextOffset;
                this.commitId = commitId;
            } catch (RocksDBException e) {
                throw new StoreException("restore of partition " + partition + " failed", e);
            } finally {
                batch.close();
            }
        });
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            db.close();
            writes.close();
            options.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    // ---- internals -----------------------------------------------------------------------------

    /** Runs {@code call} unless the store is closed; {@link #close} waits for calls in flight. */
    private <T> T guarded(Supplier<T> call) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new StoreException("partition store " + partition + " is closed", null);
            }
            return call.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private void guarded(Runnable call) {
        guarded(() -> {
            call.run();
            return null;
        });
    }

    private static String projectOf(String userKey) {
        int colon = userKey.indexOf(':');
        return colon < 0 ? "" : userKey.substring(0, colon);
    }

    private void indexMemberships(WriteBatch batch, String user, Set<String> now, Set<String> before,
                                  Map<String, Long> delta) throws RocksDBException {
        if (now.equals(before)) {
            return;
        }
        String project = projectOf(user);
        for (String seg : before) {
            if (!now.contains(seg)) {
                String key = segmentKey(project, seg);
                batch.delete(concat(memberPrefix(key), utf8(user)));
                delta.merge(key, -1L, Long::sum);
            }
        }
        for (String seg : now) {
            if (!before.contains(seg)) {
                String key = segmentKey(project, seg);
                batch.put(concat(memberPrefix(key), utf8(user)), new byte[0]);
                delta.merge(key, 1L, Long::sum);
            }
        }
        if (now.isEmpty()) {
            batch.delete(key(USER_SEGMENTS, user));
        } else {
            batch.put(key(USER_SEGMENTS, user), utf8(String.join("\n", new TreeSet<>(now))));
        }
    }

    private Set<String> indexedSegments(String user) throws RocksDBException {
        byte[] v = db.get(key(USER_SEGMENTS, user));
        if (v == null || v.length == 0) {
            return Set.of();
        }
        return Set.of(new String(v, StandardCharsets.UTF_8).split("\n"));
    }

    private Map<String, Long> applySizes(WriteBatch batch, Map<String, Long> delta, long nowMs) throws RocksDBException {
        Map<String, Long> newSizes = new HashMap<>();
        long hour = Math.floorDiv(nowMs, HOUR_MS) * HOUR_MS;
        for (Map.Entry<String, Long> d : delta.entrySet()) {
            if (d.getValue() == 0) {
                continue;
            }
            long size = Math.max(0, sizes.getOrDefault(d.getKey(), 0L) + d.getValue());
            newSizes.put(d.getKey(), size);
            batch.put(key(SIZE, d.getKey()), longBytes(size));
            batch.put(concat(historyPrefix(d.getKey()), longBytes(hour)), longBytes(size));
        }
        return newSizes;
    }

    private void setTimer(WriteBatch batch, String user, long dueAt) throws RocksDBException {
        byte[] previous = db.get(key(USER_TIMER, user));
        if (previous != null) {
            long prev = ByteBuffer.wrap(previous).getLong();
            if (prev == dueAt) {
                return;
            }
            batch.delete(timerKey(prev, user));
        }
        setTimerFresh(batch, user, dueAt);
        if (dueAt == Long.MAX_VALUE && previous != null) {
            batch.delete(key(USER_TIMER, user));
        }
    }

    private static void setTimerFresh(WriteBatch batch, String user, long dueAt) throws RocksDBException {
        if (dueAt == Long.MAX_VALUE) {
            return;
        }
        batch.put(timerKey(dueAt, user), new byte[0]);
        batch.put(key(USER_TIMER, user), longBytes(dueAt));
    }

    private static byte[] offsetBytes(long nextOffset, long commitId) {
        return ByteBuffer.allocate(16).putLong(nextOffset).putLong(commitId).array();
    }

    /** Stores written before commit ids hold 8 bytes: id 0. */
    private long readCommitId() {
        try {
            byte[] v = db.get(new byte[] {OFFSET});
            return v == null || v.length < 16 ? 0 : ByteBuffer.wrap(v, 8, 8).getLong();
        } catch (RocksDBException e) {
            throw new StoreException("read of the commit id", e);
        }
    }

    private long readOffset() {
        try {
            byte[] v = db.get(new byte[] {OFFSET});
            return v == null ? -1 : ByteBuffer.wrap(v).getLong();
        } catch (RocksDBException e) {
            throw new StoreException("read of the offset", e);
        }
    }

    private void loadSizes() {
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(new byte[] {SIZE}); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k[0] != SIZE) {
                    break;
                }
                sizes.put(new String(k, 1, k.length - 1, StandardCharsets.UTF_8), ByteBuffer.wrap(it.value()).getLong());
            }
        }
    }

    private static byte[] timerKey(long dueAt, String user) {
        return concat(new byte[] {TIMER}, longBytes(dueAt), utf8(user));
    }

    private static byte[] memberPrefix(String segmentKey) {
        return concat(new byte[] {MEMBER}, utf8(segmentKey), new byte[] {0});
    }

    private static byte[] historyPrefix(String segmentKey) {
        return concat(new byte[] {HISTORY}, utf8(segmentKey), new byte[] {0});
    }

    private static byte[] key(byte kind, String s) {
        return concat(new byte[] {kind}, utf8(s));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static boolean startsWith(byte[] k, byte[] prefix) {
        return k.length >= prefix.length && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length);
    }
}
