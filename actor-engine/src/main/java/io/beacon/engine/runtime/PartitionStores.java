package io.beacon.engine.runtime;

import io.beacon.engine.store.PartitionStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-local RocksDB stores of the partitions this node owns, and an <em>epoch</em> per partition.
 *
 * <p>The epoch changes whenever what an entity holds in memory may no longer match the store: the partition
 * was opened (restored, or taken over), closed (revoked), or a batch failed after entities had applied it
 * (their memory is ahead of the committed state). Entities remember the epoch they loaded at and reload when
 * it changed; the consumer stamps each {@code Apply} with the epoch it expects, and an entity refuses an
 * {@code Apply} of another epoch, so a batch that timed out can never be applied after it was abandoned.
 *
 * <p>Opened and closed by the consumer thread only; read concurrently by entities.
 */
public final class PartitionStores implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionStores.class);

    private final Path root;
    private final ConcurrentHashMap<Integer, PartitionStore> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, AtomicLong> epochs = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();

    public PartitionStores(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Opens (or creates) partition {@code p}'s store without publishing it to entities yet. */
    public PartitionStore openUnpublished(int partition) {
        return PartitionStore.open(root, partition);
    }

    /** Makes {@code store} the store entities of {@code partition} read from, and starts a new epoch. */
    public void publish(int partition, PartitionStore store) {
        PartitionStore previous = open.put(partition, store);
        bump(partition);
        if (previous != null && previous != store) {
            closeQuietly(partition, previous);
        }
    }

    /** The open store of {@code partition}, if this node owns it now. */
    public Optional<PartitionStore> get(int partition) {
        return Optional.ofNullable(open.get(partition));
    }

    /** The current epoch of {@code partition} (0 before it was ever opened here). */
    public long epoch(int partition) {
        AtomicLong e = epochs.get(partition);
        return e == null ? 0 : e.get();
    }

    /** Starts a new epoch: entities of {@code partition} reload from the store on their next message. */
    public void invalidate(int partition) {
        bump(partition);
    }

    /** Closes the store of {@code partition} (revoked), starting a new epoch. */
    public void close(int partition) {
        bump(partition);
        PartitionStore s = open.remove(partition);
        bump(partition);
        if (s != null) {
            closeQuietly(partition, s);
        }
    }

    /** The partitions with an open store. */
    public Set<Integer> owned() {
        return new TreeSet<>(open.keySet());
    }

    private void bump(int partition) {
        // globally increasing, so an epoch never repeats even after close and reopen
        long next = clock.incrementAndGet();
        epochs.computeIfAbsent(partition, k -> new AtomicLong()).set(next);
    }

    private static void closeQuietly(int partition, PartitionStore s) {
        try {
            s.close();
        } catch (Exception e) {
            LOG.warn("closing the store of partition {} failed", partition, e);
        }
    }

    @Override
    public void close() {
        for (Integer p : owned()) {
            close(p);
        }
    }
}
