package io.beacon.warehouse.sink.internal;

import io.beacon.event.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records read since the last commit: rows to insert and dead letters to publish, each with the
 * partition and offset it came from, so that the offsets to commit are exactly those of what was
 * flushed. Not thread-safe: owned by the sink thread.
 */
public final class PendingBatch {

    /** One consumed record: either a JSONEachRow line or a dead letter. */
    private record Entry(TopicPartition partition, long offset, String row, DeadLetter deadLetter) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private int rows;
    private long firstAddedAt = -1;

    /** Adds a row (one JSONEachRow line) read at {@code partition}/{@code offset}. */
    public void addRow(TopicPartition partition, long offset, String jsonRow, long nowMillis) {
        add(new Entry(partition, offset, jsonRow, null), nowMillis);
        rows++;
    }

    /** Adds a record that needs no row (e.g. a tombstone); only its offset counts for the commit. */
    public void addSkipped(TopicPartition partition, long offset, long nowMillis) {
        add(new Entry(partition, offset, null, null), nowMillis);
    }

    /** Adds a record that could not become a row; it is published to the DLQ before the commit. */
    public void addDeadLetter(TopicPartition partition, long offset, DeadLetter deadLetter, long nowMillis) {
        add(new Entry(partition, offset, null, deadLetter), nowMillis);
    }

    private void add(Entry entry, long nowMillis) {
        if (entries.isEmpty()) {
            firstAddedAt = nowMillis;
        }
        entries.add(entry);
    }

    /** Records held, rows and dead letters. */
    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Rows to insert. */
    public int rowCount() {
        return rows;
    }

    /** How long the oldest record has waited, 0 when empty. */
    public long ageMillis(long nowMillis) {
        return entries.isEmpty() ? 0 : Math.max(0, nowMillis - firstAddedAt);
    }

    /** The rows as one JSONEachRow request body. */
    public byte[] body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, rows * 512));
        for (Entry entry : entries) {
            if (entry.row() != null) {
                byte[] line = entry.row().getBytes(StandardCharsets.UTF_8);
                out.write(line, 0, line.length);
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /** The dead letters, in the order they were read. */
    public List<DeadLetter> deadLetters() {
        List<DeadLetter> letters = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.deadLetter() != null) {
                letters.add(entry.deadLetter());
            }
        }
        return letters;
    }

    /**
     * Marks every dead letter as published: its offset still counts for the commit, but
     * {@link #deadLetters()} no longer returns it.
     */
    public void settleDeadLetters() {
        entries.replaceAll(e -> e.deadLetter() == null ? e : new Entry(e.partition(), e.offset(), null, null));
    }

    /**
     * What to commit once everything held here is stored: per partition, the offset after the last
     * record held (Kafka's "next offset to read" convention).
     */
    public Map<TopicPartition, OffsetAndMetadata> offsetsToCommit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Entry entry : entries) {
            offsets.merge(entry.partition(), new OffsetAndMetadata(entry.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    /**
     * Forgets the records of partitions this consumer no longer owns (revoked or lost in a rebalance);
     * they are re-read from the last committed offset by the partition's next owner.
     *
     * @return how many records were dropped
     */
    public int removePartitions(Collection<TopicPartition> partitions) {
        int removed = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (partitions.contains(entry.partition())) {
                it.remove();
                removed++;
                if (entry.row() != null) {
                    rows--;
                }
            }
        }
        if (entries.isEmpty()) {
            firstAddedAt = -1;
        }
        return removed;
    }

    /** Empties the batch after it was stored and committed. */
    public void clear() {
        entries.clear();
        rows = 0;
        firstAddedAt = -1;
    }
}
