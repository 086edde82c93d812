package io.beacon.dq.count;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counts of one source topic partition's records from {@code firstOffset} up to (excluding) {@code nextOffset}:
 * what the collector inserts in one go. The next chunk of the partition starts at {@code nextOffset}, so a chunk
 * that is in {@code dq_counts} is never counted again and one that is not is read again.
 */
public final class Chunk {
    private final String source;
    private final int partition;
    private final long firstOffset;
    private long nextOffset;
    private final Map<CountKey, Long> counts = new LinkedHashMap<>();

    public Chunk(String source, int partition, long firstOffset) {
        this.source = source;
        this.partition = partition;
        this.firstOffset = firstOffset;
        this.nextOffset = firstOffset;
    }

    /** Counts the record at {@code offset} (or only moves past it: {@code key} null, e.g. a transaction marker gap). */
    public void add(long offset, CountKey key) {
        if (offset < nextOffset) {
            throw new IllegalArgumentException("offset " + offset + " of " + source + "-" + partition + " is behind " + nextOffset);
        }
        if (key != null) {
            counts.merge(key, 1L, Long::sum);
        }
        nextOffset = offset + 1;
    }

    /** Moves the chunk's end to the consumer's position (past aborted records and transaction markers). */
    public void advanceTo(long position) {
        if (position > nextOffset) {
            nextOffset = position;
        }
    }

    public boolean isEmpty() {
        return nextOffset == firstOffset;
    }

    public String source() {
        return source;
    }

    public int partition() {
        return partition;
    }

    public long firstOffset() {
        return firstOffset;
    }

    public long nextOffset() {
        return nextOffset;
    }

    public Map<CountKey, Long> counts() {
        return Map.copyOf(counts);
    }
}
